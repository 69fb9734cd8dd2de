-- CreateTable
CREATE TABLE "TenantBranding" (
    "tenantId" UUID NOT NULL,
    "displayName" TEXT,
    "primaryColor" TEXT,
    "logo" BYTEA,
    "logoType" TEXT,
    "logoSha256" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TenantBranding_pkey" PRIMARY KEY ("tenantId")
);

-- AddForeignKey
ALTER TABLE "TenantBranding" ADD CONSTRAINT "TenantBranding_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (as in *_row_level_security)
ALTER TABLE "TenantBranding" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TenantBranding" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TenantBranding"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
