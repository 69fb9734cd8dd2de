-- AlterTable
ALTER TABLE "TicketFact" ADD COLUMN     "frBusinessMinutes" INTEGER,
ADD COLUMN     "frInTime" BOOLEAN,
ADD COLUMN     "resBusinessMinutes" INTEGER,
ADD COLUMN     "slaId" UUID,
ADD COLUMN     "solutionInTime" BOOLEAN;

-- AlterTable
ALTER TABLE "AnalyticsDaily" ADD COLUMN     "frBizHist" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "frBizMinutes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "frSlaCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "frSlaMet" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resBizHist" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "resBizMinutes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "solSlaCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "solSlaMet" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "TenantDefaultCalendar" (
    "tenantId" UUID NOT NULL,
    "calendarId" UUID NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TenantDefaultCalendar_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE UNIQUE INDEX "TenantDefaultCalendar_tenantId_calendarId_key" ON "TenantDefaultCalendar"("tenantId", "calendarId");

-- AddForeignKey
ALTER TABLE "TenantDefaultCalendar" ADD CONSTRAINT "TenantDefaultCalendar_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenantDefaultCalendar" ADD CONSTRAINT "TenantDefaultCalendar_tenantId_calendarId_fkey" FOREIGN KEY ("tenantId", "calendarId") REFERENCES "Calendar"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant table (as in *_row_level_security).
ALTER TABLE "TenantDefaultCalendar" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TenantDefaultCalendar" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TenantDefaultCalendar"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

-- Existing rollups lack the business-hours, SLA and company figures: the next refresh of every
-- tenant re-reads all its tickets and rebuilds every day (and month and quarter) they touch.
DELETE FROM "AnalyticsWatermark";
