ALTER POLICY import_jobs_mark_interrupted ON import_jobs
  USING (can_read(province_code) AND status = 'running' AND pg_try_advisory_xact_lock(4711, hashtext(id::text)));
COMMENT ON POLICY import_jobs_mark_interrupted ON import_jobs IS
  'Readers may mark a running job failed/interrupted only once its importing session died (its advisory lock 4711 can be taken)';
ALTER POLICY entitlement_runs_mark_interrupted ON entitlement_runs
  USING (can_read(province_code) AND status = 'running' AND pg_try_advisory_xact_lock(4713, hashtext(id::text)));
COMMENT ON POLICY entitlement_runs_mark_interrupted ON entitlement_runs IS
  'Readers may mark a running run failed/interrupted only once its session died (its advisory lock 4713 can be taken)';
UPDATE import_jobs SET status = 'failed', failure_reason = 'interrupted', finished_at = coalesce(finished_at, now())
  WHERE status IN ('queued', 'cancelled');
UPDATE entitlement_runs SET status = 'failed', failure_reason = 'interrupted', finished_at = coalesce(finished_at, now())
  WHERE status IN ('queued', 'cancelled');
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_status_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_status_check CHECK (status IN ('running', 'succeeded', 'failed'));
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_finished_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_finished_check CHECK ((status = 'running') = (finished_at IS NULL));
ALTER TABLE entitlement_runs DROP CONSTRAINT entitlement_runs_status_check;
ALTER TABLE entitlement_runs ADD CONSTRAINT entitlement_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed'));
ALTER TABLE entitlement_runs DROP CONSTRAINT entitlement_runs_finished_check;
ALTER TABLE entitlement_runs ADD CONSTRAINT entitlement_runs_finished_check CHECK ((status = 'running') = (finished_at IS NULL));
COMMENT ON COLUMN import_jobs.status IS NULL;
COMMENT ON COLUMN entitlement_runs.status IS NULL;
ALTER TABLE import_jobs DROP COLUMN queued_seen_at;
ALTER TABLE entitlement_runs DROP COLUMN queued_seen_at;
