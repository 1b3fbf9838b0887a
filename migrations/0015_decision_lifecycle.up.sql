-- Decisions are the act (issue 12): a stored decision is a draft (computed, inputs editable, recomputed on
-- each edit), then approved (decision number, date, signer's title; immutable from then on), then possibly
-- superseded by a correction. At most one current (not superseded) decision exists per person and exit
-- event, enforced here so that concurrent saves cannot make two.

ALTER TABLE decisions
  ADD COLUMN status          text NOT NULL DEFAULT 'draft',
  ADD COLUMN decision_number text,
  ADD COLUMN decision_date   date,
  ADD COLUMN signer_title    text,
  ADD COLUMN approved_at     timestamptz,
  ADD COLUMN version         integer NOT NULL DEFAULT 1,
  ADD COLUMN updated_at      timestamptz;

-- Earlier rows: superseded ones are superseded; the rest are drafts (they carry no decision number). Where
-- one person has several current decisions for the same exit date, the newest stays current and the older
-- ones are marked superseded by it, so that the unique index below can be built and totals count it once.
ALTER TABLE decisions DISABLE TRIGGER decisions_immutable;
-- Checked now, not at commit: a pending deferred check would block the ALTER TABLEs below.
SET CONSTRAINTS decisions_superseded_by_fkey IMMEDIATE;
UPDATE decisions d SET superseded_by = n.id
FROM (SELECT DISTINCT ON (province_code, cadre_id, exit_date) province_code, cadre_id, exit_date, id
      FROM decisions WHERE superseded_by IS NULL
      ORDER BY province_code, cadre_id, exit_date, created_at DESC, id DESC) n
WHERE d.superseded_by IS NULL AND d.province_code = n.province_code AND d.cadre_id = n.cadre_id
  AND d.exit_date = n.exit_date AND d.id <> n.id;
UPDATE decisions SET status = 'superseded' WHERE superseded_by IS NOT NULL;
ALTER TABLE decisions ENABLE TRIGGER decisions_immutable;

ALTER TABLE decisions
  ADD CONSTRAINT decisions_status_check CHECK (status IN ('draft', 'approved', 'superseded')),
  ADD CONSTRAINT decisions_superseded_check CHECK ((status = 'superseded') = (superseded_by IS NOT NULL)),
  ADD CONSTRAINT decisions_approval_check CHECK (status <> 'approved' OR (decision_number IS NOT NULL
    AND decision_date IS NOT NULL AND signer_title IS NOT NULL AND approved_at IS NOT NULL)),
  ADD CONSTRAINT decisions_number_check CHECK (decision_number IS NULL OR char_length(decision_number) BETWEEN 1 AND 60),
  ADD CONSTRAINT decisions_signer_check CHECK (signer_title IS NULL OR char_length(signer_title) BETWEEN 1 AND 200);

CREATE UNIQUE INDEX decisions_current_key ON decisions (province_code, cadre_id, exit_date) WHERE superseded_by IS NULL;
COMMENT ON INDEX decisions_current_key IS 'At most one current (not superseded) decision per person and exit date';
CREATE INDEX decisions_exit_idx ON decisions (province_code, exit_date) WHERE status = 'approved';

-- decisions_immutable: a draft may change (inputs recomputed, approval, being superseded) but never its
-- identity; an approved decision keeps the old rule (only superseded_by may be set, once, with its status);
-- a superseded decision never changes; nothing is ever deleted.
CREATE OR REPLACE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'decisions are immutable: a decision cannot be deleted' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_immutable';
  END IF;
  IF OLD.status = 'draft' THEN
    IF NEW.province_code IS DISTINCT FROM OLD.province_code OR NEW.id IS DISTINCT FROM OLD.id
       OR NEW.cadre_id IS DISTINCT FROM OLD.cadre_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.supersedes IS DISTINCT FROM OLD.supersedes THEN
      RAISE EXCEPTION 'decisions are immutable: a draft keeps its person and identity' USING ERRCODE = '23514',
        CONSTRAINT = 'decisions_immutable';
    END IF;
  ELSIF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL OR NEW.status <> 'superseded'
     OR (to_jsonb(NEW) - 'superseded_by' - 'status' - 'version' - 'updated_at')
        IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by' - 'status' - 'version' - 'updated_at') THEN
    RAISE EXCEPTION 'decisions are immutable: only superseded_by may be set, once' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_immutable';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION decisions_immutable() IS 'Drafts change but keep their identity; approved decisions only take superseded_by, once; nothing is deleted';

-- 0014's rule, checked at commit now: supersede marks the old decision before it inserts the correction
-- (so that the one-current-decision index never sees two), and the correction must name it by then.
CREATE FUNCTION decisions_superseded_by_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.superseded_by IS NOT NULL AND (NEW.superseded_by = NEW.id
     OR NOT EXISTS (SELECT 1 FROM decisions d WHERE d.province_code = NEW.province_code
                    AND d.id = NEW.superseded_by AND d.supersedes = NEW.id)) THEN
    RAISE EXCEPTION 'a decision is superseded only by the correction that names it' USING ERRCODE = '23514',
      CONSTRAINT = 'decisions_not_self_check';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER decisions_superseded_by_names AFTER UPDATE OF superseded_by ON decisions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION decisions_superseded_by_names();

GRANT UPDATE ON decisions TO communehr_app;
