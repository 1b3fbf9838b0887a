-- One person never holds one post over overlapping periods: the exclusion constraint of 0002 holds it
-- over (province_code, cadre_id, position_code, period). It keeps those columns, so it refuses exactly
-- what it refused before, but now begins with the person. GiST chooses where a new entry goes column by
-- column, and the province, the same in every entry of a province, told it nothing: each insert compared
-- it at every level before the person decided. A posts import spent a fifth of its INSERT there (issue 10
-- item 3: 63.7 → 50.4 µs a row for 200,000 posts). Lookups by province and person use it as before. The
-- name is kept: the records API and the imports map it to the start date.
ALTER TABLE assignments DROP CONSTRAINT assignments_no_overlap,
  ADD CONSTRAINT assignments_no_overlap EXCLUDE USING gist (
    cadre_id WITH =, province_code WITH =, position_code WITH =, daterange(start_date, end_date, '[]') WITH &&);
