-- communes_at(d) also returns the two flags that pick the administrative-unit standard of the Decree 33/2023
-- increments (migration 0016), so that "as of" reads of communes carry them like every other attribute.
DROP FUNCTION communes_at(date);
CREATE FUNCTION communes_at(d date) RETURNS TABLE (
  province_code text, code text, effective_from date, effective_to date, name text, kind text, class smallint,
  population integer, area_km2 numeric, key_security_order boolean, border boolean, island boolean,
  old_province_code text, successor_code text, version integer, mountainous boolean, ward_of_urban_district boolean)
LANGUAGE sql STABLE AS $$
  SELECT c.province_code, c.code, c.effective_from, c.effective_to, c.name, c.kind,
    coalesce(v.class, c.class), CASE WHEN v.code IS NULL THEN c.population ELSE v.population END,
    CASE WHEN v.code IS NULL THEN c.area_km2 ELSE v.area_km2 END,
    coalesce(v.key_security_order, c.key_security_order), coalesce(v.border, c.border), coalesce(v.island, c.island),
    c.old_province_code, c.successor_code, c.version, c.mountainous, c.ward_of_urban_district
  FROM communes c
  LEFT JOIN commune_history v ON v.province_code = c.province_code AND v.code = c.code AND v.unit_from = c.effective_from
    AND v.valid_from <= d AND (v.valid_to IS NULL OR v.valid_to >= d)
  WHERE c.effective_from <= d AND (c.effective_to IS NULL OR c.effective_to >= d) $$;
COMMENT ON FUNCTION communes_at(date) IS 'Commune-level units in force on a date, with the class, population and flags in force on it';
GRANT EXECUTE ON FUNCTION communes_at(date) TO communehr_app;
