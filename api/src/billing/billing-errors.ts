import { AppError, ErrorCode } from '../errors/app-error.ts';

/** The customer's plan needs a prepaid incident for this queue and none is left. */
export class NoIncidentLeftError extends AppError {
  readonly queueId: string;
  constructor(queueId: string) {
    super(ErrorCode.NO_INCIDENT_LEFT, 'You have no support incident left. Tickets in this department need one: buy an incident pack in the portal, then open the ticket again.');
    this.queueId = queueId;
  }
}

/** Stripe is not configured on this installation (no STRIPE_SECRET_KEY), or not for this tenant. */
export class BillingDisabledError extends AppError {
  constructor(message = 'Online payments are not enabled on this installation (STRIPE_SECRET_KEY is not set)') {
    super(ErrorCode.BILLING_DISABLED, message);
  }
}

/** The tenant's platform plan allows no more of something (active agents); upgrade the plan. */
export class PlanLimitError extends AppError {
  readonly plan: string;
  readonly limit: number;
  readonly resource: 'agents';
  constructor(plan: string, resource: 'agents', limit: number) {
    super(ErrorCode.PLAN_LIMIT, `The ${plan} plan allows ${limit} active ${resource}; upgrade the plan or deactivate one first`);
    this.plan = plan;
    this.resource = resource;
    this.limit = limit;
  }
}
