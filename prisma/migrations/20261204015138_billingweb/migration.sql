-- CreateTable
CREATE TABLE "TenantLimitOverride" (
    "tenantId" UUID NOT NULL,
    "agents" INTEGER,
    "ticketsPerMonth" INTEGER,
    "storageMb" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TenantLimitOverride_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "TenantStatusChange" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "suspended" BOOLEAN NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenantStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeterEventReport" (
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "customerUserId" UUID NOT NULL,
    "identifier" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "stripeAccountId" TEXT NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "reportedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeterEventReport_pkey" PRIMARY KEY ("tenantId","ticketId")
);

-- CreateIndex
CREATE INDEX "TenantStatusChange_tenantId_createdAt_idx" ON "TenantStatusChange"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MeterEventReport_tenantId_identifier_key" ON "MeterEventReport"("tenantId", "identifier");

-- Foreign keys (the Prisma models declare no relations).
ALTER TABLE "TenantLimitOverride" ADD CONSTRAINT "TenantLimitOverride_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
ALTER TABLE "TenantStatusChange" ADD CONSTRAINT "TenantStatusChange_tenant_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE;
ALTER TABLE "MeterEventReport" ADD CONSTRAINT "MeterEventReport_ticket_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE;
ALTER TABLE "MeterEventReport" ADD CONSTRAINT "MeterEventReport_customer_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE;

-- TenantStatusChange is a platform table: only parley_system uses it (revoked from parley_app by
-- PLATFORM_TABLES in prisma/src/migrate.ts). TenantLimitOverride is written by the provider
-- (parley_system); the app role may only read its own tenant's row (the agent-seat check).
ALTER TABLE "TenantLimitOverride" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TenantLimitOverride" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON "TenantLimitOverride" FOR SELECT
  USING ("tenantId" = parley_current_tenant());
-- Row-level security (as in *_row_level_security).
ALTER TABLE "MeterEventReport" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MeterEventReport" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MeterEventReport"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
