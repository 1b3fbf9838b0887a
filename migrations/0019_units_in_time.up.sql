-- Units live in time (issue 11 items 1-3): a commune-level unit is its code AND its period, so both maps of
-- 2025 (pre-2025 and 2025 units, 3,315 of whose codes are reused) live side by side in one province's
-- register; lineage links a unit to its successors with coverage; attributes that change keep dated
-- versions; positions carry their legal validity and how many may hold them per unit. See docs/time.md.

-- 1. Communes: keyed by (province_code, code, effective_from); periods of one code never overlap.
ALTER TABLE hamlets DROP CONSTRAINT hamlets_commune_fkey;
ALTER TABLE assignments DROP CONSTRAINT assignments_commune_fkey;
ALTER TABLE communes DROP CONSTRAINT communes_successor_fkey;
ALTER TABLE communes DROP CONSTRAINT communes_pkey;
ALTER TABLE communes ADD CONSTRAINT communes_pkey PRIMARY KEY (province_code, code, effective_from);
ALTER TABLE communes ADD CONSTRAINT communes_no_overlap EXCLUDE USING gist (
  province_code WITH =, code WITH =, daterange(effective_from, effective_to, '[]') WITH &&);
-- The pre-2025 province a unit belonged to when it is not the tenant (02 Hà Giang's units live in 08).
ALTER TABLE communes ADD COLUMN old_province_code text CHECK (old_province_code ~ '^[0-9]{2}$');
COMMENT ON COLUMN communes.old_province_code IS 'The pre-2025 province of a unit recorded in its successor province''s register (e.g. 02 Hà Giang in 08 Tuyên Quang); NULL when it is the tenant itself';
COMMENT ON COLUMN communes.successor_code IS 'Kept for the single full successor of earlier clients and files; the unit of that code in force the day after effective_to. commune_lineage is the full record (partial coverage, splits)';

-- Which unit a hamlet or a commune-level post belongs to: (commune_code, commune_from).
ALTER TABLE hamlets ADD COLUMN commune_from date;
ALTER TABLE assignments ADD COLUMN commune_from date;

-- resolve_commune_from: the effective_from of the unit of code c in force on d; failing that, the latest
-- unit of that code that starts on or before d; failing that, the earliest unit of that code. NULL when the
-- code is unknown (then the foreign key reports it). The records API and imports check first, with errors
-- that name both periods (store.UnitLifeRule); this only makes a direct write (COPY, the demo seed) land
-- on a unit.
CREATE FUNCTION resolve_commune_from(p text, c text, d date) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT effective_from FROM communes
  WHERE province_code = p AND code = c
  ORDER BY (effective_from <= d AND (effective_to IS NULL OR effective_to >= d)) DESC,
           (effective_from <= d) DESC,
           CASE WHEN effective_from <= d THEN effective_from END DESC NULLS LAST,
           effective_from
  LIMIT 1 $$;
COMMENT ON FUNCTION resolve_commune_from(text, text, date) IS 'The effective_from of the commune-level unit of a code in force on a date (else the latest before it, else the earliest)';

CREATE FUNCTION hamlets_commune_from() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.commune_from IS NULL OR (TG_OP = 'UPDATE' AND NEW.commune_code IS DISTINCT FROM OLD.commune_code
      AND NEW.commune_from IS NOT DISTINCT FROM OLD.commune_from) THEN
    NEW.commune_from := resolve_commune_from(NEW.province_code, NEW.commune_code, NEW.effective_from);
    IF NEW.commune_from IS NULL THEN
      RAISE foreign_key_violation USING CONSTRAINT = 'hamlets_commune_fkey',
        MESSAGE = 'commune ' || NEW.commune_code || ' is not a unit of province ' || NEW.province_code;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER hamlets_commune_from BEFORE INSERT OR UPDATE ON hamlets FOR EACH ROW EXECUTE FUNCTION hamlets_commune_from();

CREATE FUNCTION assignments_commune_from() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.commune_code IS NULL THEN
    NEW.commune_from := NULL;
  ELSIF NEW.commune_from IS NULL OR (TG_OP = 'UPDATE' AND NEW.commune_code IS DISTINCT FROM OLD.commune_code
      AND NEW.commune_from IS NOT DISTINCT FROM OLD.commune_from) THEN
    NEW.commune_from := resolve_commune_from(NEW.province_code, NEW.commune_code, NEW.start_date);
    IF NEW.commune_from IS NULL THEN
      RAISE foreign_key_violation USING CONSTRAINT = 'assignments_commune_fkey',
        MESSAGE = 'commune ' || NEW.commune_code || ' is not a unit of province ' || NEW.province_code;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER assignments_commune_from BEFORE INSERT OR UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_commune_from();

UPDATE hamlets SET commune_from = resolve_commune_from(province_code, commune_code, effective_from);
UPDATE assignments SET commune_from = resolve_commune_from(province_code, commune_code, start_date) WHERE commune_code IS NOT NULL;
-- A CHECK rather than NOT NULL: bulk loads stage rows in a table LIKE hamlets (store.CopyInsert), which
-- copies NOT NULL but not CHECK constraints, and the trigger fills commune_from on the way in.
ALTER TABLE hamlets ADD CONSTRAINT hamlets_commune_from_check CHECK (commune_from IS NOT NULL);
-- ON UPDATE CASCADE: correcting a unit's effective_from carries its hamlets and posts with it.
ALTER TABLE hamlets ADD CONSTRAINT hamlets_commune_fkey FOREIGN KEY (province_code, commune_code, commune_from)
  REFERENCES communes (province_code, code, effective_from) ON UPDATE CASCADE;
ALTER TABLE assignments ADD CONSTRAINT assignments_commune_fkey FOREIGN KEY (province_code, commune_code, commune_from)
  REFERENCES communes (province_code, code, effective_from) ON UPDATE CASCADE;
ALTER TABLE assignments ADD CONSTRAINT assignments_commune_from_check CHECK ((commune_code IS NULL) = (commune_from IS NULL));
DROP INDEX hamlets_commune_idx;
CREATE INDEX hamlets_commune_idx ON hamlets (province_code, commune_code, commune_from);
DROP INDEX assignments_commune_idx;
CREATE INDEX assignments_commune_idx ON assignments (province_code, commune_code, commune_from) WHERE commune_code IS NOT NULL;

-- successor_code names a code, checked at commit: some unit of that code exists in the province.
CREATE FUNCTION communes_successor_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.successor_code IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM communes WHERE province_code = NEW.province_code AND code = NEW.successor_code) THEN
    RAISE foreign_key_violation USING CONSTRAINT = 'communes_successor_fkey',
      MESSAGE = 'successor ' || NEW.successor_code || ' is not a unit of province ' || NEW.province_code;
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER communes_successor_fkey AFTER INSERT OR UPDATE OF successor_code ON communes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION communes_successor_exists();

