-- Issue 11 item 6 (review finding 1): a hamlet's commune is a time-varying attribute. A commune merger moves
-- the hamlets of the old units to the successor from the effective date; the reads of an earlier date must
-- still find them under the old unit (before this migration the move rewrote hamlets.commune_code and the
-- reports and national summary of earlier dates lost the hamlets and their posts). Each version of
-- hamlet_history now says which commune unit the hamlet belonged to during it; the row keeps the latest.
ALTER TABLE hamlet_history ADD COLUMN commune_code text, ADD COLUMN commune_from date;
-- Versions recorded before this migration: the hamlet's present unit (the only one known).
UPDATE hamlet_history v SET commune_code = h.commune_code, commune_from = h.commune_from
FROM hamlets h WHERE h.province_code = v.province_code AND h.code = v.hamlet_code;
ALTER TABLE hamlet_history ALTER COLUMN commune_code SET NOT NULL, ALTER COLUMN commune_from SET NOT NULL,
  ADD CONSTRAINT hamlet_history_commune_fkey FOREIGN KEY (province_code, commune_code, commune_from)
    REFERENCES communes (province_code, code, effective_from) ON UPDATE CASCADE;
-- A commune's report as of a date reads the hamlets whose version names it by this key.
CREATE INDEX hamlet_history_commune_idx ON hamlet_history (province_code, commune_code, commune_from);
COMMENT ON COLUMN hamlet_history.commune_code IS 'The commune-level unit (with commune_from) the hamlet belonged to during the version';

-- The trigger of migration 0046 carries the commune too: an undated move corrects the latest version.
CREATE OR REPLACE FUNCTION hamlet_history_follows_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('app.history_dated', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  UPDATE hamlet_history v SET kind = n.kind, households = n.households, key_security_order = n.key_security_order,
    border_or_island = n.border_or_island, converted_from_thon = n.converted_from_thon,
    commune_code = n.commune_code, commune_from = n.commune_from
  FROM new_rows n
  WHERE v.province_code = n.province_code AND v.hamlet_code = n.code
    AND v.valid_from = (SELECT max(x.valid_from) FROM hamlet_history x
                        WHERE x.province_code = n.province_code AND x.hamlet_code = n.code)
    AND (v.kind, v.households, v.key_security_order, v.border_or_island, v.converted_from_thon, v.commune_code, v.commune_from)
      IS DISTINCT FROM (n.kind, n.households, n.key_security_order, n.border_or_island, n.converted_from_thon,
                        n.commune_code, n.commune_from);
  RETURN NULL;
END $$;

-- hamlets_at(d): the commune in force on d too.
CREATE OR REPLACE FUNCTION hamlets_at(d date) RETURNS TABLE (
  province_code text, code text, commune_code text, commune_from date, name text, kind text, households integer,
  key_security_order boolean, border_or_island boolean, converted_from_thon boolean, effective_from date,
  effective_to date, successor_code text, version integer)
LANGUAGE sql STABLE AS $$
  SELECT h.province_code, h.code, coalesce(v.commune_code, h.commune_code), coalesce(v.commune_from, h.commune_from),
    h.name, coalesce(v.kind, h.kind),
    coalesce(v.households, h.households), coalesce(v.key_security_order, h.key_security_order),
    CASE WHEN v.hamlet_code IS NULL THEN h.border_or_island ELSE v.border_or_island END,
    coalesce(v.converted_from_thon, h.converted_from_thon), h.effective_from, h.effective_to, h.successor_code, h.version
  FROM hamlets h
  LEFT JOIN hamlet_history v ON v.province_code = h.province_code AND v.hamlet_code = h.code
    AND v.valid_from <= d AND (v.valid_to IS NULL OR v.valid_to >= d)
  WHERE h.effective_from <= d AND (h.effective_to IS NULL OR h.effective_to >= d) $$;
COMMENT ON FUNCTION hamlets_at(date) IS 'Hamlets in force on a date, with the commune unit, households and flags in force on it';
