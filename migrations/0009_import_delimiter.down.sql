ALTER TABLE import_jobs DROP COLUMN IF EXISTS delimiter;
