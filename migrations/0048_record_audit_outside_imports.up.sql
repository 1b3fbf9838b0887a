-- Every change to a record is recoverable from the audit log (issue 10 item 12), outside imports too.
--
-- 1. The per-record audit triggers of 0014 acted only inside an import (app.import_job). A reorganisation
--    apply and a reference-units load change units, hamlets and posts set-wise too: they set
--    app.record_audit (to what is being done, e.g. 'reorganisation:<id>') and the same triggers write one
--    row per created or changed record, with before and after, and the officer (app.user_id, app.username).
-- 2. A commune-level unit is its code and its period (0019): the update rows of communes join the old and
--    new rows on (code, effective_from), not on the code alone (an import updating the old and the new
--    06661 paired each with the other), and the entity id says which unit: code@YYYY-MM-DD.
CREATE OR REPLACE FUNCTION audit_import_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  entity text := TG_ARGV[0];
  id_col text := TG_ARGV[1];
  id_expr text := format('n.%I::text', id_col);
  join_on text := format('o.%I = n.%I', id_col, id_col);
BEGIN
  IF coalesce(current_setting('app.import_job', true), '') = '' AND coalesce(current_setting('app.record_audit', true), '') = '' THEN
    RETURN NULL;
  END IF;
  IF TG_NARGS > 2 THEN
    id_expr := format('n.%I::text || ''@'' || to_char(n.%I, ''YYYY-MM-DD'')', id_col, TG_ARGV[2]);
    join_on := join_on || format(' AND o.%I = n.%I', TG_ARGV[2], TG_ARGV[2]);
  END IF;
  IF TG_OP = 'INSERT' THEN
    EXECUTE format($q$INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after, user_id, username)
      SELECT n.province_code, nullif(current_setting('app.key_id', true), '')::bigint,
        coalesce(current_setting('app.request_id', true), ''), 'create', %L, %s, NULL, audit_view(%L, to_jsonb(n)),
        nullif(nullif(current_setting('app.user_id', true), ''), '0')::bigint, nullif(current_setting('app.username', true), '')
      FROM new_rows n$q$, entity, id_expr, entity);
  ELSE
    EXECUTE format($q$INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after, user_id, username)
      SELECT n.province_code, nullif(current_setting('app.key_id', true), '')::bigint,
        coalesce(current_setting('app.request_id', true), ''), 'update', %L, %s,
        audit_view(%L, to_jsonb(o)), audit_view(%L, to_jsonb(n)),
        nullif(nullif(current_setting('app.user_id', true), ''), '0')::bigint, nullif(current_setting('app.username', true), '')
      FROM new_rows n JOIN old_rows o ON o.province_code = n.province_code AND %s$q$,
      entity, id_expr, entity, entity, join_on);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_import_rows() IS 'Inside an import (app.import_job set) or another set-wise write that asks for it (app.record_audit: a reorganisation apply, a reference-units load): one audit row per created or changed record, with before and after; a commune-level unit is named code@YYYY-MM-DD';

DROP TRIGGER communes_import_audit_insert ON communes;
DROP TRIGGER communes_import_audit_update ON communes;
CREATE TRIGGER communes_import_audit_insert AFTER INSERT ON communes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_import_rows('commune', 'code', 'effective_from');
CREATE TRIGGER communes_import_audit_update AFTER UPDATE ON communes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_import_rows('commune', 'code', 'effective_from');
