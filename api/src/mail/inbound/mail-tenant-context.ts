import { withTenant } from '@parley/db';
import type { Services } from '../../services.ts';

/** What the pipeline needs to know about a tenant for every mail: read once, cached briefly. */
export async function readMailTenantContext(services: Services, tenantId: string) {
  return withTenant(services.db, tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, slug: true, name: true, mailDomain: true, ticketHook: true, ticketNumberFormat: true, systemId: true } });
    const settings = await tx.mailSettings.findUnique({ where: { tenantId } });
    const systemAddresses = await tx.systemAddress.findMany({ where: { tenantId }, select: { address: true, queueId: true } });
    const filters = await tx.postmasterFilter.findMany({ where: { tenantId, active: true }, orderBy: [{ position: 'asc' }, { name: 'asc' }], select: { name: true, match: true, set: true, stop: true } });
    const queues = await tx.queue.findMany({ where: { tenantId, active: true }, select: { id: true, name: true, systemAddress: true, salutation: true, signature: true, followUpOption: true, followUpLock: true, ticketPrefix: true } });
    const autoResponses = await tx.autoResponse.findMany({ where: { tenantId, active: true }, select: { queueId: true, kind: true, subject: true, body: true } });
    return { tenant, settings, systemAddresses, filters, queues, autoResponses };
  });
}
export type MailTenantContext = Awaited<ReturnType<typeof readMailTenantContext>>;

const cache = new Map<string, { until: number; value: Promise<MailTenantContext> }>();

/**
 * The tenant's mail context, cached per process for MAIL_CONTEXT_CACHE_MS (default 5 s; 0 = read
 * every time): at hundreds of mails per second the same few rows would otherwise be read for
 * every mail. An admin's change (filter, auto-response, queue option) applies within that time.
 */
export function mailTenantContext(services: Services, tenantId: string): Promise<MailTenantContext> {
  const ttl = services.config.MAIL_CONTEXT_CACHE_MS;
  if (ttl <= 0) return readMailTenantContext(services, tenantId);
  const now = Date.now();
  const hit = cache.get(tenantId);
  if (hit && hit.until > now) return hit.value;
  if (cache.size > 10_000) cache.clear();
  const value = readMailTenantContext(services, tenantId);
  cache.set(tenantId, { until: now + ttl, value });
  value.catch(() => cache.delete(tenantId));
  return value;
}
