-- A person's posts in order: GET …/cadres/{id} reads them by (province_code, cadre_id) ORDER BY start_date,
-- id. The planner served that from the exclusion constraint's GiST index (assignments_no_overlap), which
-- under the prepared statement's generic plan read ~58 pages per person (0.4–0.45 ms of database time per
-- request under `make load`). This btree index answers the lookup and its order; it replaces
-- assignments_cadre_idx (province_code, cadre_id), whose every use (the cascade from cadres, the people
-- filters) it serves with the same leading columns, so writes keep one index, not two.
CREATE INDEX assignments_cadre_start_idx ON assignments (province_code, cadre_id, start_date, id);
DROP INDEX assignments_cadre_idx;
