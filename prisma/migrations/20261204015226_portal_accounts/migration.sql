-- CreateEnum
CREATE TYPE "AccountTokenPurpose" AS ENUM ('VERIFY_EMAIL', 'RESET_PASSWORD');

-- CreateTable
CREATE TABLE "PortalSettings" (
    "tenantId" UUID NOT NULL,
    "allowSignUp" BOOLEAN NOT NULL DEFAULT false,
    "allowGuestTickets" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PortalSettings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "CustomerSignUp" (
    "tenantId" UUID NOT NULL,
    "customerUserId" UUID NOT NULL,
    "verifiedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerSignUp_pkey" PRIMARY KEY ("tenantId","customerUserId")
);

-- CreateTable
CREATE TABLE "AccountToken" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "purpose" "AccountTokenPurpose" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID,
    "customerUserId" UUID,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AccountToken_tokenHash_key" ON "AccountToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AccountToken_tenantId_customerUserId_idx" ON "AccountToken"("tenantId", "customerUserId");

-- CreateIndex
CREATE INDEX "AccountToken_tenantId_userId_idx" ON "AccountToken"("tenantId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "AccountToken_tenantId_id_key" ON "AccountToken"("tenantId", "id");

-- AddForeignKey
ALTER TABLE "PortalSettings" ADD CONSTRAINT "PortalSettings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerSignUp" ADD CONSTRAINT "CustomerSignUp_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerSignUp" ADD CONSTRAINT "CustomerSignUp_tenantId_customerUserId_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountToken" ADD CONSTRAINT "AccountToken_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountToken" ADD CONSTRAINT "AccountToken_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountToken" ADD CONSTRAINT "AccountToken_tenantId_customerUserId_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (as in *_row_level_security).
ALTER TABLE "PortalSettings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PortalSettings" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PortalSettings"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
ALTER TABLE "CustomerSignUp" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerSignUp" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerSignUp"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
ALTER TABLE "AccountToken" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AccountToken" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AccountToken"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
