-- Issue 10, items 7, 12 and 13: idempotency leases, audit gaps, defence in depth.

-- 13a. Stored idempotent responses hold national identity numbers: the national role's unfiltered read
-- policy (migration 0007) is dropped, so national keys see only their own keys' rows (idempotency_keys_own).
DROP POLICY IF EXISTS idempotency_keys_national_read ON idempotency_keys;

-- 7. An in-progress key is leased to the request that claimed it: the owner renews lease_until while it
-- runs; once the lease has lapsed (the owner died) a retry takes the key over. claim_token names the owner,
-- so a late owner can neither finish nor release a key that was taken over.
ALTER TABLE idempotency_keys ADD COLUMN lease_until timestamptz, ADD COLUMN claim_token uuid;
COMMENT ON COLUMN idempotency_keys.lease_until IS 'While status = 0: the in-progress claim holds until then (renewed by its owner); a lapsed claim may be taken over';
COMMENT ON COLUMN idempotency_keys.claim_token IS 'While status = 0: the owner of the in-progress claim';

-- 13b. Audit ids came from one global sequence and told every province how busy the others were. Each row
-- now has a random public id: the API shows it and pages by it; the sequence stays internal (order).
ALTER TABLE audit_log ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX audit_log_public_id_key ON audit_log (province_code, public_id);
COMMENT ON COLUMN audit_log.public_id IS 'The id the API shows (random: reveals nothing of other provinces'' activity); the cursor of the audit list';

-- 13c. A decision can never supersede itself (nor be superseded by itself).
ALTER TABLE decisions ADD CONSTRAINT decisions_not_self_check
  CHECK (supersedes IS DISTINCT FROM id AND superseded_by IS DISTINCT FROM id);

-- … and is superseded only by the correction that names it (supersedes = its id), so no SQL path can
-- link two decisions the wrong way round or into a cycle.
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
  IF NEW.superseded_by = NEW.id OR NOT EXISTS (SELECT 1 FROM decisions d
       WHERE d.province_code = NEW.province_code AND d.id = NEW.superseded_by AND d.supersedes = NEW.id) THEN
    RAISE EXCEPTION 'a decision is superseded only by the correction that names it' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_not_self_check';
  END IF;
  RETURN NEW;
END
$$;

-- 12. Imports write a before/after audit row per record they create or change. Statement-level triggers
-- with transition tables do it set-based (one INSERT … SELECT per statement), and only inside an import
-- transaction (app.import_job set); the API's own writes audit themselves.
CREATE FUNCTION audit_view(entity text, row_json jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN entity = 'cadre' AND row_json ? 'national_id' THEN
    jsonb_set(row_json, '{national_id}', to_jsonb(CASE WHEN length(row_json->>'national_id') = 12
      THEN left(row_json->>'national_id', 4) || '*****' || right(row_json->>'national_id', 3)
      ELSE repeat('*', length(row_json->>'national_id')) END))
  ELSE row_json END
$$;
COMMENT ON FUNCTION audit_view(text, jsonb) IS 'What the audit log keeps of a row: everything, with a person''s national ID masked';

CREATE FUNCTION audit_import_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  entity text := TG_ARGV[0];
  id_col text := TG_ARGV[1];
BEGIN
  IF coalesce(current_setting('app.import_job', true), '') = '' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    EXECUTE format($q$INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after)
      SELECT n.province_code, nullif(current_setting('app.key_id', true), '')::bigint,
        coalesce(current_setting('app.request_id', true), ''), 'create', %L, n.%I::text, NULL, audit_view(%L, to_jsonb(n))
      FROM new_rows n$q$, entity, id_col, entity);
  ELSE
    EXECUTE format($q$INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after)
      SELECT n.province_code, nullif(current_setting('app.key_id', true), '')::bigint,
        coalesce(current_setting('app.request_id', true), ''), 'update', %L, n.%I::text,
        audit_view(%L, to_jsonb(o)), audit_view(%L, to_jsonb(n))
      FROM new_rows n JOIN old_rows o ON o.province_code = n.province_code AND o.%I = n.%I$q$,
      entity, id_col, entity, entity, id_col, id_col);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_import_rows() IS 'Inside an import (app.import_job set): one audit row per created or changed record, with before and after';

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('communes', 'commune', 'code'), ('hamlets', 'hamlet', 'code'),
                                 ('cadres', 'cadre', 'id'), ('assignments', 'assignment', 'id')) v (tbl, entity, id_col) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION audit_import_rows(%L, %L)', t.tbl || '_import_audit_insert', t.tbl, t.entity, t.id_col);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION audit_import_rows(%L, %L)', t.tbl || '_import_audit_update', t.tbl, t.entity, t.id_col);
  END LOOP;
