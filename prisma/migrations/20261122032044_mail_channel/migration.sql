-- CreateEnum
CREATE TYPE "MailAfterFetch" AS ENUM ('DELETE', 'MARK_SEEN');

-- CreateEnum
CREATE TYPE "AutoResponseKind" AS ENUM ('NEW_TICKET', 'FOLLOW_UP', 'REJECT');

-- CreateEnum
CREATE TYPE "MailSource" AS ENUM ('SMTP', 'IMAP', 'HTTP');

-- CreateEnum
CREATE TYPE "InboundMailStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'IGNORED', 'FAILED');

-- CreateEnum
CREATE TYPE "OutgoingMailKind" AS ENUM ('AGENT_REPLY', 'AUTO_RESPONSE', 'NOTIFICATION');

-- CreateEnum
CREATE TYPE "OutgoingMailStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "MailSettings" (
    "tenantId" UUID NOT NULL,
    "defaultQueueId" UUID,
    "ingestTokenHash" TEXT,
    "smtpHost" TEXT,
    "smtpPort" INTEGER,
    "smtpSecure" BOOLEAN NOT NULL DEFAULT false,
    "smtpUser" TEXT,
    "smtpPassword" TEXT,
    "threadBySenderOpenTicket" BOOLEAN NOT NULL DEFAULT false,
    "maxAutoResponsesPerDay" INTEGER NOT NULL DEFAULT 10,
    "notifyAgents" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MailSettings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "SystemAddress" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "displayName" TEXT,
    "queueId" UUID NOT NULL,
    "verifiedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SystemAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailAccount" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 993,
    "secure" BOOLEAN NOT NULL DEFAULT true,
    "username" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL DEFAULT 'INBOX',
    "afterFetch" "MailAfterFetch" NOT NULL DEFAULT 'DELETE',
    "queueId" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "uidValidity" BIGINT,
    "lastUid" BIGINT,
    "lastPolledAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostmasterFilter" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "match" JSONB NOT NULL,
    "set" JSONB NOT NULL,
    "stop" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostmasterFilter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutoResponse" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "queueId" UUID NOT NULL,
    "kind" "AutoResponseKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "AutoResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutoResponseCounter" (
    "tenantId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AutoResponseCounter_pkey" PRIMARY KEY ("tenantId","address","windowStart")
);

-- CreateTable
CREATE TABLE "InboundMail" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "source" "MailSource" NOT NULL,
    "mailAccountId" UUID,
    "envelopeFrom" TEXT,
    "recipients" TEXT[],
    "remoteAddress" TEXT,
    "sha256" TEXT NOT NULL,
    "messageId" TEXT,
    "size" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    "status" "InboundMailStatus" NOT NULL DEFAULT 'RECEIVED',
    "outcome" TEXT,
    "failureCode" TEXT,
    "failureReason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "ticketId" UUID,
    "articleId" UUID,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InboundMail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutgoingMail" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID,
    "articleId" UUID,
    "kind" "OutgoingMailKind" NOT NULL,
    "messageId" TEXT NOT NULL,
    "envelopeFrom" TEXT NOT NULL,
    "recipients" TEXT[],
    "subject" TEXT NOT NULL,
    "raw" BYTEA NOT NULL,
    "status" "OutgoingMailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "smtpResponse" TEXT,
    "sendingStartedAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "bouncedAt" TIMESTAMPTZ(3),
    "bounceReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutgoingMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SystemAddress_address_key" ON "SystemAddress"("address");

-- CreateIndex
CREATE UNIQUE INDEX "SystemAddress_tenantId_id_key" ON "SystemAddress"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "MailAccount_tenantId_id_key" ON "MailAccount"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PostmasterFilter_tenantId_id_key" ON "PostmasterFilter"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "PostmasterFilter_tenantId_name_key" ON "PostmasterFilter"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "AutoResponse_tenantId_id_key" ON "AutoResponse"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "AutoResponse_tenantId_queueId_kind_key" ON "AutoResponse"("tenantId", "queueId", "kind");

-- CreateIndex
CREATE INDEX "InboundMail_tenantId_messageId_idx" ON "InboundMail"("tenantId", "messageId");

-- CreateIndex
CREATE INDEX "InboundMail_tenantId_status_receivedAt_idx" ON "InboundMail"("tenantId", "status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMail_tenantId_id_key" ON "InboundMail"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMail_tenantId_sha256_key" ON "InboundMail"("tenantId", "sha256");

-- CreateIndex
CREATE INDEX "OutgoingMail_tenantId_ticketId_idx" ON "OutgoingMail"("tenantId", "ticketId");

-- CreateIndex
CREATE INDEX "OutgoingMail_status_createdAt_idx" ON "OutgoingMail"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutgoingMail_tenantId_id_key" ON "OutgoingMail"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "OutgoingMail_tenantId_messageId_key" ON "OutgoingMail"("tenantId", "messageId");

-- AddForeignKey
ALTER TABLE "MailSettings" ADD CONSTRAINT "MailSettings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailSettings" ADD CONSTRAINT "MailSettings_tenantId_defaultQueueId_fkey" FOREIGN KEY ("tenantId", "defaultQueueId") REFERENCES "Queue"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SystemAddress" ADD CONSTRAINT "SystemAddress_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SystemAddress" ADD CONSTRAINT "SystemAddress_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailAccount" ADD CONSTRAINT "MailAccount_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailAccount" ADD CONSTRAINT "MailAccount_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostmasterFilter" ADD CONSTRAINT "PostmasterFilter_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoResponse" ADD CONSTRAINT "AutoResponse_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoResponse" ADD CONSTRAINT "AutoResponse_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMail" ADD CONSTRAINT "InboundMail_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMail" ADD CONSTRAINT "InboundMail_tenantId_mailAccountId_fkey" FOREIGN KEY ("tenantId", "mailAccountId") REFERENCES "MailAccount"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMail" ADD CONSTRAINT "InboundMail_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMail" ADD CONSTRAINT "InboundMail_tenantId_articleId_fkey" FOREIGN KEY ("tenantId", "articleId") REFERENCES "Article"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutgoingMail" ADD CONSTRAINT "OutgoingMail_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutgoingMail" ADD CONSTRAINT "OutgoingMail_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutgoingMail" ADD CONSTRAINT "OutgoingMail_tenantId_articleId_fkey" FOREIGN KEY ("tenantId", "articleId") REFERENCES "Article"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- Row-level security for the mail tables (see *_row_level_security).

ALTER TABLE "MailSettings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MailSettings" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MailSettings"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "SystemAddress" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SystemAddress" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SystemAddress"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "MailAccount" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MailAccount" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MailAccount"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "PostmasterFilter" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PostmasterFilter" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PostmasterFilter"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "AutoResponse" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AutoResponse" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AutoResponse"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "AutoResponseCounter" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AutoResponseCounter" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AutoResponseCounter"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "InboundMail" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InboundMail" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "InboundMail"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "OutgoingMail" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OutgoingMail" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OutgoingMail"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

-- The outbox sweeper looks for unsent mail only.
CREATE INDEX "OutgoingMail_unsent_idx" ON "OutgoingMail" ("createdAt") WHERE "status" IN ('PENDING', 'SENDING');
-- Failed inbound mail, for the admin's retry list.
CREATE INDEX "InboundMail_unfinished_idx" ON "InboundMail" ("receivedAt") WHERE "status" IN ('RECEIVED', 'FAILED');
