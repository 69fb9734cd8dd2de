import type { TenantTx } from '@parley/db';
import type { Actor } from '../auth/viewer.ts';

export interface HistoryEntry {
  action: string;
  field?: string;
  oldValue?: string | null;
  newValue?: string | null;
}

/** Appends history rows for a ticket (every change: who, when, old and new value). */
export async function recordHistory(tx: TenantTx, tenantId: string, ticketId: string, actor: Actor, entries: HistoryEntry[]) {
  if (entries.length === 0) return;
  await tx.ticketHistory.createMany({
    data: entries.map((e) => ({
      tenantId, ticketId, action: e.action, field: e.field ?? null,
      oldValue: e.oldValue ?? null, newValue: e.newValue ?? null,
      actorUserId: actor.userId ?? null, actorCustomerUserId: actor.customerUserId ?? null,
    })),
  });
}
