ALTER TABLE communes
  DROP COLUMN IF EXISTS ward_of_urban_district,
  DROP COLUMN IF EXISTS mountainous;
ALTER TABLE cadres
  DROP COLUMN IF EXISTS merged_unit_surplus,
  DROP COLUMN IF EXISTS decree29_paid_on,
  DROP COLUMN IF EXISTS decree29_paid,
  DROP COLUMN IF EXISTS si_uncompensated_months,
  DROP COLUMN IF EXISTS si_total_months;
