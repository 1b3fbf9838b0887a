-- Issue 10 item 3: the successor of a commune or hamlet is a foreign key to the same table with no index
-- on the referencing side, so every delete of a unit (and every lookup of what a unit was merged into)
-- scanned the province's units: deleting a province's 40,000 communes ran for minutes. Index it.
CREATE INDEX communes_successor_idx ON communes (province_code, successor_code);
CREATE INDEX hamlets_successor_idx ON hamlets (province_code, successor_code);
