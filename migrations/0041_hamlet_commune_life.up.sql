-- 0041_hamlet_commune_life: a hamlet lives inside its commune's life (issue 11). The rule is checked by the
-- register on every write (internal/store/unit_rules.go), not by a CHECK: rows recorded before it may
-- break it, and this migration must not fail on them; it reports them instead (a notice per province).
--
-- commune_life_from is where a commune-level unit's life starts for its hamlets: the earliest start of the
-- unit and of the units it continues (a unit of another code naming it as successor, or an earlier period of
-- its own code, ending the day before it starts). A hamlet moved into a merged unit keeps its own start.
CREATE FUNCTION commune_life_from(p text, c text, f date) RETURNS date LANGUAGE sql STABLE AS $$
  WITH RECURSIVE line(code, f) AS (
    SELECT c, f
    UNION
    SELECT o.code, o.effective_from FROM communes o JOIN line l ON o.province_code = p AND o.effective_to = l.f - 1
      AND (o.successor_code = l.code OR o.code = l.code))
  SELECT min(line.f) FROM line
$$;
COMMENT ON FUNCTION commune_life_from(text, text, date) IS 'The start of a commune-level unit''s life for its hamlets: the earliest start of the unit and the units it continues';

DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT h.province_code, count(*) AS n, string_agg(h.code, ', ' ORDER BY h.code) AS codes
    FROM hamlets h JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code AND c.effective_from = h.commune_from
    WHERE h.effective_from < commune_life_from(c.province_code, c.code, c.effective_from)
       OR (c.effective_to IS NOT NULL AND (h.effective_from > c.effective_to OR h.effective_to IS NULL OR h.effective_to > c.effective_to))
    GROUP BY h.province_code ORDER BY h.province_code
  LOOP
    RAISE NOTICE 'province %: % hamlet(s) outside their commune''s life, kept as recorded: %', r.province_code, r.n, r.codes;
  END LOOP;
END $$;