-- 2. Lineage: an old unit's successors (up to 5), each covering all or part of it.
CREATE TABLE commune_lineage (
  province_code  text NOT NULL,
  from_code      text NOT NULL,
  from_effective date NOT NULL,
  to_code        text NOT NULL,
  to_effective   date NOT NULL,
  coverage       text NOT NULL CHECK (coverage IN ('full', 'partial')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, from_code, from_effective, to_code, to_effective),
  CONSTRAINT commune_lineage_from_fkey FOREIGN KEY (province_code, from_code, from_effective)
    REFERENCES communes (province_code, code, effective_from) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT commune_lineage_to_fkey FOREIGN KEY (province_code, to_code, to_effective)
    REFERENCES communes (province_code, code, effective_from) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT commune_lineage_self_check CHECK ((from_code, from_effective) <> (to_code, to_effective))
);
CREATE INDEX commune_lineage_to_idx ON commune_lineage (province_code, to_code, to_effective);
COMMENT ON TABLE commune_lineage IS 'Lineage of commune-level units: an old unit (code, effective_from) became each successor unit, covering all (full) or part (partial) of it; a split has up to 5 successors';

CREATE FUNCTION commune_lineage_max_successors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM commune_lineage WHERE province_code = NEW.province_code AND from_code = NEW.from_code
      AND from_effective = NEW.from_effective) > 5 THEN
    RAISE check_violation USING CONSTRAINT = 'commune_lineage_max_successors',
      MESSAGE = 'unit ' || NEW.from_code || ' has more than 5 successors';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER commune_lineage_max_successors AFTER INSERT OR UPDATE ON commune_lineage
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commune_lineage_max_successors();

-- 3. Attribute history: dated versions of the attributes that change. A date covered by no version uses the
-- unit's own row (which always holds the latest version); versions of one unit never overlap.
CREATE TABLE commune_history (
  province_code      text NOT NULL,
  code               text NOT NULL,
  unit_from          date NOT NULL,
  valid_from         date NOT NULL,
  valid_to           date,
  class              smallint NOT NULL CHECK (class BETWEEN 1 AND 3),
  population         integer CHECK (population >= 0),
  area_km2           numeric(12, 2) CHECK (area_km2 >= 0),
  key_security_order boolean NOT NULL,
  border             boolean NOT NULL,
  island             boolean NOT NULL,
  PRIMARY KEY (province_code, code, unit_from, valid_from),
  CONSTRAINT commune_history_unit_fkey FOREIGN KEY (province_code, code, unit_from)
    REFERENCES communes (province_code, code, effective_from) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT commune_history_dates_check CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CONSTRAINT commune_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, code WITH =, unit_from WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
);
COMMENT ON TABLE commune_history IS 'Dated versions of a commune-level unit''s class, population, area and flags; a date no version covers uses the unit''s row';

