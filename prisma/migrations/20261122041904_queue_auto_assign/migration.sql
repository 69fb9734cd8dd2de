-- CreateEnum
CREATE TYPE "AutoAssignStrategy" AS ENUM ('ROUND_ROBIN', 'LEAST_LOADED');

-- CreateTable
CREATE TABLE "QueueAutoAssign" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "queueId" UUID NOT NULL,
    "strategy" "AutoAssignStrategy" NOT NULL,
    "lastAssignedUserId" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "QueueAutoAssign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "QueueAutoAssign_tenantId_id_key" ON "QueueAutoAssign"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "QueueAutoAssign_tenantId_queueId_key" ON "QueueAutoAssign"("tenantId", "queueId");

-- AddForeignKey
ALTER TABLE "QueueAutoAssign" ADD CONSTRAINT "QueueAutoAssign_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueueAutoAssign" ADD CONSTRAINT "QueueAutoAssign_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (as in *_row_level_security).
ALTER TABLE "QueueAutoAssign" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "QueueAutoAssign" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "QueueAutoAssign"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
