-- Reverts 0033_enable_tenant_rls.up.sql (tables made with it keep their policies).
DROP FUNCTION IF EXISTS enable_tenant_rls(regclass);
