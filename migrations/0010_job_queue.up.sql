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

-- A queued job holds no connection (and so no advisory lock): the server that queued it confirms it every
-- 20 seconds (queued_seen_at). A queued job not confirmed for 2 minutes belongs to a server that died, and
-- readers mark it failed/interrupted, as they do for a running job whose session is gone.
ALTER TABLE import_jobs ADD COLUMN queued_seen_at timestamptz;
ALTER TABLE entitlement_runs ADD COLUMN queued_seen_at timestamptz;
COMMENT ON COLUMN import_jobs.queued_seen_at IS 'While queued: when its server last confirmed it waits (every 20 s); 2 minutes without means the server died';
COMMENT ON COLUMN entitlement_runs.queued_seen_at IS 'While queued: when its server last confirmed it waits (every 20 s); 2 minutes without means the server died';
ALTER POLICY import_jobs_mark_interrupted ON import_jobs
  USING (can_read(province_code) AND (
    (status = 'running' AND pg_try_advisory_xact_lock(4711, hashtext(id::text)))
    OR (status = 'queued' AND queued_seen_at < now() - interval '2 minutes')));
COMMENT ON POLICY import_jobs_mark_interrupted ON import_jobs IS
  'Readers may mark a job failed/interrupted only once its server is gone: running, its advisory lock 4711 can be taken; queued, not confirmed for 2 minutes';
ALTER POLICY entitlement_runs_mark_interrupted ON entitlement_runs
  USING (can_read(province_code) AND (
    (status = 'running' AND pg_try_advisory_xact_lock(4713, hashtext(id::text)))
    OR (status = 'queued' AND queued_seen_at < now() - interval '2 minutes')));
COMMENT ON POLICY entitlement_runs_mark_interrupted ON entitlement_runs IS
  'Readers may mark a run failed/interrupted only once its server is gone: running, its advisory lock 4713 can be taken; queued, not confirmed for 2 minutes';
