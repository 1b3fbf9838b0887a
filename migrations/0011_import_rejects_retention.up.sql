-- Issue 10, item 2: row errors stream instead of piling up in memory, and import_rejects has a retention.
-- A job keeps the first 1,000 errors (errors) and counts them all (errors_total); every failed row is in
-- import_rejects for errors.csv. The server deletes the rejects of jobs that finished more than 30 days
-- ago (purge_import_rejects, run by its janitor), and a new upload of a province replaces the rejects of
-- that province's earlier validate-only jobs (import_rejects_replace).

ALTER TABLE import_jobs ADD COLUMN errors_total integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN import_jobs.errors_total IS 'Row errors in all; errors holds the first 1,000 by line';
UPDATE import_jobs SET errors_total = jsonb_array_length(errors);

-- A province editor's upload deletes the rejects of the province's validate-only jobs, and nothing else.
CREATE POLICY import_rejects_replace ON import_rejects FOR DELETE
  USING (can_write(province_code) AND EXISTS (SELECT 1 FROM import_jobs j
    WHERE j.province_code = import_rejects.province_code AND j.id = import_rejects.job_id AND j.mode = 'validate'));
COMMENT ON POLICY import_rejects_replace ON import_rejects IS
  'A new upload of a province replaces the rejects of its earlier validate-only jobs';
GRANT DELETE ON import_rejects TO communehr_app;

-- Retention: the owner (who runs the migrations) reads jobs and deletes rejects across provinces, only
-- through purge_import_rejects, which the server's role may call but whose age it cannot bring under a day.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY import_jobs_retention ON import_jobs FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY import_rejects_retention_read ON import_rejects FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY import_rejects_retention ON import_rejects FOR DELETE TO %I USING (true)', current_user);
END
$$;

CREATE FUNCTION purge_import_rejects(age interval) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n bigint;
BEGIN
  DELETE FROM import_rejects r USING import_jobs j
   WHERE j.province_code = r.province_code AND j.id = r.job_id
     AND j.finished_at < now() - greatest(age, interval '1 day');
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION purge_import_rejects(interval) IS
  'Retention of errors.csv: deletes the rejects of import jobs finished more than age (at least a day) ago; run by the server''s janitor';
REVOKE ALL ON FUNCTION purge_import_rejects(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_import_rejects(interval) TO communehr_app;
