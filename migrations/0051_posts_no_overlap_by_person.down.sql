ALTER TABLE assignments DROP CONSTRAINT assignments_no_overlap,
  ADD CONSTRAINT assignments_no_overlap EXCLUDE USING gist (
    province_code WITH =, cadre_id WITH =, position_code WITH =, daterange(start_date, end_date, '[]') WITH &&);
