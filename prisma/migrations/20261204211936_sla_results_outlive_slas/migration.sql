-- SLA results outlive their SLA (issue "Paid support, ratings, analytics"): deleting an SLA used to
-- cascade its SlaResult rows away, and with them the past compliance shown by analytics.
-- Now the result keeps the SLA's name and loses only the reference.

-- DropForeignKey
ALTER TABLE "SlaResult" DROP CONSTRAINT "SlaResult_tenantId_slaId_fkey";

-- AlterTable: the name is copied from the SLA for the existing rows, then required
ALTER TABLE "SlaResult" ADD COLUMN "slaName" TEXT,
ALTER COLUMN "slaId" DROP NOT NULL;
UPDATE "SlaResult" r SET "slaName" = s."name" FROM "Sla" s WHERE s."tenantId" = r."tenantId" AND s."id" = r."slaId";
UPDATE "SlaResult" SET "slaName" = '' WHERE "slaName" IS NULL;
ALTER TABLE "SlaResult" ALTER COLUMN "slaName" SET NOT NULL;

-- AddForeignKey, by hand: Prisma cannot express it (its schema says NoAction). A plain SET NULL on
-- the composite key would null "tenantId" too (NOT NULL: the delete would fail); PostgreSQL 15+
-- takes a column list, so only "slaId" is cleared. The bundled server is PostgreSQL 18.
ALTER TABLE "SlaResult" ADD CONSTRAINT "SlaResult_tenantId_slaId_fkey" FOREIGN KEY ("tenantId", "slaId") REFERENCES "Sla"("tenantId", "id") ON DELETE SET NULL ("slaId") ON UPDATE CASCADE;

-- Results of one SLA (rename, delete, dropped targets): the FK's referencing side, indexed
CREATE INDEX "SlaResult_tenantId_slaId_idx" ON "SlaResult" ("tenantId", "slaId");
