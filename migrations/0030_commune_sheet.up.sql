-- Issue 13 item 4: the combined sheet of a commune (people and posts in one upload) is an import kind.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check
  CHECK (kind IN ('communes', 'hamlets', 'cadres', 'assignments', 'commune-sheet'));
