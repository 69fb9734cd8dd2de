import type { Db, Priority, Queue, Tenant, TicketState, TicketType, User } from '@parley/db';

/**
 * A tenant's small, rarely changing tables — queues, states, priorities, ticket types and
 * agents — cached per process for a few seconds. Ticket lists resolve these relations from here
 * instead of one extra query per relation per page; a row missing from the cache (created a
 * moment ago) triggers a reload.
 */
export interface Vocabulary {
  /** The tenant's own settings that ticket creation needs (numbering) */
  tenant: Pick<Tenant, 'id' | 'ticketNumberFormat' | 'systemId'>;
  queues: Map<string, Queue>;
  states: Map<string, TicketState>;
  priorities: Map<string, Priority>;
  types: Map<string, TicketType>;
  agents: Map<string, Pick<User, 'id' | 'tenantId' | 'name' | 'email' | 'kind' | 'active' | 'locale' | 'createdAt' | 'updatedAt'>>;
}

const TTL_MS = 10_000;
const cache = new Map<string, { at: number; vocabulary: Promise<Vocabulary> }>();

async function loadVocabulary(db: Db, tenantId: string): Promise<Vocabulary> {
  const [tenant, queues, states, priorities, types, agents] = await Promise.all([
    db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, ticketNumberFormat: true, systemId: true } }),
    db.queue.findMany(), db.ticketState.findMany(), db.priority.findMany(), db.ticketType.findMany(),
    db.user.findMany({ omit: { passwordHash: true } }),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return { tenant, queues: byId(queues), states: byId(states), priorities: byId(priorities), types: byId(types), agents: byId(agents) };
}

/** `tenantDb` must be scoped to `tenantId` (row-level security does the filtering). */
export function vocabulary(tenantDb: Db, tenantId: string, fresh = false): Promise<Vocabulary> {
  const hit = cache.get(tenantId);
  if (hit && !fresh && Date.now() - hit.at < TTL_MS) return hit.vocabulary;
  if (cache.size > 5_000) cache.clear();
  const entry = { at: Date.now(), vocabulary: loadVocabulary(tenantDb, tenantId) };
  cache.set(tenantId, entry);
  entry.vocabulary.catch(() => cache.delete(tenantId));
  return entry.vocabulary;
}

/** Drops a tenant's cached vocabulary after an admin changed it (this process; others within TTL_MS). */
export function forgetVocabulary(tenantId: string) {
  cache.delete(tenantId);
}

/** Looks `id` up in one of the maps, reloading once when it is not there yet. */
export type VocabularyTable = Exclude<keyof Vocabulary, 'tenant'>;

export async function lookup<K extends VocabularyTable>(tenantDb: Db, tenantId: string, kind: K, id: string | null) {
  if (!id) return null;
  const v = await vocabulary(tenantDb, tenantId);
  const found = v[kind].get(id);
  if (found) return found as Vocabulary[K] extends Map<string, infer V> ? V : never;
  const reloaded = await vocabulary(tenantDb, tenantId, true);
  return (reloaded[kind].get(id) ?? null) as (Vocabulary[K] extends Map<string, infer V> ? V : never) | null;
}
