-- 0033_enable_tenant_rls: one helper for the row-level security of every future tenant table (issue 15),
-- so that a new table gets exactly the policies the existing ones have instead of a hand-copied set.
--   CREATE TABLE things (province_code text NOT NULL REFERENCES provinces, ..., PRIMARY KEY (province_code, ...));
--   SELECT enable_tenant_rls('things');
--   GRANT SELECT, INSERT, UPDATE, DELETE ON things TO communehr_app;   -- only what the application needs
-- It enables and forces row-level security and creates <table>_read (can_read), <table>_insert,
-- <table>_update and <table>_delete (can_write), all on province_code, and <table>_national_read, the
-- unfiltered read of national transactions (communehr_national, migration 0007). A table with other rules (append-only,
-- operator-written) drops or replaces the policies it must not have after the call.
CREATE FUNCTION enable_tenant_rls(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  name text;
BEGIN
  SELECT c.relname INTO name FROM pg_class c WHERE c.oid = tbl;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = tbl AND a.attname = 'province_code' AND NOT a.attisdropped) THEN
    RAISE EXCEPTION 'enable_tenant_rls: % has no province_code column', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY %I ON %s FOR SELECT USING (can_read(province_code))', name || '_read', tbl);
  EXECUTE format('CREATE POLICY %I ON %s FOR INSERT WITH CHECK (can_write(province_code))', name || '_insert', tbl);
  EXECUTE format('CREATE POLICY %I ON %s FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code))', name || '_update', tbl);
  EXECUTE format('CREATE POLICY %I ON %s FOR DELETE USING (can_write(province_code))', name || '_delete', tbl);
  EXECUTE format('CREATE POLICY %I ON %s FOR SELECT TO communehr_national USING (true)', name || '_national_read', tbl);
END
$$;
REVOKE EXECUTE ON FUNCTION enable_tenant_rls(regclass) FROM PUBLIC;
COMMENT ON FUNCTION enable_tenant_rls(regclass) IS
  'Row-level security of a tenant table: enabled and forced, with the standard read (can_read) and insert/update/delete (can_write) policies on province_code, and the national read of communehr_national. Use it for every new tenant table (see migrations 0033).';
