-- CreateEnum
CREATE TYPE "SlaTarget" AS ENUM ('FIRST_RESPONSE', 'UPDATE', 'SOLUTION');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "Calendar" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "week" JSONB NOT NULL,
    "holidays" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Calendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sla" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "calendarId" UUID,
    "firstResponseMinutes" INTEGER,
    "updateMinutes" INTEGER,
    "solutionMinutes" INTEGER,
    "warnPercent" SMALLINT,
    "actions" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Sla_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaAssignment" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "slaId" UUID NOT NULL,
    "companyId" UUID,
    "ticketTypeId" UUID,
    "priorityId" UUID,
    "queueId" UUID,

    CONSTRAINT "SlaAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaResult" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "slaId" UUID NOT NULL,
    "target" "SlaTarget" NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMPTZ(3),
    "metAt" TIMESTAMPTZ(3),
    "warnedAt" TIMESTAMPTZ(3),
    "breachedAt" TIMESTAMPTZ(3),
    "inTime" BOOLEAN,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlaResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentNotification" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "ticketId" UUID,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMPTZ(3),

    CONSTRAINT "AgentNotification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "eventKind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Calendar_tenantId_id_key" ON "Calendar"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Calendar_tenantId_name_key" ON "Calendar"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Sla_tenantId_id_key" ON "Sla"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Sla_tenantId_name_key" ON "Sla"("tenantId", "name");

-- CreateIndex
CREATE INDEX "SlaAssignment_tenantId_slaId_idx" ON "SlaAssignment"("tenantId", "slaId");

-- CreateIndex
CREATE UNIQUE INDEX "SlaAssignment_tenantId_id_key" ON "SlaAssignment"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SlaResult_tenantId_id_key" ON "SlaResult"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SlaResult_tenantId_ticketId_target_cycle_key" ON "SlaResult"("tenantId", "ticketId", "target", "cycle");

-- CreateIndex
CREATE INDEX "AgentNotification_tenantId_userId_createdAt_idx" ON "AgentNotification"("tenantId", "userId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "AgentNotification_tenantId_id_key" ON "AgentNotification"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Webhook_tenantId_id_key" ON "Webhook"("tenantId", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_tenantId_webhookId_createdAt_idx" ON "WebhookDelivery"("tenantId", "webhookId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_tenantId_id_key" ON "WebhookDelivery"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_tenantId_webhookId_eventId_key" ON "WebhookDelivery"("tenantId", "webhookId", "eventId");

-- AddForeignKey
ALTER TABLE "Calendar" ADD CONSTRAINT "Calendar_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sla" ADD CONSTRAINT "Sla_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sla" ADD CONSTRAINT "Sla_tenantId_calendarId_fkey" FOREIGN KEY ("tenantId", "calendarId") REFERENCES "Calendar"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAssignment" ADD CONSTRAINT "SlaAssignment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAssignment" ADD CONSTRAINT "SlaAssignment_tenantId_slaId_fkey" FOREIGN KEY ("tenantId", "slaId") REFERENCES "Sla"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAssignment" ADD CONSTRAINT "SlaAssignment_tenantId_companyId_fkey" FOREIGN KEY ("tenantId", "companyId") REFERENCES "CustomerCompany"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAssignment" ADD CONSTRAINT "SlaAssignment_tenantId_ticketTypeId_fkey" FOREIGN KEY ("tenantId", "ticketTypeId") REFERENCES "TicketType"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAssignment" ADD CONSTRAINT "SlaAssignment_tenantId_priorityId_fkey" FOREIGN KEY ("tenantId", "priorityId") REFERENCES "Priority"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaAssignment" ADD CONSTRAINT "SlaAssignment_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaResult" ADD CONSTRAINT "SlaResult_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaResult" ADD CONSTRAINT "SlaResult_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaResult" ADD CONSTRAINT "SlaResult_tenantId_slaId_fkey" FOREIGN KEY ("tenantId", "slaId") REFERENCES "Sla"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentNotification" ADD CONSTRAINT "AgentNotification_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentNotification" ADD CONSTRAINT "AgentNotification_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentNotification" ADD CONSTRAINT "AgentNotification_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_tenantId_createdById_fkey" FOREIGN KEY ("tenantId", "createdById") REFERENCES "User"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_tenantId_webhookId_fkey" FOREIGN KEY ("tenantId", "webhookId") REFERENCES "Webhook"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant tables (as in *_row_level_security).
ALTER TABLE "Calendar" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Calendar" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Calendar"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Sla" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Sla" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Sla"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "SlaAssignment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SlaAssignment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SlaAssignment"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "SlaResult" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SlaResult" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SlaResult"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "AgentNotification" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AgentNotification" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AgentNotification"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Webhook" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Webhook" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Webhook"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "WebhookDelivery" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "WebhookDelivery" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "WebhookDelivery"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

-- One assignment per combination of criteria (null = any, so nulls must compare equal).
CREATE UNIQUE INDEX "SlaAssignment_criteria_key" ON "SlaAssignment" ("tenantId", "companyId", "ticketTypeId", "priorityId", "queueId") NULLS NOT DISTINCT;

-- The escalation sweep: tickets whose next SLA moment has come (across tenants, system role).
CREATE INDEX "Ticket_escalationAt_idx" ON "Ticket" ("escalationAt") WHERE "escalationAt" IS NOT NULL;

-- Targets and warning percentages are sane.
ALTER TABLE "Sla" ADD CONSTRAINT "Sla_targets_check" CHECK (
  ("firstResponseMinutes" IS NULL OR "firstResponseMinutes" >= 0) AND ("updateMinutes" IS NULL OR "updateMinutes" >= 0)
  AND ("solutionMinutes" IS NULL OR "solutionMinutes" >= 0) AND ("warnPercent" IS NULL OR "warnPercent" BETWEEN 1 AND 99));
