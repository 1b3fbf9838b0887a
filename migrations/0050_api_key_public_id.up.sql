-- 0050_api_key_public_id: api_keys.id comes from one global sequence; shown to a province (GET /v1/me, the
-- key_id of its audit entries and decisions) it told how many keys were made nationally. Each key now has
-- a random public id, the only one the API and `server keys` show; the sequence stays internal (foreign
-- keys, idempotency records), as was done for audit ids in 0014.
ALTER TABLE api_keys ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX api_keys_public_id_key ON api_keys (public_id);
COMMENT ON COLUMN api_keys.public_id IS 'The id the API and server keys list/revoke show (random: reveals nothing of how many keys exist)';

-- The audit rows of keys name the key by its public id too.
CREATE OR REPLACE FUNCTION audit_api_key() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  snap_old jsonb;
  snap_new jsonb := jsonb_build_object('id', NEW.public_id, 'name', NEW.name, 'role', NEW.role, 'province_code', NEW.province_code,
    'token_prefix', NEW.token_prefix, 'created_at', NEW.created_at, 'revoked_at', NEW.revoked_at, 'by', session_user);
BEGIN
  IF TG_OP = 'UPDATE' THEN
    snap_old := jsonb_build_object('id', OLD.public_id, 'name', OLD.name, 'role', OLD.role, 'province_code', OLD.province_code,
      'token_prefix', OLD.token_prefix, 'created_at', OLD.created_at, 'revoked_at', OLD.revoked_at);
  END IF;
  INSERT INTO audit_log (province_code, api_key_id, request_id, action, entity, entity_id, before, after)
  VALUES ('', nullif(current_setting('app.key_id', true), '')::bigint, coalesce(current_setting('app.request_id', true), ''),
    CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE 'update' END, 'api_key', NEW.public_id::text, snap_old, snap_new);
  RETURN NULL;
END
$$;
