// Imports every type file and builds the schema; nothing is defined here.
import { builder } from './builder.ts';
import './scalars.ts';
import './error-types.ts';
import '../auth/auth.graphql.ts';
import '../tenants/tenant.graphql.ts';
import '../queues/queue.graphql.ts';
import '../agents/agent.graphql.ts';
import '../customers/customer.graphql.ts';
import '../tickets/ticket.graphql.ts';
import '../tickets/article.graphql.ts';
import '../tickets/history.graphql.ts';
import '../tickets/ticket-mutations.graphql.ts';
import '../templates/template.graphql.ts';
import '../partners/api-key.graphql.ts';
import '../events/subscriptions.graphql.ts';
import '../sla/sla.graphql.ts';
import '../partners/webhook.graphql.ts';
import '../retention/retention.graphql.ts';
import '../queues/auto-assign.graphql.ts';

export const schema = builder.toSchema({ sortSchema: true });
