CREATE OR REPLACE FUNCTION audit_view(entity text, row_json jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN entity = 'cadre' AND row_json ? 'national_id' THEN
    jsonb_set(row_json, '{national_id}', to_jsonb(CASE WHEN length(row_json->>'national_id') = 12
      THEN left(row_json->>'national_id', 4) || '*****' || right(row_json->>'national_id', 3)
      ELSE repeat('*', length(row_json->>'national_id')) END))
  ELSE row_json END
$$;
COMMENT ON FUNCTION audit_view(text, jsonb) IS 'What the audit log keeps of a row: everything, with a person''s national ID masked';
DROP FUNCTION audit_mask_national_id(jsonb);
