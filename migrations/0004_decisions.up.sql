-- Stored entitlement decisions (issue 6): the inputs, ruleset version, parameters and full itemised result of
-- one exit computation, immutable once written. A correction is a new decision that supersedes the old one;
-- the only change an existing row ever takes is setting superseded_by, once.

CREATE TABLE decisions (
  province_code   text NOT NULL REFERENCES provinces (province_code),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  cadre_id        uuid NOT NULL,
  reason          text NOT NULL CHECK (reason IN ('reorganisation', 'streamlining', 'early_retirement', 'resignation')),
  kind            text NOT NULL CHECK (kind IN ('non_professional', 'cadre')),
  exit_date       date NOT NULL,
  policy          text NOT NULL DEFAULT '',
  total           numeric(16, 0) NOT NULL CHECK (total >= 0),
  ruleset_version text NOT NULL,
  inputs          jsonb NOT NULL,
  request         jsonb NOT NULL,
  parameters      jsonb NOT NULL,
  result          jsonb NOT NULL,
  api_key_id      bigint,
  request_id      text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  supersedes      uuid,
  superseded_by   uuid,
  PRIMARY KEY (province_code, id),
  CONSTRAINT decisions_cadre_fkey FOREIGN KEY (province_code, cadre_id) REFERENCES cadres (province_code, id),
  CONSTRAINT decisions_supersedes_fkey FOREIGN KEY (province_code, supersedes) REFERENCES decisions (province_code, id),
  CONSTRAINT decisions_superseded_by_fkey FOREIGN KEY (province_code, superseded_by)
    REFERENCES decisions (province_code, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX decisions_cadre_idx ON decisions (province_code, cadre_id);
CREATE INDEX decisions_created_idx ON decisions (province_code, created_at DESC, id);
CREATE UNIQUE INDEX decisions_supersedes_key ON decisions (province_code, supersedes) WHERE supersedes IS NOT NULL;
COMMENT ON TABLE decisions IS 'Stored exit-entitlement computations: inputs snapshot, ruleset version, parameters used and the full itemised result; immutable except superseded_by, set once when a correction supersedes it';

-- decisions_immutable refuses every change except setting superseded_by from NULL, and every delete.
CREATE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION decisions_immutable() IS 'Keeps stored decisions immutable: the only allowed change is setting superseded_by once';
CREATE TRIGGER decisions_immutable BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION decisions_immutable();

ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY decisions_read ON decisions FOR SELECT USING (can_read(province_code));
CREATE POLICY decisions_insert ON decisions FOR INSERT WITH CHECK (can_write(province_code));
CREATE POLICY decisions_update ON decisions FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code));
GRANT SELECT, INSERT ON decisions TO communehr_app;
GRANT UPDATE (superseded_by) ON decisions TO communehr_app;
