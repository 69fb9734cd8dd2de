-- CreateTable
CREATE TABLE "AutomationRule" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "triggers" TEXT[],
    "conditions" JSONB NOT NULL,
    "actions" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AutomationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationRuleRun" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "changed" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AutomationRuleRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRule_tenantId_id_key" ON "AutomationRule"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRule_tenantId_name_key" ON "AutomationRule"("tenantId", "name");

-- CreateIndex
CREATE INDEX "AutomationRuleRun_tenantId_ticketId_idx" ON "AutomationRuleRun"("tenantId", "ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRuleRun_tenantId_id_key" ON "AutomationRuleRun"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRuleRun_tenantId_ruleId_eventId_key" ON "AutomationRuleRun"("tenantId", "ruleId", "eventId");

-- AddForeignKey
ALTER TABLE "AutomationRule" ADD CONSTRAINT "AutomationRule_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationRule" ADD CONSTRAINT "AutomationRule_tenantId_createdById_fkey" FOREIGN KEY ("tenantId", "createdById") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationRuleRun" ADD CONSTRAINT "AutomationRuleRun_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationRuleRun" ADD CONSTRAINT "AutomationRuleRun_tenantId_ruleId_fkey" FOREIGN KEY ("tenantId", "ruleId") REFERENCES "AutomationRule"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationRuleRun" ADD CONSTRAINT "AutomationRuleRun_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (as in *_row_level_security).
ALTER TABLE "AutomationRule" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AutomationRule" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AutomationRule"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
ALTER TABLE "AutomationRuleRun" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AutomationRuleRun" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AutomationRuleRun"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
