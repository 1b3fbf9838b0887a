-- Issue 11 item 2 (review finding 2): a hamlet's or commune's row holds the latest values and its open
-- history version must say the same. A write without a date (an API PATCH without changes_from, an import,
-- the console, any later path) corrects the row and the latest version together; before this migration
-- only the API's PATCH did (in Go), so a re-import after a dated change changed the row and no read.
-- One implementation for every path: after each UPDATE statement on hamlets/communes, the latest version
-- (greatest valid_from) of each updated unit takes the row's values where they differ. A dated change
-- (the API's changes_from) writes its versions itself and sets app.history_dated for its own statement.

CREATE FUNCTION hamlet_history_follows_row() RETURNS trigger LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION hamlet_history_follows_row() IS 'After an undated update of hamlets, the latest hamlet_history version of each hamlet takes the row''s values (the row always holds the latest version)';
CREATE TRIGGER hamlets_history_follows_row AFTER UPDATE ON hamlets REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hamlet_history_follows_row();

CREATE FUNCTION commune_history_follows_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('app.history_dated', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  UPDATE commune_history v SET class = n.class, population = n.population, area_km2 = n.area_km2,
    key_security_order = n.key_security_order, border = n.border, island = n.island
  FROM new_rows n
  WHERE v.province_code = n.province_code AND v.code = n.code AND v.unit_from = n.effective_from
    AND v.valid_from = (SELECT max(x.valid_from) FROM commune_history x
                        WHERE x.province_code = n.province_code AND x.code = n.code AND x.unit_from = n.effective_from)
    AND (v.class, v.population, v.area_km2, v.key_security_order, v.border, v.island)
      IS DISTINCT FROM (n.class, n.population, n.area_km2, n.key_security_order, n.border, n.island);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION commune_history_follows_row() IS 'After an undated update of communes, the latest commune_history version of each unit takes the row''s values (the row always holds the latest version)';
CREATE TRIGGER communes_history_follows_row AFTER UPDATE ON communes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION commune_history_follows_row();

-- Repair what imports left behind: a latest version that disagrees with its row takes the row's values.
UPDATE hamlet_history v SET kind = h.kind, households = h.households, key_security_order = h.key_security_order,
  border_or_island = h.border_or_island, converted_from_thon = h.converted_from_thon
FROM hamlets h
WHERE v.province_code = h.province_code AND v.hamlet_code = h.code
  AND v.valid_from = (SELECT max(x.valid_from) FROM hamlet_history x WHERE x.province_code = h.province_code AND x.hamlet_code = h.code)
  AND (v.kind, v.households, v.key_security_order, v.border_or_island, v.converted_from_thon)
    IS DISTINCT FROM (h.kind, h.households, h.key_security_order, h.border_or_island, h.converted_from_thon);
UPDATE commune_history v SET class = c.class, population = c.population, area_km2 = c.area_km2,
  key_security_order = c.key_security_order, border = c.border, island = c.island
FROM communes c
WHERE v.province_code = c.province_code AND v.code = c.code AND v.unit_from = c.effective_from
  AND v.valid_from = (SELECT max(x.valid_from) FROM commune_history x
                      WHERE x.province_code = c.province_code AND x.code = c.code AND x.unit_from = c.effective_from)
  AND (v.class, v.population, v.area_km2, v.key_security_order, v.border, v.island)
    IS DISTINCT FROM (c.class, c.population, c.area_km2, c.key_security_order, c.border, c.island);
