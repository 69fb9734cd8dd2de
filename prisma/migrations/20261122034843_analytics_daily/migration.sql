-- CreateTable
CREATE TABLE "AnalyticsDaily" (
    "tenantId" UUID NOT NULL,
    "dim" TEXT NOT NULL,
    "key" UUID NOT NULL,
    "day" DATE NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "solved" INTEGER NOT NULL DEFAULT 0,
    "firstResponses" INTEGER NOT NULL DEFAULT 0,
    "frMinutes" BIGINT NOT NULL DEFAULT 0,
    "resMinutes" BIGINT NOT NULL DEFAULT 0,
    "timeMinutes" BIGINT NOT NULL DEFAULT 0,
    "replies" INTEGER NOT NULL DEFAULT 0,
    "frHist" INTEGER[],
    "resHist" INTEGER[],

    CONSTRAINT "AnalyticsDaily_pkey" PRIMARY KEY ("tenantId","dim","day","key")
);

ALTER TABLE "AnalyticsDaily" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AnalyticsDaily" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AnalyticsDaily"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
ALTER TABLE "AnalyticsDaily" ADD CONSTRAINT "AnalyticsDaily_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
