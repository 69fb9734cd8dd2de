import type { Services } from '@parley/api/services.ts';

/** Cross-tenant housekeeping, so it runs as the system role. Idempotent. */
export async function purgeExpiredSessions(services: Services, now = new Date()) {
  const { count } = await services.systemDb.session.deleteMany({ where: { expiresAt: { lt: now } } });
  if (count) services.log.info({ count }, 'purged expired sessions');
  return { purged: count };
}
