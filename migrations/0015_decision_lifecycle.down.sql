DROP TRIGGER IF EXISTS decisions_superseded_by_names ON decisions;
DROP FUNCTION IF EXISTS decisions_superseded_by_names();
REVOKE UPDATE ON decisions FROM communehr_app;
GRANT UPDATE (superseded_by) ON decisions TO communehr_app;
CREATE OR REPLACE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'decisions are immutable: a decision cannot be deleted' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_immutable';
  END IF;
  IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
     OR (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by') THEN
    RAISE EXCEPTION 'decisions are immutable: only superseded_by may be set, once' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_immutable';
  END IF;
  IF NEW.superseded_by = NEW.id OR NOT EXISTS (SELECT 1 FROM decisions d
       WHERE d.province_code = NEW.province_code AND d.id = NEW.superseded_by AND d.supersedes = NEW.id) THEN
    RAISE EXCEPTION 'a decision is superseded only by the correction that names it' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_not_self_check';
  END IF;
  RETURN NEW;
END
$$;
DROP INDEX IF EXISTS decisions_exit_idx;
DROP INDEX IF EXISTS decisions_current_key;
ALTER TABLE decisions
  DROP CONSTRAINT IF EXISTS decisions_status_check,
  DROP CONSTRAINT IF EXISTS decisions_superseded_check,
  DROP CONSTRAINT IF EXISTS decisions_approval_check,
  DROP CONSTRAINT IF EXISTS decisions_number_check,
  DROP CONSTRAINT IF EXISTS decisions_signer_check,
  DROP COLUMN status, DROP COLUMN decision_number, DROP COLUMN decision_date, DROP COLUMN signer_title,
  DROP COLUMN approved_at, DROP COLUMN version, DROP COLUMN updated_at;
