DROP TRIGGER assignments_commune_from ON assignments;
CREATE TRIGGER assignments_commune_from BEFORE INSERT OR UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_commune_from();
DROP TRIGGER communes_successor_fkey ON communes;
CREATE CONSTRAINT TRIGGER communes_successor_fkey AFTER INSERT OR UPDATE OF successor_code ON communes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION communes_successor_exists();
CREATE OR REPLACE FUNCTION audit_view(entity text, row_json jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN entity = 'cadre' AND row_json ? 'national_id' THEN
    jsonb_set(row_json, '{national_id}', to_jsonb(CASE WHEN length(row_json->>'national_id') = 12
      THEN left(row_json->>'national_id', 4) || '*****' || right(row_json->>'national_id', 3)
      ELSE repeat('*', length(row_json->>'national_id')) END))
  ELSE row_json END
$$;
COMMENT ON FUNCTION audit_view(text, jsonb) IS 'What the audit log keeps of a row: everything, with a person''s national ID masked';
DROP FUNCTION audit_mask_national_id(jsonb);
