-- Indexes Prisma's schema language cannot express.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- At most one default saved search ("default view") per user.
CREATE UNIQUE INDEX "SavedSearch_one_default_per_user"
  ON "SavedSearch" ("tenantId", "userId") WHERE "isDefault";

-- The working set: queue views skip archived tickets through partial indexes, so the hot
-- index stays small however large the archive grows.
CREATE INDEX "Ticket_working_queue_view"
  ON "Ticket" ("tenantId", "queueId", "createdAt" DESC, "id" DESC) WHERE NOT "archived";
CREATE INDEX "Ticket_working_by_state"
  ON "Ticket" ("tenantId", "stateId", "createdAt" DESC, "id" DESC) WHERE NOT "archived";

-- Text search over ticket titles (substring) and article bodies (words).
CREATE INDEX "Ticket_title_trgm" ON "Ticket" USING gin ("title" gin_trgm_ops);
CREATE INDEX "Article_body_fts" ON "Article"
  USING gin (to_tsvector('simple', coalesce("subject", '') || ' ' || "bodyText"));
