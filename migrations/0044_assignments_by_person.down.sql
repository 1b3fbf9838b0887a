CREATE INDEX assignments_cadre_idx ON assignments (province_code, cadre_id);
DROP INDEX assignments_cadre_start_idx;
