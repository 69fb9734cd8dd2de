import type { Services } from '@parley/api/services.ts';
import { enqueue } from '@parley/api/jobs/job-queue.ts';
import { mailInProcess, mailOutSend } from '@parley/api/mail/mail-jobs.ts';

/**
 * Cross-tenant, so it runs as the system role. Finds inbound mail still RECEIVED and outbox rows
 * still PENDING (or SENDING past the lease) after `graceMs`, and enqueues them again under a job
 * id of this sweep, so a job that failed for good earlier does not block the new one. Handlers
 * are idempotent, so a job that was merely slow does no harm.
 */
export async function sweepMail(services: Services, opts: { graceMs?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - (opts.graceMs ?? 60_000));
  const leaseEnd = new Date(now.getTime() - services.config.MAIL_SEND_LEASE_SECONDS * 1000);
  const bucket = Math.floor(now.getTime() / 60_000);
  const [inbound, outgoing] = await Promise.all([
    services.systemDb.inboundMail.findMany({ where: { status: 'RECEIVED', receivedAt: { lt: before } }, select: { id: true, tenantId: true }, take: 5000, orderBy: { receivedAt: 'asc' } }),
    services.systemDb.outgoingMail.findMany({
      where: { OR: [{ status: 'PENDING', createdAt: { lt: before } }, { status: 'SENDING', sendingStartedAt: { lt: leaseEnd } }] },
      select: { id: true, tenantId: true }, take: 5000, orderBy: { createdAt: 'asc' },
    }),
  ]);
  const { REDIS_URL: url, QUEUE_PREFIX: prefix } = services.config;
  for (const m of inbound) await enqueue(url, mailInProcess, { tenantId: m.tenantId, inboundMailId: m.id }, { jobId: `in-${m.id}-s${bucket}`, prefix });
  for (const m of outgoing) await enqueue(url, mailOutSend, { tenantId: m.tenantId, outgoingMailId: m.id }, { jobId: `out-${m.id}-s${bucket}`, prefix });
  if (inbound.length || outgoing.length) services.log.info({ inbound: inbound.length, outgoing: outgoing.length }, 'mail sweep re-enqueued');
  return { inbound: inbound.length, outgoing: outgoing.length };
}