END
$$;

-- 12. A job or run marked interrupted (by a reader who found its session gone, or at shutdown) leaves an
-- audit row. The reader may be a viewer or the Ministry, who may not write the audit log: the row is
-- written by a SECURITY DEFINER function, whose owner (the migrating user) gets an insert policy of its own.
CREATE FUNCTION audit_interrupted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after)
  VALUES (NEW.province_code, nullif(current_setting('app.key_id', true), '')::bigint,
    coalesce(current_setting('app.request_id', true), ''), 'update', TG_ARGV[0], NEW.id::text,
    jsonb_build_object('status', OLD.status),
    jsonb_build_object('status', NEW.status, 'failure_reason', NEW.failure_reason, 'finished_at', NEW.finished_at));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_interrupted() IS 'Audit row for an import job or entitlement run marked failed/interrupted';
REVOKE ALL ON FUNCTION audit_interrupted() FROM PUBLIC;
DO $$
BEGIN
  EXECUTE format('CREATE POLICY audit_log_insert_definer ON audit_log FOR INSERT TO %I WITH CHECK (true)', current_user);
END
$$;
COMMENT ON POLICY audit_log_insert_definer ON audit_log IS
  'The schema owner (inside SECURITY DEFINER audit functions, and the admin commands) may append audit rows';
CREATE TRIGGER import_jobs_audit_interrupted AFTER UPDATE OF status ON import_jobs FOR EACH ROW
  WHEN (OLD.status = 'running' AND NEW.status = 'failed' AND NEW.failure_reason = 'interrupted')
  EXECUTE FUNCTION audit_interrupted('import_job');
CREATE TRIGGER entitlement_runs_audit_interrupted AFTER UPDATE OF status ON entitlement_runs FOR EACH ROW
  WHEN (OLD.status = 'running' AND NEW.status = 'failed' AND NEW.failure_reason = 'interrupted')
  EXECUTE FUNCTION audit_interrupted('entitlement_run');

-- 12. `server keys create` and `keys revoke` (and any other write to api_keys) leave an audit row, in the
-- same transaction. Key management is an operator act, not a province's: the rows are filed under the
-- national scope (province_code ''), with the key's province in the snapshot. Never the token or its hash.
CREATE FUNCTION audit_api_key() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  snap_old jsonb;
  snap_new jsonb := jsonb_build_object('id', NEW.id, 'name', NEW.name, 'role', NEW.role, 'province_code', NEW.province_code,
    'token_prefix', NEW.token_prefix, 'created_at', NEW.created_at, 'revoked_at', NEW.revoked_at, 'by', session_user);
BEGIN
  IF TG_OP = 'UPDATE' THEN
    snap_old := jsonb_build_object('id', OLD.id, 'name', OLD.name, 'role', OLD.role, 'province_code', OLD.province_code,
      'token_prefix', OLD.token_prefix, 'created_at', OLD.created_at, 'revoked_at', OLD.revoked_at);
  END IF;
  INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after)
  VALUES ('', nullif(current_setting('app.key_id', true), '')::bigint, coalesce(current_setting('app.request_id', true), ''),
    CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE 'update' END, 'api_key', NEW.id::text, snap_old, snap_new);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_api_key() IS 'Audit row for a key created or changed (revoked); filed under the national scope (province_code '''')';
REVOKE ALL ON FUNCTION audit_api_key() FROM PUBLIC;
CREATE TRIGGER api_keys_audit AFTER INSERT OR UPDATE ON api_keys FOR EACH ROW EXECUTE FUNCTION audit_api_key();
