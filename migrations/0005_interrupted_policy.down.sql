ALTER POLICY import_jobs_mark_interrupted ON import_jobs USING (can_read(province_code) AND status = 'running');
COMMENT ON POLICY import_jobs_mark_interrupted ON import_jobs IS NULL;
