DELETE FROM import_jobs WHERE kind = 'commune-sheet';
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check
  CHECK (kind IN ('communes', 'hamlets', 'cadres', 'assignments'));
