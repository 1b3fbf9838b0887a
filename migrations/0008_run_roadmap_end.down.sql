ALTER TABLE entitlement_runs DROP COLUMN IF EXISTS roadmap_end;
