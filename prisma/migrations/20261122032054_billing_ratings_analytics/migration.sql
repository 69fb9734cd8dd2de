-- CreateEnum
CREATE TYPE "IncidentConsumeMoment" AS ENUM ('ON_CREATE', 'ON_FIRST_REPLY');

-- CreateEnum
CREATE TYPE "RatingScale" AS ENUM ('FIVE_STARS', 'GOOD_BAD');

-- CreateEnum
CREATE TYPE "SupportPlanMode" AS ENUM ('FREE', 'PER_REQUEST', 'PREPAID');

-- CreateEnum
CREATE TYPE "IncidentPackKind" AS ENUM ('LIFETIME', 'PERIOD');

-- CreateEnum
CREATE TYPE "IncidentEntryKind" AS ENUM ('GRANT_PURCHASE', 'GRANT_MANUAL', 'GRANT_REGISTRATION', 'CONSUME', 'REFUND', 'EXPIRE', 'PER_REQUEST_CHARGE');

-- CreateEnum
CREATE TYPE "RatingTarget" AS ENUM ('REPLY', 'TICKET');

-- CreateTable
CREATE TABLE "BillingSettings" (
    "tenantId" UUID NOT NULL,
    "consumeOn" "IncidentConsumeMoment" NOT NULL DEFAULT 'ON_CREATE',
    "ratingScale" "RatingScale" NOT NULL DEFAULT 'FIVE_STARS',
    "badRatingReopens" BOOLEAN NOT NULL DEFAULT false,
    "stripeAccountId" TEXT,
    "stripeChargesEnabled" BOOLEAN NOT NULL DEFAULT false,
    "currency" TEXT NOT NULL DEFAULT 'eur',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BillingSettings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "QueueBilling" (
    "tenantId" UUID NOT NULL,
    "queueId" UUID NOT NULL,
    "requiresIncident" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "QueueBilling_pkey" PRIMARY KEY ("tenantId","queueId")
);

-- CreateTable
CREATE TABLE "SupportPlan" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "mode" "SupportPlanMode" NOT NULL,
    "perRequestCents" INTEGER,
    "registrationIncidents" INTEGER NOT NULL DEFAULT 0,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentPack" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "incidents" INTEGER NOT NULL,
    "kind" "IncidentPackKind" NOT NULL DEFAULT 'LIFETIME',
    "periodDays" INTEGER,
    "priceCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'eur',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentPack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentAccount" (
    "tenantId" UUID NOT NULL,
    "customerUserId" UUID NOT NULL,
    "planId" UUID,
    "stripeCustomerId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentAccount_pkey" PRIMARY KEY ("tenantId","customerUserId")
);

-- CreateTable
CREATE TABLE "IncidentLedgerEntry" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "customerUserId" UUID NOT NULL,
    "lotId" UUID NOT NULL,
    "kind" "IncidentEntryKind" NOT NULL,
    "delta" INTEGER NOT NULL,
    "lotExpiresAt" TIMESTAMPTZ(3),
    "ticketId" UUID,
    "packId" UUID,
    "amountCents" INTEGER,
    "currency" TEXT,
    "externalRef" TEXT,
    "reason" TEXT,
    "actorUserId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "account" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantSubscription" (
    "tenantId" UUID NOT NULL,
    "plan" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "stripeCustomerId" TEXT,
    "stripeSubscriptionId" TEXT,
    "currentPeriodEnd" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TenantSubscription_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "articleId" UUID,
    "target" "RatingTarget" NOT NULL,
    "agentUserId" UUID,
    "customerUserId" UUID,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "via" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatingToken" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RatingToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketFact" (
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "queueId" UUID NOT NULL,
    "ownerId" UUID,
    "typeId" UUID,
    "companyId" UUID,
    "closedAt" TIMESTAMPTZ(3),
    "firstResponseMinutes" INTEGER,
    "resolutionMinutes" INTEGER,
    "timeMinutes" INTEGER NOT NULL DEFAULT 0,
    "agentReplies" INTEGER NOT NULL DEFAULT 0,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TicketFact_pkey" PRIMARY KEY ("tenantId","ticketId")
);

-- CreateTable
CREATE TABLE "AnalyticsWatermark" (
    "tenantId" UUID NOT NULL,
    "upTo" TIMESTAMPTZ(3) NOT NULL,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AnalyticsWatermark_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE UNIQUE INDEX "BillingSettings_stripeAccountId_key" ON "BillingSettings"("stripeAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "SupportPlan_tenantId_id_key" ON "SupportPlan"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SupportPlan_tenantId_name_key" ON "SupportPlan"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentPack_tenantId_id_key" ON "IncidentPack"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentPack_tenantId_name_key" ON "IncidentPack"("tenantId", "name");

-- CreateIndex
CREATE INDEX "IncidentLedgerEntry_tenantId_customerUserId_createdAt_idx" ON "IncidentLedgerEntry"("tenantId", "customerUserId", "createdAt");

-- CreateIndex
CREATE INDEX "IncidentLedgerEntry_tenantId_lotId_idx" ON "IncidentLedgerEntry"("tenantId", "lotId");

-- CreateIndex
CREATE INDEX "IncidentLedgerEntry_tenantId_ticketId_idx" ON "IncidentLedgerEntry"("tenantId", "ticketId");

-- CreateIndex
CREATE INDEX "IncidentLedgerEntry_tenantId_createdAt_idx" ON "IncidentLedgerEntry"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentLedgerEntry_tenantId_id_key" ON "IncidentLedgerEntry"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentLedgerEntry_tenantId_externalRef_key" ON "IncidentLedgerEntry"("tenantId", "externalRef");

-- CreateIndex
CREATE UNIQUE INDEX "TenantSubscription_stripeCustomerId_key" ON "TenantSubscription"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "TenantSubscription_stripeSubscriptionId_key" ON "TenantSubscription"("stripeSubscriptionId");

-- CreateIndex
CREATE INDEX "Rating_tenantId_agentUserId_createdAt_idx" ON "Rating"("tenantId", "agentUserId", "createdAt");

-- CreateIndex
CREATE INDEX "Rating_tenantId_ticketId_idx" ON "Rating"("tenantId", "ticketId");

-- CreateIndex
CREATE INDEX "Rating_tenantId_createdAt_idx" ON "Rating"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_tenantId_id_key" ON "Rating"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_tenantId_articleId_key" ON "Rating"("tenantId", "articleId");

-- CreateIndex
CREATE UNIQUE INDEX "RatingToken_tokenHash_key" ON "RatingToken"("tokenHash");

-- CreateIndex
CREATE INDEX "RatingToken_tenantId_articleId_idx" ON "RatingToken"("tenantId", "articleId");

-- CreateIndex
CREATE UNIQUE INDEX "RatingToken_tenantId_id_key" ON "RatingToken"("tenantId", "id");

-- CreateIndex
CREATE INDEX "TicketFact_tenantId_createdAt_idx" ON "TicketFact"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "TicketFact_tenantId_closedAt_idx" ON "TicketFact"("tenantId", "closedAt");

-- Row-level security on every new tenant table (as in …_row_level_security).

ALTER TABLE "BillingSettings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "BillingSettings" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "BillingSettings"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "QueueBilling" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "QueueBilling" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "QueueBilling"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "SupportPlan" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SupportPlan" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SupportPlan"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "IncidentPack" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "IncidentPack" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IncidentPack"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "IncidentAccount" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "IncidentAccount" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IncidentAccount"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "IncidentLedgerEntry" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "IncidentLedgerEntry" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "IncidentLedgerEntry"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Rating" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Rating" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Rating"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "RatingToken" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RatingToken" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RatingToken"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketFact" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketFact" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketFact"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "AnalyticsWatermark" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AnalyticsWatermark" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AnalyticsWatermark"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

-- StripeEvent and TenantSubscription are platform tables (no tenant): only parley_system uses them.

-- Composite foreign keys to the core tables (the Prisma models declare no relations).
ALTER TABLE "BillingSettings" ADD CONSTRAINT "BillingSettings_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
ALTER TABLE "TenantSubscription" ADD CONSTRAINT "TenantSubscription_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
ALTER TABLE "QueueBilling" ADD CONSTRAINT "QueueBilling_queue_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "SupportPlan" ADD CONSTRAINT "SupportPlan_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
ALTER TABLE "IncidentPack" ADD CONSTRAINT "IncidentPack_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
ALTER TABLE "IncidentAccount" ADD CONSTRAINT "IncidentAccount_customer_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "IncidentAccount" ADD CONSTRAINT "IncidentAccount_plan_fkey" FOREIGN KEY ("tenantId", "planId") REFERENCES "SupportPlan"("tenantId", "id");
ALTER TABLE "IncidentLedgerEntry" ADD CONSTRAINT "IncidentLedgerEntry_account_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "IncidentAccount"("tenantId", "customerUserId") ON DELETE CASCADE;
ALTER TABLE "IncidentLedgerEntry" ADD CONSTRAINT "IncidentLedgerEntry_ticket_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE SET NULL ("ticketId");
ALTER TABLE "IncidentLedgerEntry" ADD CONSTRAINT "IncidentLedgerEntry_pack_fkey" FOREIGN KEY ("tenantId", "packId") REFERENCES "IncidentPack"("tenantId", "id");
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_ticket_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_article_fkey" FOREIGN KEY ("tenantId", "articleId") REFERENCES "Article"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "RatingToken" ADD CONSTRAINT "RatingToken_article_fkey" FOREIGN KEY ("tenantId", "articleId") REFERENCES "Article"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "TicketFact" ADD CONSTRAINT "TicketFact_ticket_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "AnalyticsWatermark" ADD CONSTRAINT "AnalyticsWatermark_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;

-- At most one default support plan per tenant; at most one consumption, refund and
-- per-request charge per ticket; one ticket rating per ticket.
CREATE UNIQUE INDEX "SupportPlan_one_default" ON "SupportPlan" ("tenantId") WHERE "isDefault";
CREATE UNIQUE INDEX "IncidentLedgerEntry_one_consume_per_ticket" ON "IncidentLedgerEntry" ("tenantId", "ticketId") WHERE "kind" = 'CONSUME';
CREATE UNIQUE INDEX "IncidentLedgerEntry_one_refund_per_ticket" ON "IncidentLedgerEntry" ("tenantId", "ticketId") WHERE "kind" = 'REFUND';
CREATE UNIQUE INDEX "IncidentLedgerEntry_one_charge_per_ticket" ON "IncidentLedgerEntry" ("tenantId", "ticketId") WHERE "kind" = 'PER_REQUEST_CHARGE';
CREATE UNIQUE INDEX "Rating_one_per_ticket" ON "Rating" ("tenantId", "ticketId") WHERE "target" = 'TICKET';

-- The ledger is append-only: no UPDATE ever, no DELETE except through a cascade (a tenant or
-- customer being deleted; the ON DELETE SET NULL of ticketId is an UPDATE from a cascade too).
CREATE FUNCTION parley_ledger_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() > 1 THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  RAISE EXCEPTION 'IncidentLedgerEntry is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "IncidentLedgerEntry_append_only" BEFORE UPDATE OR DELETE ON "IncidentLedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION parley_ledger_append_only();

-- The analytics refresh re-reads tickets changed since its watermark.
CREATE INDEX "Ticket_tenant_updated" ON "Ticket" ("tenantId", "updatedAt");
