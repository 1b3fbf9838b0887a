-- CSV imports (issue 5): the job resource, the rejected rows for errors.csv, and the natural key of
-- assignments (person + post + start date) that imports upsert by.

CREATE TABLE import_jobs (
  province_code   text NOT NULL REFERENCES provinces (province_code),
  id              uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('communes', 'hamlets', 'cadres', 'assignments')),
  mode            text NOT NULL CHECK (mode IN ('validate', 'apply')),
  status          text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  failure_reason  text CHECK (failure_reason IN ('invalid_rows', 'invalid_file', 'interrupted', 'internal')),
  rows_total      integer NOT NULL DEFAULT 0,
  rows_processed  integer NOT NULL DEFAULT 0,
  rows_inserted   integer NOT NULL DEFAULT 0,
  rows_updated    integer NOT NULL DEFAULT 0,
  rows_unchanged  integer NOT NULL DEFAULT 0,
  rows_failed     integer NOT NULL DEFAULT 0,
  errors          jsonb NOT NULL DEFAULT '[]',
  header          text[] NOT NULL DEFAULT '{}',
  api_key_id      bigint,
  request_id      text NOT NULL DEFAULT '',
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  PRIMARY KEY (province_code, id),
  CONSTRAINT import_jobs_finished_check CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX import_jobs_started_idx ON import_jobs (province_code, started_at DESC);
COMMENT ON TABLE import_jobs IS 'One CSV upload: progress while running, exact counts and the first 1,000 row errors when done; a job whose importing session died reads failed/interrupted';

CREATE TABLE import_rejects (
  province_code text NOT NULL,
  job_id        uuid NOT NULL,
  line          integer NOT NULL,
  fields        text[] NOT NULL,
  error         text NOT NULL,
  PRIMARY KEY (province_code, job_id, line),
  CONSTRAINT import_rejects_job_fkey FOREIGN KEY (province_code, job_id) REFERENCES import_jobs (province_code, id) ON DELETE CASCADE
);
COMMENT ON TABLE import_rejects IS 'Failed rows of an import as uploaded, with their errors: errors.csv, to fix in Excel and upload again';

ALTER TABLE assignments ADD CONSTRAINT assignments_natural_key UNIQUE (province_code, cadre_id, position_code, start_date);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['import_jobs', 'import_rejects'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (can_read(province_code))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (can_write(province_code))', t || '_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code))', t || '_update', t);
  END LOOP;
END
$$;
-- Interrupted jobs are marked failed by whoever reads them (the importing session's advisory lock is
-- gone), so readers of the province may update a running job's status: a narrow, audited exception.
CREATE POLICY import_jobs_mark_interrupted ON import_jobs FOR UPDATE
  USING (can_read(province_code) AND status = 'running')
  WITH CHECK (can_read(province_code) AND status = 'failed' AND failure_reason = 'interrupted');
GRANT SELECT, INSERT, UPDATE ON import_jobs TO communehr_app;
GRANT SELECT, INSERT ON import_rejects TO communehr_app;
