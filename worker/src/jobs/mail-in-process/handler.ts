import type { Services } from '@parley/api/services.ts';
import { ingestMail, markInboundFailed } from '@parley/api/mail/inbound/ingest-mail.ts';
import { mailInProcess } from '@parley/api/mail/mail-jobs.ts';

/**
 * Idempotent: ingestMail only processes a RECEIVED row. Unparseable mail is marked FAILED there
 * (no retry); an unexpected error (database down...) is retried with backoff, and recorded on
 * the row as FAILED on the last attempt so the admin sees it and can retry.
 */
export async function processInboundMail(services: Services, p: { tenantId: string; inboundMailId: string }, meta: { attemptsMade: number }) {
  try {
    const r = await ingestMail(services, p.tenantId, p.inboundMailId);
    return { status: r.status, outcome: r.outcome, ticketId: r.ticketId ?? null };
  } catch (e) {
    if (meta.attemptsMade + 1 >= (mailInProcess.options.attempts ?? 1)) {
      await markInboundFailed(services, p.tenantId, p.inboundMailId, 'PROCESSING_ERROR', (e as Error).message);
    }
    throw e;
  }
}
