export { createPrismaClient, closeDb, rawPool, type Db } from './client.ts';
export { bumpCounter } from './counters.ts';
export { forTenant, tenantScopedDb, withTenant, type TenantDb, type TenantTx } from './tenant-scope.ts';
export { Prisma } from '../generated/client.ts';
export * from '../generated/enums.ts';
export type * from '../generated/models.ts';
export type {
  Tenant, User, Role, Queue, TicketState, Priority, TicketType, CustomerCompany, CustomerUser, Ticket, Article,
  Attachment, TicketHistory, TicketView, SavedSearch, StandardTemplate, Session, ApiKey,
} from '../generated/client.ts';