CREATE TABLE hamlet_history (
  province_code       text NOT NULL,
  hamlet_code         text NOT NULL,
  valid_from          date NOT NULL,
  valid_to            date,
  kind                text NOT NULL CHECK (kind IN ('thon', 'to_dan_pho')),
  households          integer NOT NULL CHECK (households >= 0),
  key_security_order  boolean NOT NULL,
  border_or_island    boolean,
  converted_from_thon boolean NOT NULL,
  PRIMARY KEY (province_code, hamlet_code, valid_from),
  CONSTRAINT hamlet_history_hamlet_fkey FOREIGN KEY (province_code, hamlet_code)
    REFERENCES hamlets (province_code, code) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT hamlet_history_dates_check CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CONSTRAINT hamlet_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, hamlet_code WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
);
COMMENT ON TABLE hamlet_history IS 'Dated versions of a hamlet''s kind, households and flags; a date no version covers uses the hamlet''s row';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['commune_lineage', 'commune_history', 'hamlet_history'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (can_read(province_code))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (can_write(province_code))', t || '_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code))', t || '_update', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (can_write(province_code))', t || '_delete', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO communehr_app', t);
  END LOOP;
END
$$;

-- communes_at(d) / hamlets_at(d): the units in force on d with the attribute values in force on d. Plain
-- SQL, STABLE, one SELECT: the planner inlines them, so row-level security and the callers' predicates
-- apply as if the join were written out.
CREATE FUNCTION communes_at(d date) RETURNS TABLE (
  province_code text, code text, effective_from date, effective_to date, name text, kind text, class smallint,
  population integer, area_km2 numeric, key_security_order boolean, border boolean, island boolean,
  old_province_code text, successor_code text, version integer)
LANGUAGE sql STABLE AS $$
  SELECT c.province_code, c.code, c.effective_from, c.effective_to, c.name, c.kind,
    coalesce(v.class, c.class), CASE WHEN v.code IS NULL THEN c.population ELSE v.population END,
    CASE WHEN v.code IS NULL THEN c.area_km2 ELSE v.area_km2 END,
    coalesce(v.key_security_order, c.key_security_order), coalesce(v.border, c.border), coalesce(v.island, c.island),
    c.old_province_code, c.successor_code, c.version
  FROM communes c
  LEFT JOIN commune_history v ON v.province_code = c.province_code AND v.code = c.code AND v.unit_from = c.effective_from
    AND v.valid_from <= d AND (v.valid_to IS NULL OR v.valid_to >= d)
  WHERE c.effective_from <= d AND (c.effective_to IS NULL OR c.effective_to >= d) $$;
COMMENT ON FUNCTION communes_at(date) IS 'Commune-level units in force on a date, with the class, population and flags in force on it';

CREATE FUNCTION hamlets_at(d date) RETURNS TABLE (
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
COMMENT ON FUNCTION hamlets_at(date) IS 'Hamlets in force on a date, with the households and flags in force on it';
GRANT EXECUTE ON FUNCTION communes_at(date), hamlets_at(date), resolve_commune_from(text, text, date) TO communehr_app;

-- 4. The catalogue knows its law: each post's legal validity and how many may hold it at once per unit.
ALTER TABLE positions ADD COLUMN max_per_unit integer CHECK (max_per_unit > 0);
COMMENT ON COLUMN positions.max_per_unit IS 'How many people may hold the post at once in one unit (NULL = no limit); the legal end of commune-level posts is a dated parameter of internal/policy';
UPDATE positions SET max_per_unit = 1 WHERE level = 'hamlet';

-- The province's own end of the transition for commune-level non-professional posts (before 2026-05-31).
ALTER TABLE provinces ADD COLUMN commune_posts_end date
  CONSTRAINT provinces_commune_posts_end_check CHECK (commune_posts_end IS NULL OR commune_posts_end BETWEEN DATE '2025-07-01' AND DATE '2026-05-30');
COMMENT ON COLUMN provinces.commune_posts_end IS 'Last day the province kept its commune-level non-professional posts during the 2025 transition (NULL = the legal end of internal/policy)';
-- The province's editors record that date themselves: they may update their own province's row, but only
-- that column (a trigger refuses any other change by anyone but an operator).
CREATE POLICY provinces_update_own ON provinces FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code));
CREATE FUNCTION provinces_editor_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF app_role() IS NOT NULL AND app_role() <> 'operator' AND (NEW.province_code, NEW.name, NEW.effective_from, NEW.effective_to, NEW.allowance_basis)
      IS DISTINCT FROM (OLD.province_code, OLD.name, OLD.effective_from, OLD.effective_to, OLD.allowance_basis) THEN
    RAISE insufficient_privilege USING MESSAGE = 'a province editor may only record the end of the commune-level posts';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER provinces_editor_columns BEFORE UPDATE ON provinces FOR EACH ROW EXECUTE FUNCTION provinces_editor_columns();
