-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserKind" AS ENUM ('AGENT', 'ADMIN');

-- CreateEnum
CREATE TYPE "Permission" AS ENUM ('RO', 'MOVE_INTO', 'CREATE', 'NOTE', 'OWNER', 'PRIORITY', 'RW');

-- CreateEnum
CREATE TYPE "FollowUpOption" AS ENUM ('POSSIBLE', 'REJECT', 'NEW_TICKET');

-- CreateEnum
CREATE TYPE "StateType" AS ENUM ('NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE', 'CLOSED', 'MERGED', 'REMOVED');

-- CreateEnum
CREATE TYPE "TicketChannel" AS ENUM ('EMAIL', 'PHONE', 'PORTAL', 'NOTE', 'CHAT', 'API');

-- CreateEnum
CREATE TYPE "SenderType" AS ENUM ('AGENT', 'CUSTOMER', 'SYSTEM');

-- CreateEnum
CREATE TYPE "WatchKind" AS ENUM ('WATCH', 'STAR');

-- CreateEnum
CREATE TYPE "LinkKind" AS ENUM ('NORMAL', 'PARENT_CHILD');

-- CreateEnum
CREATE TYPE "CustomFieldType" AS ENUM ('TEXT', 'TEXTAREA', 'DROPDOWN', 'MULTISELECT', 'CHECKBOXES', 'RADIO', 'DATE', 'DATETIME', 'HTML');

-- CreateEnum
CREATE TYPE "TemplateKind" AS ENUM ('ANSWER', 'CREATE', 'FORWARD', 'NOTE', 'SNIPPET');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "ticketNumberFormat" TEXT NOT NULL DEFAULT 'date',
    "systemId" INTEGER NOT NULL DEFAULT 10,
    "ticketHook" TEXT NOT NULL DEFAULT 'Ticket#',
    "defaultLocale" TEXT NOT NULL DEFAULT 'en',
    "mailDomain" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "kind" "UserKind" NOT NULL DEFAULT 'AGENT',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "locale" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Role" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserRole" (
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "roleId" UUID NOT NULL,

    CONSTRAINT "UserRole_pkey" PRIMARY KEY ("tenantId","userId","roleId")
);

-- CreateTable
CREATE TABLE "QueuePermission" (
    "tenantId" UUID NOT NULL,
    "roleId" UUID NOT NULL,
    "queueId" UUID NOT NULL,
    "permissions" "Permission"[],

    CONSTRAINT "QueuePermission_pkey" PRIMARY KEY ("tenantId","roleId","queueId")
);

-- CreateTable
CREATE TABLE "CustomerCompany" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerCompany_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerUser" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "companyId" UUID,
    "seesCompanyTickets" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Queue" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "comment" TEXT,
    "ticketPrefix" TEXT,
    "followUpOption" "FollowUpOption" NOT NULL DEFAULT 'POSSIBLE',
    "followUpLock" BOOLEAN NOT NULL DEFAULT false,
    "unlockTimeoutMinutes" INTEGER,
    "salutation" TEXT,
    "signature" TEXT,
    "systemAddress" TEXT,
    "openToCustomers" BOOLEAN NOT NULL DEFAULT false,
    "calendarId" UUID,
    "slaId" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Queue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketState" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "StateType" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "TicketState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Priority" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "color" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Priority_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketType" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "TicketType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketCounter" (
    "tenantId" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "value" BIGINT NOT NULL,

    CONSTRAINT "TicketCounter_pkey" PRIMARY KEY ("tenantId","scope")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "queueId" UUID NOT NULL,
    "stateId" UUID NOT NULL,
    "priorityId" UUID NOT NULL,
    "typeId" UUID,
    "ownerId" UUID,
    "responsibleId" UUID,
    "lockedById" UUID,
    "lockedAt" TIMESTAMPTZ(3),
    "customerUserId" UUID,
    "customerCompanyId" UUID,
    "channel" "TicketChannel" NOT NULL DEFAULT 'PORTAL',
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "mergedIntoId" UUID,
    "pendingUntil" TIMESTAMPTZ(3),
    "firstResponseAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "firstResponseDueAt" TIMESTAMPTZ(3),
    "updateDueAt" TIMESTAMPTZ(3),
    "solutionDueAt" TIMESTAMPTZ(3),
    "escalationAt" TIMESTAMPTZ(3),
    "submitterIp" TEXT,
    "submitterUserAgent" TEXT,
    "submitterSourceUrl" TEXT,
    "submittedAsGuest" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Article" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "channel" "TicketChannel" NOT NULL,
    "senderType" "SenderType" NOT NULL,
    "visibleToCustomer" BOOLEAN NOT NULL DEFAULT true,
    "subject" TEXT,
    "bodyText" TEXT NOT NULL,
    "bodyHtml" TEXT,
    "fromAddress" TEXT,
    "toAddresses" TEXT[],
    "ccAddresses" TEXT[],
    "messageId" TEXT,
    "inReplyTo" TEXT,
    "references" TEXT[],
    "authorUserId" UUID,
    "authorCustomerUserId" UUID,
    "timeMinutes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" TIMESTAMPTZ(3),
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "contentId" TEXT,
    "inline" BOOLEAN NOT NULL DEFAULT false,
    "storageKey" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketHistory" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "field" TEXT,
    "oldValue" TEXT,
    "newValue" TEXT,
    "actorUserId" UUID,
    "actorCustomerUserId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketView" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "userId" UUID,
    "customerUserId" UUID,
    "ip" TEXT,
    "userAgent" TEXT,
    "viewedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketWatch" (
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "WatchKind" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketWatch_pkey" PRIMARY KEY ("tenantId","ticketId","userId","kind")
);

-- CreateTable
CREATE TABLE "TicketLink" (
    "tenantId" UUID NOT NULL,
    "sourceTicketId" UUID NOT NULL,
    "targetTicketId" UUID NOT NULL,
    "kind" "LinkKind" NOT NULL DEFAULT 'NORMAL',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketLink_pkey" PRIMARY KEY ("tenantId","sourceTicketId","targetTicketId")
);

-- CreateTable
CREATE TABLE "SavedSearch" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedSearch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomFieldDefinition" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "queueId" UUID,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" "CustomFieldType" NOT NULL,
    "options" TEXT[],
    "required" BOOLEAN NOT NULL DEFAULT false,
    "visibleToCustomer" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomFieldDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomFieldValue" (
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "fieldId" UUID NOT NULL,
    "value" JSONB NOT NULL,

    CONSTRAINT "CustomFieldValue_pkey" PRIMARY KEY ("tenantId","ticketId","fieldId")
);

