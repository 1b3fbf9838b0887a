-- Decree 29/2023 (exits before 2025-06-16) counts an appointed worker's months up to the end of the
-- reorganisation roadmap; a run over such exits needs that date like the single-person computation does.
ALTER TABLE entitlement_runs ADD COLUMN roadmap_end date;
COMMENT ON COLUMN entitlement_runs.roadmap_end IS 'End of the reorganisation roadmap (Decree 29/2023 Art. 9 cl. 2, appointed posts); null when not given';
