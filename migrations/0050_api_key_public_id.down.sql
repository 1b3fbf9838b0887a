CREATE OR REPLACE FUNCTION audit_api_key() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
DROP INDEX api_keys_public_id_key;
ALTER TABLE api_keys DROP COLUMN public_id;
