import type { Services } from '@parley/api/services.ts';
import { refreshTenantRollups, tenantsToRefresh } from '@parley/api/analytics/refresh-rollups.ts';

/** Idempotent: each refresh recomputes rows from the tickets, from the tenant's watermark on. */
export async function refreshRollups(services: Services, tenantId?: string) {
  const tenants = tenantId ? [tenantId] : await tenantsToRefresh(services);
  let tickets = 0;
  for (const id of tenants) {
    const { upserted, removed } = await refreshTenantRollups(services, id);
    tickets += upserted + removed;
  }
  if (tickets) services.log.info({ tenants: tenants.length, tickets }, 'analytics rollups refreshed');
  return { tenants: tenants.length, tickets };
}
