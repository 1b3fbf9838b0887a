-- Issue 7: readers may mark a running import job failed/interrupted only when its importing session is
-- gone. The application already asks for the job's advisory lock before marking it; the policy now asks
-- too, so that no reader (a province viewer, the Ministry) can fail a live import through any SQL path.
ALTER POLICY import_jobs_mark_interrupted ON import_jobs
  USING (can_read(province_code) AND status = 'running' AND pg_try_advisory_xact_lock(4711, hashtext(id::text)));
COMMENT ON POLICY import_jobs_mark_interrupted ON import_jobs IS
  'Readers may mark a running job failed/interrupted only once its importing session died (its advisory lock 4711 can be taken)';
