-- Key lookups use the btree keys, not the no-overlap exclusion indexes (issue 11, performance).
-- The exclusion constraints of migration 0019 were GiST indexes on (province_code, code, …, period). GiST
-- can serve any subset of its columns, and for a lookup by province and code the planner costs it the same
-- as the btree primary key, which it then loses to by tie order: every read of a unit by its code — a GET,
-- a report's unit lookups, the national summary's joins — went through GiST (btree_gist comparisons,
-- ~10× a btree probe; a generic plan of the national summary made ~300,000 of them). The constraints are
-- rebuilt on a key expression that plain equality on the columns cannot match, so the GiST indexes only
-- enforce "no two periods of one key overlap" and lookups use the primary keys. province_code stays a
-- column of each constraint (a distribution column for a sharded deployment), where alone it selects a
-- whole province and never wins against a key lookup.
ALTER TABLE communes DROP CONSTRAINT communes_no_overlap,
  ADD CONSTRAINT communes_no_overlap EXCLUDE USING gist (
    province_code WITH =, (province_code || '/' || code) WITH =, daterange(effective_from, effective_to, '[]') WITH &&);
ALTER TABLE commune_history DROP CONSTRAINT commune_history_no_overlap,
  ADD CONSTRAINT commune_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, (code || '@' || (unit_from - DATE '2000-01-01')::text) WITH =,
    daterange(valid_from, valid_to, '[]') WITH &&);
ALTER TABLE hamlet_history DROP CONSTRAINT hamlet_history_no_overlap,
  ADD CONSTRAINT hamlet_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, (province_code || '/' || hamlet_code) WITH =, daterange(valid_from, valid_to, '[]') WITH &&);
