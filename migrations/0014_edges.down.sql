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
CREATE OR REPLACE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'decisions are immutable: a decision cannot be deleted' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_immutable';
  END IF;
  IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
     OR (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by') THEN
    RAISE EXCEPTION 'decisions are immutable: only superseded_by may be set, once' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_immutable';
  END IF;
  RETURN NEW;
END
$$;
DROP INDEX IF EXISTS audit_log_public_id_key;
ALTER TABLE audit_log DROP COLUMN IF EXISTS public_id;
ALTER TABLE idempotency_keys DROP COLUMN IF EXISTS lease_until, DROP COLUMN IF EXISTS claim_token;
CREATE POLICY idempotency_keys_national_read ON idempotency_keys FOR SELECT TO communehr_national USING (true);
