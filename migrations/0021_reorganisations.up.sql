-- Reorganisations (issue 11 item 5): one row per applied reorganisation of a province, so that applying
-- the same request again answers with what the first apply did instead of doing it twice.

CREATE TABLE reorganisations (
  province_code  text NOT NULL REFERENCES provinces (province_code),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  level          text NOT NULL CHECK (level IN ('commune', 'hamlet')),
  effective_date date NOT NULL,
  request_hash   bytea NOT NULL CHECK (length(request_hash) = 32),
  summary        jsonb NOT NULL,
  api_key_id     bigint,
  request_id     text NOT NULL DEFAULT '',
  applied_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id),
  CONSTRAINT reorganisations_request_key UNIQUE (province_code, level, effective_date, request_hash)
);
COMMENT ON TABLE reorganisations IS 'Applied reorganisations of a province: the level, the effective date, the SHA-256 of the normalised request (mapping and answers) and what the apply did (summary); a repeat of the same request answers with the summary';

ALTER TABLE reorganisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE reorganisations FORCE ROW LEVEL SECURITY;
CREATE POLICY reorganisations_read ON reorganisations FOR SELECT USING (can_read(province_code));
CREATE POLICY reorganisations_insert ON reorganisations FOR INSERT WITH CHECK (can_write(province_code));
CREATE POLICY reorganisations_update ON reorganisations FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code));
CREATE POLICY reorganisations_delete ON reorganisations FOR DELETE USING (can_write(province_code));
GRANT SELECT, INSERT, UPDATE, DELETE ON reorganisations TO communehr_app;
-- As every tenant table (migration 0007): national transactions read without a row filter.
CREATE POLICY reorganisations_national_read ON reorganisations FOR SELECT TO communehr_national USING (true);
