-- Issue 12: the law's new inputs live in the register, not only in the stateless calculators.
-- A person: the two meanings of social-insurance time (total, for pension eligibility; not yet compensated,
-- for the allowances), whether a Decree 29/2023 allowance was paid and when, and whether the person was
-- made surplus by the 2019–2025 unit mergers. NULL means "not recorded": si_months then serves as both.
ALTER TABLE cadres
  ADD COLUMN si_total_months integer,
  ADD COLUMN si_uncompensated_months integer,
  ADD COLUMN decree29_paid boolean,
  ADD COLUMN decree29_paid_on date,
  ADD COLUMN merged_unit_surplus boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT cadres_si_total_months_check CHECK (si_total_months BETWEEN 0 AND 720),
  ADD CONSTRAINT cadres_si_uncompensated_months_check CHECK (si_uncompensated_months BETWEEN 0 AND 720
    AND si_uncompensated_months <= coalesce(si_total_months, si_months)),
  ADD CONSTRAINT cadres_decree29_paid_on_check CHECK (decree29_paid_on IS NULL OR decree29_paid IS NOT FALSE);

-- A commune: the two facts the administrative-unit standard (Resolution 1211/2016/UBTVQH13 as amended by
-- Resolution 27/2022/UBTVQH15) needs beyond population and area, for the Decree 33/2023 increments.
ALTER TABLE communes
  ADD COLUMN mountainous boolean NOT NULL DEFAULT false,
  ADD COLUMN ward_of_urban_district boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT communes_ward_of_urban_district_check CHECK (NOT ward_of_urban_district OR kind = 'phuong');
