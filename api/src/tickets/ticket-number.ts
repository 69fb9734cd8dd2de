import type { TenantTx } from '@parley/db';

export type NumberFormat = 'date' | 'prefix';

/**
 * Allocates the next ticket number of a tenant: OTRS date-based (YYYYMMDD + 2-digit system id
 * + 6-digit daily counter, e.g. 2026112210000012) or prefix + counter per prefix (SUP-1042).
 *
 * The counter row is bumped by a single atomic upsert, so numbers are unique under any
 * concurrency. Callers run it in its own short transaction, before the ticket's transaction,
 * so the counter row's lock is held for one statement only; a failed ticket insert leaves a gap,
 * never a duplicate (unique (tenantId, number) guards that too).
 */
export async function nextTicketNumber(
  tx: TenantTx,
  tenant: { id: string; ticketNumberFormat: string; systemId: number },
  queue: { ticketPrefix: string | null },
  now: Date,
): Promise<string> {
  const byPrefix = tenant.ticketNumberFormat === 'prefix' && queue.ticketPrefix;
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const scope = byPrefix ? `prefix:${queue.ticketPrefix}` : `date:${day}`;
  const rows = await tx.$queryRaw<{ value: bigint }[]>`
    INSERT INTO "TicketCounter" ("tenantId", "scope", "value") VALUES (${tenant.id}::uuid, ${scope}, 1)
    ON CONFLICT ("tenantId", "scope") DO UPDATE SET "value" = "TicketCounter"."value" + 1
    RETURNING "value"`;
  const value = rows[0].value;
  if (byPrefix) return `${queue.ticketPrefix}-${value}`;
  return `${day}${String(tenant.systemId).padStart(2, '0')}${String(value).padStart(6, '0')}`;
}
