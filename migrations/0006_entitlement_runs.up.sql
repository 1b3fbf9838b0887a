-- Entitlement runs (issue 6, item 4): the exit computation of POST cadres/{id}/entitlements for every
-- matching person of a province, as a background job with progress, totals by policy and by commune, phase
-- timings, and one result row per person for results.csv. A run whose session died reads failed/interrupted.

CREATE TABLE entitlement_runs (
  province_code     text NOT NULL REFERENCES provinces (province_code),
  id                uuid NOT NULL,
  exit_date         date NOT NULL,
  reason            text NOT NULL CHECK (reason IN ('reorganisation', 'streamlining')),
  decision_date     date,
  filter            jsonb NOT NULL DEFAULT '{}',
  status            text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  failure_reason    text CHECK (failure_reason IN ('interrupted', 'internal')),
  people_total      integer NOT NULL DEFAULT 0,
  people_processed  integer NOT NULL DEFAULT 0,
  people_eligible   integer NOT NULL DEFAULT 0,
  total             numeric(18, 0) NOT NULL DEFAULT 0 CHECK (total >= 0),
  totals_by_policy  jsonb NOT NULL DEFAULT '[]',
  totals_by_commune jsonb NOT NULL DEFAULT '[]',
  ruleset_version   text NOT NULL DEFAULT '',
  read_ms           integer NOT NULL DEFAULT 0,
  compute_ms        integer NOT NULL DEFAULT 0,
  write_ms          integer NOT NULL DEFAULT 0,
  api_key_id        bigint,
  request_id        text NOT NULL DEFAULT '',
  started_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  PRIMARY KEY (province_code, id),
  CONSTRAINT entitlement_runs_finished_check CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX entitlement_runs_started_idx ON entitlement_runs (province_code, started_at DESC);
COMMENT ON TABLE entitlement_runs IS 'One exit-entitlement computation over the matching people of a province: progress while running, totals by policy and by commune and phase timings when done; a run whose session died reads failed/interrupted';

CREATE TABLE entitlement_run_results (
  province_code     text NOT NULL,
  run_id            uuid NOT NULL,
  cadre_id          uuid NOT NULL,
  commune_code      text,
  hamlet_code       text,
  position_code     text,
  level             text,
  monthly_allowance numeric(16, 0),
  work_months       integer,
  policy            text NOT NULL DEFAULT '',
  total             numeric(16, 0) NOT NULL DEFAULT 0 CHECK (total >= 0),
  eligible          boolean NOT NULL,
  reason            text NOT NULL DEFAULT '',
  PRIMARY KEY (province_code, run_id, cadre_id),
  CONSTRAINT entitlement_run_results_run_fkey FOREIGN KEY (province_code, run_id)
    REFERENCES entitlement_runs (province_code, id) ON DELETE CASCADE
);
COMMENT ON TABLE entitlement_run_results IS 'Per-person results of an entitlement run (the main post used, the chosen policy and total, or why none applies): results.csv';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['entitlement_runs', 'entitlement_run_results'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (can_read(province_code))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (can_write(province_code))', t || '_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code))', t || '_update', t);
  END LOOP;
END
$$;
-- As for import jobs (0005): readers may mark a running run failed/interrupted only once the running
-- session is gone (its advisory lock 4713 on the run id can be taken).
CREATE POLICY entitlement_runs_mark_interrupted ON entitlement_runs FOR UPDATE
  USING (can_read(province_code) AND status = 'running' AND pg_try_advisory_xact_lock(4713, hashtext(id::text)))
  WITH CHECK (can_read(province_code) AND status = 'failed' AND failure_reason = 'interrupted');
COMMENT ON POLICY entitlement_runs_mark_interrupted ON entitlement_runs IS
  'Readers may mark a running run failed/interrupted only once its session died (its advisory lock 4713 can be taken)';
GRANT SELECT, INSERT, UPDATE ON entitlement_runs TO communehr_app;
GRANT SELECT, INSERT ON entitlement_run_results TO communehr_app;
