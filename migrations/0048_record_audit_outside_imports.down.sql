DROP TRIGGER communes_import_audit_insert ON communes;
DROP TRIGGER communes_import_audit_update ON communes;
CREATE TRIGGER communes_import_audit_insert AFTER INSERT ON communes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_import_rows('commune', 'code');
CREATE TRIGGER communes_import_audit_update AFTER UPDATE ON communes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_import_rows('commune', 'code');

CREATE OR REPLACE FUNCTION audit_import_rows() RETURNS trigger LANGUAGE plpgsql AS $$
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
