import { bumpCounter, type Db } from '@parley/db';

export type NumberFormat = 'date' | 'prefix';

/**
 * Allocates the next ticket number of a tenant: OTRS date-based (YYYYMMDD + 2-digit system id
 * + 6-digit daily counter, e.g. 2026112210000012) or prefix + counter per prefix (SUP-1042).
 *
 * The counter is bumped by one atomic upsert in its own one-round-trip transaction (see
 * bumpCounter), before the ticket's transaction: numbers are unique under any concurrency and
 * creating tickets in parallel does not serialise on the counter row. A failed ticket insert
 * leaves a gap, never a duplicate (unique (tenantId, number) guards that too).
 */
export async function nextTicketNumber(
  db: Db,
  tenant: { id: string; ticketNumberFormat: string; systemId: number },
  queue: { ticketPrefix: string | null },
  now: Date,
): Promise<string> {
  const byPrefix = tenant.ticketNumberFormat === 'prefix' && queue.ticketPrefix;
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const value = await bumpCounter(db, tenant.id, byPrefix ? `prefix:${queue.ticketPrefix}` : `date:${day}`);
  if (byPrefix) return `${queue.ticketPrefix}-${value}`;
  return `${day}${String(tenant.systemId).padStart(2, '0')}${String(value).padStart(6, '0')}`;
}
