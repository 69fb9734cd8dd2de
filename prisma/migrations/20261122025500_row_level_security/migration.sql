-- Tenant isolation enforced by PostgreSQL itself.
--
-- Every tenant-owned table gets row-level security, ENABLEd and FORCEd (so even the table owner
-- is subject to it), with one policy: rows are visible and writable only when "tenantId" equals
-- the transaction-local setting app.tenant_id. With the setting absent or empty, nothing is
-- visible. The API connects as parley_app (NOBYPASSRLS, owns nothing); provider and system work
-- uses parley_system (BYPASSRLS). Both roles are created by prisma/src/migrate.ts.

CREATE FUNCTION parley_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

ALTER TABLE "Tenant" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Tenant" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Tenant"
  USING ("id" = parley_current_tenant())
  WITH CHECK ("id" = parley_current_tenant());

ALTER TABLE "User" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "User" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "User"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Role" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Role" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Role"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "UserRole" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "UserRole" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "UserRole"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "QueuePermission" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "QueuePermission" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "QueuePermission"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "CustomerCompany" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerCompany" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerCompany"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "CustomerUser" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerUser" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerUser"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Queue" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Queue" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Queue"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketState" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketState" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketState"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Priority" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Priority" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Priority"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketType" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketType" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketType"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketCounter" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketCounter" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketCounter"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Ticket" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Ticket" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Ticket"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Article" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Article" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Article"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Attachment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Attachment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Attachment"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketHistory" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketHistory" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketHistory"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketView" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketView" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketView"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketWatch" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketWatch" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketWatch"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "TicketLink" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TicketLink" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TicketLink"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "SavedSearch" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "SavedSearch" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SavedSearch"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "CustomFieldDefinition" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomFieldDefinition" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomFieldDefinition"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "CustomFieldValue" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomFieldValue" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomFieldValue"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "StandardTemplate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StandardTemplate" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "StandardTemplate"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "Session" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Session" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Session"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());

ALTER TABLE "ApiKey" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ApiKey" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ApiKey"
  USING ("tenantId" = parley_current_tenant())
  WITH CHECK ("tenantId" = parley_current_tenant());
