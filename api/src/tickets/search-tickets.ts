import type { Db } from '@parley/db';

/**
 * Ids of tickets with an article matching `text` word by word (PostgreSQL full-text search over
 * subject and body, served by the Article_body_fts index). Capped: this feeds a filter.
 */
export async function searchTicketIds(db: Db, text: string, limit = 1000): Promise<string[]> {
  const rows = await db.$queryRaw<{ ticketId: string }[]>`
    SELECT DISTINCT "ticketId" FROM "Article"
    WHERE to_tsvector('simple', coalesce("subject", '') || ' ' || "bodyText") @@ websearch_to_tsquery('simple', ${text})
    LIMIT ${limit}`;
  return rows.map((r) => r.ticketId);
}
