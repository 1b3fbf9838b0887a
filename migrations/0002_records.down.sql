DROP TABLE IF EXISTS allowance_schedules;
ALTER TABLE assignments DROP CONSTRAINT IF EXISTS assignments_no_overlap;
DROP INDEX IF EXISTS communes_fold_name_idx;
DROP FUNCTION IF EXISTS fold(text);
-- The extensions may serve other objects; they are left installed.
