ALTER TABLE assignments DROP CONSTRAINT IF EXISTS assignments_natural_key;
DROP TABLE IF EXISTS import_rejects, import_jobs;
