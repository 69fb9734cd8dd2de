import type { Services } from '@parley/api/services.ts';
import { archiveClosedTickets } from '@parley/api/retention/retention.ts';

/** Lists the policies as the system role, then archives per tenant under its RLS scope. Idempotent. */
export async function archiveAllTenants(services: Services, now = new Date()) {
  const policies = await services.systemDb.retentionPolicy.findMany({ where: { archiveAfterDays: { not: null } }, select: { tenantId: true, archiveAfterDays: true } });
  let archived = 0;
  const started = performance.now();
  for (const p of policies) archived += await archiveClosedTickets(services.db, p.tenantId, p.archiveAfterDays!, now);
  const ms = Math.round(performance.now() - started);
  if (archived) services.log.info({ archived, tenants: policies.length, ms }, 'archived closed tickets');
  return { archived, tenants: policies.length, ms };
}
