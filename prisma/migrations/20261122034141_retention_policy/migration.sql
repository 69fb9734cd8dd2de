-- CreateEnum
CREATE TYPE "RetentionAction" AS ENUM ('DELETE', 'ANONYMIZE');

-- CreateTable
CREATE TABLE "RetentionPolicy" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "archiveAfterDays" INTEGER,
    "retentionMonths" INTEGER,
    "retentionAction" "RetentionAction" NOT NULL DEFAULT 'ANONYMIZE',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RetentionPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RetentionPolicy_tenantId_key" ON "RetentionPolicy"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "RetentionPolicy_tenantId_id_key" ON "RetentionPolicy"("tenantId", "id");

-- AddForeignKey
ALTER TABLE "RetentionPolicy" ADD CONSTRAINT "RetentionPolicy_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (as in *_row_level_security).
ALTER TABLE "RetentionPolicy" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RetentionPolicy" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RetentionPolicy"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "RetentionPolicy" ADD CONSTRAINT "RetentionPolicy_periods_check" CHECK (
  ("archiveAfterDays" IS NULL OR "archiveAfterDays" >= 1) AND ("retentionMonths" IS NULL OR "retentionMonths" >= 1));

-- Archiving and retention scan closed tickets by age.
CREATE INDEX "Ticket_closedAt_idx" ON "Ticket" ("tenantId", "closedAt") WHERE "closedAt" IS NOT NULL;
