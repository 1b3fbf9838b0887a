-- Issue 10, items 1 and 4: jobs run on a bounded queue. A job waiting for its turn reads `queued`; a job
-- its editor cancelled reads `cancelled` (rolled back, nothing written). A job stopped by a server
-- shutdown (or whose server died) keeps reading failed/interrupted.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_status_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_status_check
  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_finished_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_finished_check
  CHECK ((status IN ('queued', 'running')) = (finished_at IS NULL));

ALTER TABLE entitlement_runs DROP CONSTRAINT entitlement_runs_status_check;
ALTER TABLE entitlement_runs ADD CONSTRAINT entitlement_runs_status_check
  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE entitlement_runs DROP CONSTRAINT entitlement_runs_finished_check;
ALTER TABLE entitlement_runs ADD CONSTRAINT entitlement_runs_finished_check
  CHECK ((status IN ('queued', 'running')) = (finished_at IS NULL));

COMMENT ON COLUMN import_jobs.status IS 'queued (waiting for a slot of the job runner), running, succeeded, failed, cancelled (by its editor; rolled back)';
COMMENT ON COLUMN entitlement_runs.status IS 'queued (waiting for a slot of the job runner), running, succeeded, failed, cancelled (by its editor; rolled back)';
