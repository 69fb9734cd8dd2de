-- CreateTable
CREATE TABLE "TicketSeen" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ticketId" UUID NOT NULL,
    "userId" UUID,
    "customerUserId" UUID,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TicketSeen_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TicketSeen_tenantId_id_key" ON "TicketSeen"("tenantId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "TicketSeen_tenantId_ticketId_userId_key" ON "TicketSeen"("tenantId", "ticketId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "TicketSeen_tenantId_ticketId_customerUserId_key" ON "TicketSeen"("tenantId", "ticketId", "customerUserId");

-- AddForeignKey
ALTER TABLE "TicketSeen" ADD CONSTRAINT "TicketSeen_tenantId_ticketId_fkey" FOREIGN KEY ("tenantId", "ticketId") REFERENCES "Ticket"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketSeen" ADD CONSTRAINT "TicketSeen_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "User"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketSeen" ADD CONSTRAINT "TicketSeen_tenantId_customerUserId_fkey" FOREIGN KEY ("tenantId", "customerUserId") REFERENCES "CustomerUser"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Exactly one viewer per mark: an agent or a customer user.
ALTER TABLE "TicketSeen" ADD CONSTRAINT "TicketSeen_one_viewer" CHECK (num_nonnulls("userId", "customerUserId") = 1);

-- Row-level security (as in *_row_level_security).
ALTER TABLE "TicketSeen" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketSeen" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketSeen"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
