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
