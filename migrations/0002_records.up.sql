-- Records API (issue 4): accent-insensitive search, the provincial allowance schedule, and the rule that one
-- person never holds the same post twice over overlapping periods.

-- unaccent (trusted contrib extension) makes "ha noi" find "Hà Nội"; btree_gist lets an exclusion
-- constraint mix equality on text/uuid with range overlap.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- fold() is the accent- and case-insensitive form of a name used by searches (đ → d included).
CREATE FUNCTION fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
COMMENT ON FUNCTION fold(text) IS 'Accent- and case-insensitive form of a Vietnamese name for searching (ha noi finds Hà Nội)';

ALTER TABLE assignments ADD CONSTRAINT assignments_no_overlap EXCLUDE USING gist (
  province_code WITH =, cadre_id WITH =, position_code WITH =,
  daterange(start_date, end_date, '[]') WITH &&);

CREATE TABLE allowance_schedules (
  province_code        text NOT NULL REFERENCES provinces (province_code),
  position_code        text NOT NULL REFERENCES positions (code),
  hamlet_fund_category text NOT NULL DEFAULT '' CHECK (hamlet_fund_category IN ('', '6.0', '4.5')),
  effective_from       date NOT NULL,
  effective_to         date,
  coefficient          numeric(8, 4) NOT NULL CHECK (coefficient > 0 AND coefficient <= 20),
  resolution           text NOT NULL CHECK (length(resolution) BETWEEN 1 AND 100),
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, effective_from, position_code, hamlet_fund_category),
  CONSTRAINT allowance_schedules_effective_check CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
COMMENT ON TABLE allowance_schedules IS 'The province''s HĐND resolution: each post''s allowance as a multiple of the base salary, by hamlet fund category where it matters ('''' = any); one version per effective_from';

ALTER TABLE allowance_schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE allowance_schedules FORCE ROW LEVEL SECURITY;
CREATE POLICY allowance_schedules_read ON allowance_schedules FOR SELECT USING (can_read(province_code));
CREATE POLICY allowance_schedules_insert ON allowance_schedules FOR INSERT WITH CHECK (can_write(province_code));
CREATE POLICY allowance_schedules_update ON allowance_schedules FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code));
CREATE POLICY allowance_schedules_delete ON allowance_schedules FOR DELETE USING (can_write(province_code));
GRANT SELECT, INSERT, UPDATE, DELETE ON allowance_schedules TO communehr_app;

CREATE INDEX communes_fold_name_idx ON communes (province_code, fold(name));
