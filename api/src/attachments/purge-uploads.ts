import type { Services } from '../services.ts';

const BATCH = 500;

/**
 * Deletes upload rows older than ATTACHMENT_UPLOAD_TTL_HOURS, and the bytes of those never
 * attached (an attached one's bytes belong to its Attachment now). Cross-tenant housekeeping,
 * so it runs as the system role. Idempotent: each row is removed by a conditional delete, so a
 * row bound meanwhile (or removed by a parallel run) is left alone, and a missing blob is no error.
 */
export async function purgeExpiredUploads(services: Pick<Services, 'systemDb' | 'blobs' | 'log' | 'config'>, now = new Date()) {
  const cutoff = new Date(now.getTime() - services.config.ATTACHMENT_UPLOAD_TTL_HOURS * 3600_000);
  let unbound = 0;
  let bound = 0;
  for (;;) {
    const rows = await services.systemDb.attachmentUpload.findMany({
      where: { createdAt: { lt: cutoff } }, select: { id: true, storageKey: true, boundAt: true }, orderBy: { createdAt: 'asc' }, take: BATCH,
    });
    for (const row of rows) {
      const { count } = await services.systemDb.attachmentUpload.deleteMany({ where: { id: row.id, boundAt: row.boundAt ? { not: null } : null } });
      if (!count) continue;
      if (row.boundAt) {
        bound++;
      } else {
        await services.blobs.delete?.(row.storageKey);
        unbound++;
      }
    }
    if (rows.length < BATCH) break;
  }
  if (unbound || bound) services.log.info({ unbound, bound }, 'purged expired attachment uploads');
  return { purged: unbound, forgotten: bound };
}
