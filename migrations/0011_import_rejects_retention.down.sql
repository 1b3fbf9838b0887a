DROP FUNCTION purge_import_rejects(interval);
DROP POLICY import_rejects_retention ON import_rejects;
DROP POLICY import_rejects_retention_read ON import_rejects;
DROP POLICY import_jobs_retention ON import_jobs;
REVOKE DELETE ON import_rejects FROM communehr_app;
DROP POLICY import_rejects_replace ON import_rejects;
ALTER TABLE import_jobs DROP COLUMN errors_total;
