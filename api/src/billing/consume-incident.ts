import type { IncidentConsumeMoment, TenantTx } from '@parley/db';
import { NoIncidentLeftError } from './billing-errors.ts';
import { lockIncidentAccount, takeIncident } from './incident-ledger.ts';

export interface ConsumeRequest {
  tenantId: string;
  ticketId: string;
  queueId: string;
  customerUserId: string | null | undefined;
  /** The moment the caller is at: ticket creation or the first agent reply. */
  moment: IncidentConsumeMoment;
  /**
   * true when the customer is opening the ticket themselves (portal): with no incident left the
   * ticket is refused with NoIncidentLeftError. Otherwise (mail, agent on behalf, first reply)
   * the ticket goes through and the outcome is reported as 'unpaid' for the history.
   */
  strict: boolean;
  now: Date;
}

export type ConsumeOutcome = 'not_required' | 'consumed' | 'charged' | 'unpaid';

/** The plan that applies to a customer: their own, else the tenant's default (none: free). */
export async function planOf(tx: TenantTx, planId: string | null) {
  if (planId) {
    const own = await tx.supportPlan.findFirst({ where: { id: planId } });
    if (own) return own;
  }
  return tx.supportPlan.findFirst({ where: { isDefault: true, active: true } });
}

export async function queueRequiresIncident(tx: TenantTx, queueId: string) {
  const rule = await tx.queueBilling.findFirst({ where: { queueId }, select: { requiresIncident: true } });
  return rule?.requiresIncident ?? false;
}

/**
 * Applies the customer's support plan to a ticket in the same transaction as the ticket write:
 * FREE does nothing, PER_REQUEST records a charge (reported to Stripe as a meter event), PREPAID
 * consumes one incident — serialised per customer, so 20 concurrent tickets with one incident
 * left consume it exactly once.
 */
export async function consumeIncidentIfRequired(tx: TenantTx, req: ConsumeRequest): Promise<ConsumeOutcome> {
  if (!req.customerUserId) return 'not_required';
  const settings = await tx.billingSettings.findFirst({ select: { consumeOn: true } });
  if ((settings?.consumeOn ?? 'ON_CREATE') !== req.moment) return 'not_required';
  if (!(await queueRequiresIncident(tx, req.queueId))) return 'not_required';
  const account = await lockIncidentAccount(tx, req.tenantId, req.customerUserId);
  const plan = await planOf(tx, account.planId);
  if (!plan || plan.mode === 'FREE') return 'not_required';
  if (plan.mode === 'PER_REQUEST') {
    const existing = await tx.incidentLedgerEntry.findFirst({ where: { ticketId: req.ticketId, kind: 'PER_REQUEST_CHARGE' }, select: { id: true } });
    if (!existing) {
      const settingsCurrency = await tx.billingSettings.findFirst({ select: { currency: true } });
      const id = crypto.randomUUID();
      await tx.incidentLedgerEntry.create({
        data: {
          id, tenantId: req.tenantId, customerUserId: req.customerUserId, lotId: id, kind: 'PER_REQUEST_CHARGE', delta: 0,
          ticketId: req.ticketId, amountCents: plan.perRequestCents ?? 0, currency: settingsCurrency?.currency ?? 'eur',
          externalRef: `request:${req.ticketId}`, createdAt: req.now,
        },
      });
    }
    return 'charged';
  }
  if (await takeIncident(tx, req.tenantId, req.customerUserId, req.ticketId, req.now)) return 'consumed';
  if (req.strict) throw new NoIncidentLeftError(req.queueId);
  return 'unpaid';
}

/** The history entries that tell agents what billing did with a ticket. */
export function billingHistory(outcome: ConsumeOutcome) {
  switch (outcome) {
    case 'not_required': return [];
    case 'consumed': return [{ action: 'incident_consumed' }];
    case 'charged': return [{ action: 'request_charged' }];
    case 'unpaid': return [{ action: 'incident_unpaid', newValue: 'the customer had no incident left' }];
  }
}
