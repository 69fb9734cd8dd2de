import { randomUUID } from 'node:crypto';
import type { IncidentEntryKind, TenantTx } from '@parley/db';

/**
 * The incident ledger: append-only entries; a customer's balance is the sum of `delta` over the
 * entries of lots that have not expired. Every change for one customer first locks their
 * IncidentAccount row (SELECT … FOR UPDATE) inside the caller's transaction, so concurrent
 * consumptions are serialised and exact.
 */

export interface Lot {
  lotId: string;
  remaining: number;
  expiresAt: Date | null;
}

/** Creates the customer's account row if needed and locks it until the transaction ends. */
export async function lockIncidentAccount(tx: TenantTx, tenantId: string, customerUserId: string) {
  await tx.$executeRaw`
    INSERT INTO "IncidentAccount" ("tenantId", "customerUserId") VALUES (${tenantId}::uuid, ${customerUserId}::uuid)
    ON CONFLICT DO NOTHING`;
  const [row] = await tx.$queryRaw<{ planId: string | null; stripeCustomerId: string | null }[]>`
    SELECT "planId", "stripeCustomerId" FROM "IncidentAccount"
    WHERE "tenantId" = ${tenantId}::uuid AND "customerUserId" = ${customerUserId}::uuid FOR UPDATE`;
  return row;
}

/** Every lot of a customer with what is left in it (expired ones included). */
export async function lotsOf(tx: TenantTx, tenantId: string, customerUserId: string): Promise<Lot[]> {
  return tx.$queryRaw<Lot[]>`
    SELECT e."lotId", SUM(e."delta")::int AS "remaining", MAX(g."lotExpiresAt") AS "expiresAt"
    FROM "IncidentLedgerEntry" e
    JOIN "IncidentLedgerEntry" g ON g."tenantId" = e."tenantId" AND g."id" = e."lotId"
    WHERE e."tenantId" = ${tenantId}::uuid AND e."customerUserId" = ${customerUserId}::uuid
    GROUP BY e."lotId"
    ORDER BY MAX(g."lotExpiresAt") ASC NULLS LAST, e."lotId" ASC`;
}

const live = (lot: Lot, now: Date) => !lot.expiresAt || lot.expiresAt > now;

/** Balance: what is left in lots that have not expired. */
export async function incidentBalance(tx: TenantTx, tenantId: string, customerUserId: string, now = new Date()) {
  const lots = await lotsOf(tx, tenantId, customerUserId);
  return lots.filter((l) => live(l, now)).reduce((sum, l) => sum + l.remaining, 0);
}

/**
 * Writes EXPIRE entries for what is left in expired lots (caller holds the account lock), so
 * the history shows it and the plain sum of all entries equals the balance again.
 */
export async function settleExpiredLots(tx: TenantTx, tenantId: string, customerUserId: string, lots: Lot[], now: Date) {
  const expired = lots.filter((l) => !live(l, now) && l.remaining > 0);
  if (expired.length === 0) return;
  await tx.incidentLedgerEntry.createMany({
    data: expired.map((l) => ({ tenantId, customerUserId, lotId: l.lotId, kind: 'EXPIRE' as const, delta: -l.remaining, reason: 'period ended', createdAt: now })),
  });
}

export interface GrantInput {
  kind: Extract<IncidentEntryKind, 'GRANT_PURCHASE' | 'GRANT_MANUAL' | 'GRANT_REGISTRATION'>;
  incidents: number;
  expiresAt?: Date | null;
  packId?: string | null;
  amountCents?: number | null;
  currency?: string | null;
  externalRef?: string | null;
  reason?: string | null;
  actorUserId?: string | null;
}

/**
 * Opens a lot of incidents. With an `externalRef` (e.g. the Checkout Session id) the grant is
 * idempotent: a second call with the same ref returns the first entry and grants nothing.
 */
export async function grantIncidents(tx: TenantTx, tenantId: string, customerUserId: string, g: GrantInput) {
  await lockIncidentAccount(tx, tenantId, customerUserId);
  if (g.externalRef) {
    const existing = await tx.incidentLedgerEntry.findUnique({ where: { tenantId_externalRef: { tenantId, externalRef: g.externalRef } } });
    if (existing) return { entry: existing, created: false };
  }
  const id = randomUUID();
  const entry = await tx.incidentLedgerEntry.create({
    data: {
      id, tenantId, customerUserId, lotId: id, kind: g.kind, delta: g.incidents, lotExpiresAt: g.expiresAt ?? null,
      packId: g.packId ?? null, amountCents: g.amountCents ?? null, currency: g.currency ?? null,
      externalRef: g.externalRef ?? null, reason: g.reason ?? null, actorUserId: g.actorUserId ?? null,
    },
  });
  return { entry, created: true };
}

/**
 * Takes one incident for a ticket from the live lot that expires first. Returns false when
 * nothing is left. The caller's transaction must also insert the ticket, so a rollback undoes both.
 */
export async function takeIncident(tx: TenantTx, tenantId: string, customerUserId: string, ticketId: string, now: Date): Promise<boolean> {
  await lockIncidentAccount(tx, tenantId, customerUserId);
  const already = await tx.incidentLedgerEntry.findFirst({ where: { ticketId, kind: 'CONSUME' }, select: { id: true } });
  if (already) return true;
  const lots = await lotsOf(tx, tenantId, customerUserId);
  await settleExpiredLots(tx, tenantId, customerUserId, lots, now);
  const lot = lots.find((l) => live(l, now) && l.remaining > 0);
  if (!lot) return false;
  await tx.incidentLedgerEntry.create({
    data: { tenantId, customerUserId, lotId: lot.lotId, kind: 'CONSUME', delta: -1, ticketId, createdAt: now },
  });
  return true;
}

/**
 * Gives back the incident a ticket consumed (not billable, merged, rejected), into the lot it
 * came from. At most once per ticket; returns false when there was nothing to refund.
 */
export async function refundIncident(tx: TenantTx, tenantId: string, ticketId: string, reason: string, actorUserId: string | null, now = new Date()) {
  const consumed = await tx.incidentLedgerEntry.findFirst({ where: { ticketId, kind: 'CONSUME' } });
  if (!consumed) return false;
  await lockIncidentAccount(tx, tenantId, consumed.customerUserId);
  const refunded = await tx.incidentLedgerEntry.findFirst({ where: { ticketId, kind: 'REFUND' }, select: { id: true } });
  if (refunded) return false;
  await tx.incidentLedgerEntry.create({
    data: { tenantId, customerUserId: consumed.customerUserId, lotId: consumed.lotId, kind: 'REFUND', delta: 1, ticketId, reason, actorUserId, createdAt: now },
  });
  return true;
}
