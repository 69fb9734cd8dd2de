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
import '../tickets/saved-search.graphql.ts';
import '../tickets/links-and-fields.graphql.ts';
import '../templates/template.graphql.ts';
import '../queues/queue-admin.graphql.ts';
import '../agents/role.graphql.ts';
import '../tenants/vocabulary-admin.graphql.ts';
import '../partners/api-key.graphql.ts';
import '../mail/mail-admin.graphql.ts';

export const schema = builder.toSchema({ sortSchema: true });
