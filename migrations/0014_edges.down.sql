DROP TRIGGER IF EXISTS api_keys_audit ON api_keys;
DROP FUNCTION IF EXISTS audit_api_key();
DROP TRIGGER IF EXISTS entitlement_runs_audit_interrupted ON entitlement_runs;
DROP TRIGGER IF EXISTS import_jobs_audit_interrupted ON import_jobs;
DROP POLICY IF EXISTS audit_log_insert_definer ON audit_log;
DROP FUNCTION IF EXISTS audit_interrupted();
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['communes', 'hamlets', 'cadres', 'assignments'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_import_audit_insert', t);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_import_audit_update', t);
  END LOOP;
END
$$;
DROP FUNCTION IF EXISTS audit_import_rows();
DROP FUNCTION IF EXISTS audit_view(text, jsonb);
ALTER TABLE decisions DROP CONSTRAINT IF EXISTS decisions_not_self_check;
DROP INDEX IF EXISTS audit_log_public_id_key;
ALTER TABLE audit_log DROP COLUMN IF EXISTS public_id;
ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS lease_until, DROP COLUMN IF EXISTS claim_token;
CREATE POLICY idempotency_keys_national_read ON idempotency_keys FOR SELECT TO communehr_national USING (true);
