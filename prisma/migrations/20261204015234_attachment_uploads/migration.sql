-- CreateTable
CREATE TABLE "AttachmentUpload" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "uploadedByUserId" UUID,
    "uploadedByCustomerUserId" UUID,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "boundAt" TIMESTAMPTZ(3),

    CONSTRAINT "AttachmentUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AttachmentUpload_createdAt_idx" ON "AttachmentUpload"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AttachmentUpload_tenantId_id_key" ON "AttachmentUpload"("tenantId", "id");

-- AddForeignKey
ALTER TABLE "AttachmentUpload" ADD CONSTRAINT "AttachmentUpload_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttachmentUpload" ADD CONSTRAINT "AttachmentUpload_tenantId_uploadedByUserId_fkey" FOREIGN KEY ("tenantId", "uploadedByUserId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttachmentUpload" ADD CONSTRAINT "AttachmentUpload_tenantId_uploadedByCustomerUserId_fkey" FOREIGN KEY ("tenantId", "uploadedByCustomerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Exactly one uploader: an agent or a customer.
ALTER TABLE "AttachmentUpload" ADD CONSTRAINT "AttachmentUpload_one_uploader"
  CHECK (("uploadedByUserId" IS NULL) <> ("uploadedByCustomerUserId" IS NULL));

-- Row-level security (as in *_row_level_security).
ALTER TABLE "AttachmentUpload" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AttachmentUpload" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AttachmentUpload"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
