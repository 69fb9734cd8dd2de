import { withTenant, type Db } from '@parley/db';
import { loadQueueAccess, type QueueAccess } from '../tickets/queue-access.ts';
import type { AgentViewer } from './viewer.ts';

/**
 * Per-process cache of agents' queue permissions for request contexts (reads and visibility):
 * a few seconds old at most, so a changed role takes effect within TTL_MS. Use cases that write
 * re-check permissions inside their own transaction, so writes never rely on this cache.
 */
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { at: number; access: Promise<QueueAccess> }>();

export function cachedQueueAccess(db: Db, viewer: AgentViewer): Promise<QueueAccess> {
  const key = `${viewer.tenantId}:${viewer.userId}:${viewer.isAdmin}:${viewer.apiKey?.scopes.join(',') ?? ''}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.access;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const access = withTenant(db, viewer.tenantId, (tx) => loadQueueAccess(tx, viewer));
  cache.set(key, { at: now, access });
  access.catch(() => cache.delete(key));
  return access;
}
