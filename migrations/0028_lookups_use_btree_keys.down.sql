ALTER TABLE hamlet_history DROP CONSTRAINT hamlet_history_no_overlap,
  ADD CONSTRAINT hamlet_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, hamlet_code WITH =, daterange(valid_from, valid_to, '[]') WITH &&);
ALTER TABLE commune_history DROP CONSTRAINT commune_history_no_overlap,
  ADD CONSTRAINT commune_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, code WITH =, unit_from WITH =, daterange(valid_from, valid_to, '[]') WITH &&);
ALTER TABLE communes DROP CONSTRAINT communes_no_overlap,
  ADD CONSTRAINT communes_no_overlap EXCLUDE USING gist (
    province_code WITH =, code WITH =, daterange(effective_from, effective_to, '[]') WITH &&);