-- CreateTable
CREATE TABLE "StandardTemplate" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "TemplateKind" NOT NULL DEFAULT 'ANSWER',
    "body" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StandardTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID,
    "customerUserId" UUID,
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_tenantId_id_key" ON "User"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "User_tenantId_email_key" ON "User"("tenantId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Role_tenantId_id_key" ON "Role"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Role_tenantId_name_key" ON "Role"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerCompany_tenantId_id_key" ON "CustomerCompany"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerCompany_tenantId_name_key" ON "CustomerCompany"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerUser_tenantId_id_key" ON "CustomerUser"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerUser_tenantId_email_key" ON "CustomerUser"("tenantId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Queue_tenantId_id_key" ON "Queue"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Queue_tenantId_name_key" ON "Queue"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "TicketState_tenantId_id_key" ON "TicketState"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TicketState_tenantId_name_key" ON "TicketState"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Priority_tenantId_id_key" ON "Priority"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Priority_tenantId_name_key" ON "Priority"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "TicketType_tenantId_id_key" ON "TicketType"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TicketType_tenantId_name_key" ON "TicketType"("tenantId", "name");

-- CreateIndex
CREATE INDEX "Ticket_tenantId_queueId_stateId_createdAt_idx" ON "Ticket"("tenantId", "queueId", "stateId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Ticket_tenantId_customerUserId_createdAt_idx" ON "Ticket"("tenantId", "customerUserId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Ticket_tenantId_ownerId_stateId_idx" ON "Ticket"("tenantId", "ownerId", "stateId");

-- CreateIndex
CREATE INDEX "Ticket_tenantId_createdAt_idx" ON "Ticket"("tenantId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_tenantId_id_key" ON "Ticket"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_tenantId_number_key" ON "Ticket"("tenantId", "number");

-- CreateIndex
CREATE INDEX "Article_tenantId_ticketId_createdAt_idx" ON "Article"("tenantId", "ticketId", "createdAt");

-- CreateIndex
CREATE INDEX "Article_tenantId_messageId_idx" ON "Article"("tenantId", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Article_tenantId_id_key" ON "Article"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Attachment_tenantId_articleId_idx" ON "Attachment"("tenantId", "articleId");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_tenantId_id_key" ON "Attachment"("tenantId", "id");

-- CreateIndex
CREATE INDEX "TicketHistory_tenantId_ticketId_createdAt_idx" ON "TicketHistory"("tenantId", "ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TicketHistory_tenantId_id_key" ON "TicketHistory"("tenantId", "id");

-- CreateIndex
CREATE INDEX "TicketView_tenantId_ticketId_viewedAt_idx" ON "TicketView"("tenantId", "ticketId", "viewedAt" DESC);

-- CreateIndex
CREATE INDEX "TicketWatch_tenantId_userId_kind_idx" ON "TicketWatch"("tenantId", "userId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSearch_tenantId_id_key" ON "SavedSearch"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSearch_tenantId_userId_name_key" ON "SavedSearch"("tenantId", "userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CustomFieldDefinition_tenantId_id_key" ON "CustomFieldDefinition"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CustomFieldDefinition_tenantId_key_key" ON "CustomFieldDefinition"("tenantId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "StandardTemplate_tenantId_id_key" ON "StandardTemplate"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "StandardTemplate_tenantId_name_key" ON "StandardTemplate"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_tenantId_expiresAt_idx" ON "Session"("tenantId", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_tenantId_id_key" ON "ApiKey"("tenantId", "id");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Role" ADD CONSTRAINT "Role_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_tenantId_roleId_fkey" FOREIGN KEY ("tenantId", "roleId") REFERENCES "Role"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueuePermission" ADD CONSTRAINT "QueuePermission_tenantId_roleId_fkey" FOREIGN KEY ("tenantId", "roleId") REFERENCES "Role"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueuePermission" ADD CONSTRAINT "QueuePermission_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerCompany" ADD CONSTRAINT "CustomerCompany_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerUser" ADD CONSTRAINT "CustomerUser_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerUser" ADD CONSTRAINT "CustomerUser_tenantId_companyId_fkey" FOREIGN KEY ("tenantId", "companyId") REFERENCES "CustomerCompany"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Queue" ADD CONSTRAINT "Queue_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketState" ADD CONSTRAINT "TicketState_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Priority" ADD CONSTRAINT "Priority_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketType" ADD CONSTRAINT "TicketType_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketCounter" ADD CONSTRAINT "TicketCounter_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_stateId_fkey" FOREIGN KEY ("tenantId", "stateId") REFERENCES "TicketState"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_priorityId_fkey" FOREIGN KEY ("tenantId", "priorityId") REFERENCES "Priority"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_typeId_fkey" FOREIGN KEY ("tenantId", "typeId") REFERENCES "TicketType"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_ownerId_fkey" FOREIGN KEY ("tenantId", "ownerId") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_responsibleId_fkey" FOREIGN KEY ("tenantId", "responsibleId") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_lockedById_fkey" FOREIGN KEY ("tenantId", "lockedById") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_customerUserId_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_customerCompanyId_fkey" FOREIGN KEY ("tenantId", "customerCompanyId") REFERENCES "CustomerCompany"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_tenantId_mergedIntoId_fkey" FOREIGN KEY ("tenantId", "mergedIntoId") REFERENCES "Ticket"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_tenantId_authorUserId_fkey" FOREIGN KEY ("tenantId", "authorUserId") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_tenantId_authorCustomerUserId_fkey" FOREIGN KEY ("tenantId", "authorCustomerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_tenantId_articleId_fkey" FOREIGN KEY ("tenantId", "articleId") REFERENCES "Article"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketHistory" ADD CONSTRAINT "TicketHistory_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketHistory" ADD CONSTRAINT "TicketHistory_tenantId_actorUserId_fkey" FOREIGN KEY ("tenantId", "actorUserId") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketHistory" ADD CONSTRAINT "TicketHistory_tenantId_actorCustomerUserId_fkey" FOREIGN KEY ("tenantId", "actorCustomerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketView" ADD CONSTRAINT "TicketView_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketView" ADD CONSTRAINT "TicketView_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketView" ADD CONSTRAINT "TicketView_tenantId_customerUserId_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketWatch" ADD CONSTRAINT "TicketWatch_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketWatch" ADD CONSTRAINT "TicketWatch_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_tenantId_sourceTicketId_fkey" FOREIGN KEY ("tenantId", "sourceTicketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_tenantId_targetTicketId_fkey" FOREIGN KEY ("tenantId", "targetTicketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedSearch" ADD CONSTRAINT "SavedSearch_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomFieldDefinition" ADD CONSTRAINT "CustomFieldDefinition_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomFieldDefinition" ADD CONSTRAINT "CustomFieldDefinition_tenantId_queueId_fkey" FOREIGN KEY ("tenantId", "queueId") REFERENCES "Queue"("tenantId", "id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomFieldValue" ADD CONSTRAINT "CustomFieldValue_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomFieldValue" ADD CONSTRAINT "CustomFieldValue_tenantId_fieldId_fkey" FOREIGN KEY ("tenantId", "fieldId") REFERENCES "CustomFieldDefinition"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StandardTemplate" ADD CONSTRAINT "StandardTemplate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_tenantId_customerUserId_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_createdById_fkey" FOREIGN KEY ("tenantId", "createdById") REFERENCES "User"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
