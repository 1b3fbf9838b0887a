CREATE OR REPLACE FUNCTION hamlets_at(d date) RETURNS TABLE (
  province_code text, code text, commune_code text, commune_from date, name text, kind text, households integer,
  key_security_order boolean, border_or_island boolean, converted_from_thon boolean, effective_from date,
  effective_to date, successor_code text, version integer)
LANGUAGE sql STABLE AS $$
  SELECT h.province_code, h.code, h.commune_code, h.commune_from, h.name, coalesce(v.kind, h.kind),
    coalesce(v.households, h.households), coalesce(v.key_security_order, h.key_security_order),
    CASE WHEN v.hamlet_code IS NULL THEN h.border_or_island ELSE v.border_or_island END,
    coalesce(v.converted_from_thon, h.converted_from_thon), h.effective_from, h.effective_to, h.successor_code, h.version
  FROM hamlets h
  LEFT JOIN hamlet_history v ON v.province_code = h.province_code AND v.hamlet_code = h.code
    AND v.valid_from <= d AND (v.valid_to IS NULL OR v.valid_to >= d)
  WHERE h.effective_from <= d AND (h.effective_to IS NULL OR h.effective_to >= d) $$;
CREATE OR REPLACE FUNCTION hamlet_history_follows_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('app.history_dated', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  UPDATE hamlet_history v SET kind = n.kind, households = n.households, key_security_order = n.key_security_order,
    border_or_island = n.border_or_island, converted_from_thon = n.converted_from_thon
  FROM new_rows n
  WHERE v.province_code = n.province_code AND v.hamlet_code = n.code
    AND v.valid_from = (SELECT max(x.valid_from) FROM hamlet_history x
                        WHERE x.province_code = n.province_code AND x.hamlet_code = n.code)
    AND (v.kind, v.households, v.key_security_order, v.border_or_island, v.converted_from_thon)
      IS DISTINCT FROM (n.kind, n.households, n.key_security_order, n.border_or_island, n.converted_from_thon);
  RETURN NULL;
END $$;
ALTER TABLE hamlet_history DROP CONSTRAINT hamlet_history_commune_fkey, DROP COLUMN commune_from, DROP COLUMN commune_code;
