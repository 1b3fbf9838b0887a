-- A person's status has history (issue 11 item 2; docs/time.md "A person's status in time"). The row keeps
-- the current status (status, left_on, and active_from: the first day of the latest active period); the
-- periods live in cadre_status_history. One rule keeps them in step on every write path — the API, imports
-- of people, a decision's approval, reorganisations, COPY — because it is a trigger on cadres, not code in
-- each path.

ALTER TABLE cadres ADD COLUMN active_from date;
COMMENT ON COLUMN cadres.active_from IS 'First day of the person''s latest active period (a return to work after a leaving); NULL = active since the record began';

CREATE TABLE cadre_status_history (
  province_code text NOT NULL,
  cadre_id      uuid NOT NULL,
  -- 0001-01-01 = since the record began (the API shows null)
  valid_from    date NOT NULL,
  -- inclusive; NULL = open
  valid_to      date,
  status        text NOT NULL CHECK (status IN ('active', 'left', 'retired')),
  PRIMARY KEY (province_code, cadre_id, valid_from),
  CONSTRAINT cadre_status_history_cadre_fkey FOREIGN KEY (province_code, cadre_id)
    REFERENCES cadres (province_code, id) ON DELETE CASCADE,
  CONSTRAINT cadre_status_history_dates_check CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CONSTRAINT cadre_status_history_no_overlap EXCLUDE USING gist (
    province_code WITH =, cadre_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
);
COMMENT ON TABLE cadre_status_history IS 'Periods of a person''s status (active, left, retired), tiling time from the start of the record; kept by the triggers on cadres; no rows = active since the record began';
-- Reads "as of D" look for the periods that are not active (a few percent of the rows): an anti-join on
-- this partial index costs little whatever the size of the register.
CREATE INDEX cadre_status_history_inactive_idx ON cadre_status_history (province_code, cadre_id, valid_from, valid_to)
  WHERE status <> 'active';

ALTER TABLE cadre_status_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE cadre_status_history FORCE ROW LEVEL SECURITY;
CREATE POLICY cadre_status_history_read ON cadre_status_history FOR SELECT USING (can_read(province_code));
CREATE POLICY cadre_status_history_insert ON cadre_status_history FOR INSERT WITH CHECK (can_write(province_code));
CREATE POLICY cadre_status_history_update ON cadre_status_history FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code));
CREATE POLICY cadre_status_history_delete ON cadre_status_history FOR DELETE USING (can_write(province_code));
GRANT SELECT, INSERT, UPDATE, DELETE ON cadre_status_history TO communehr_app;

-- cadre_status_start: the first day of the person's current status: left_on when left or retired,
-- active_from when active (0001-01-01 when NULL: since the record began).
CREATE FUNCTION cadre_status_start(status text, left_on date, active_from date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(CASE WHEN status = 'active' THEN active_from ELSE left_on END, DATE '0001-01-01') $$;

-- cadre_status_set: from day f on, the person's status is s. Periods starting on or after f are replaced,
-- the one running on f ends the day before, and a period of the same status just before f continues. With
-- redate, the current period is first withdrawn (its start is being corrected: a left_on or active_from
-- changed without the status changing). Periods always tile time from 0001-01-01: a first period that
-- would start later is preceded by an active one; a person active since the beginning keeps no rows.
CREATE FUNCTION cadre_status_set(p text, id uuid, s text, f date, redate boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF redate THEN
    DELETE FROM cadre_status_history WHERE province_code = p AND cadre_id = id AND valid_to IS NULL;
    UPDATE cadre_status_history SET valid_to = NULL WHERE province_code = p AND cadre_id = id
      AND valid_from = (SELECT max(valid_from) FROM cadre_status_history WHERE province_code = p AND cadre_id = id);
  END IF;
  DELETE FROM cadre_status_history WHERE province_code = p AND cadre_id = id AND valid_from >= f;
  UPDATE cadre_status_history SET valid_to = f - 1 WHERE province_code = p AND cadre_id = id
    AND (valid_to IS NULL OR valid_to >= f);
  UPDATE cadre_status_history SET valid_to = NULL WHERE province_code = p AND cadre_id = id
    AND valid_to = f - 1 AND status = s;
  IF FOUND THEN
    RETURN;
  END IF;
  IF f > DATE '0001-01-01' AND NOT EXISTS (SELECT 1 FROM cadre_status_history WHERE province_code = p AND cadre_id = id) THEN
    IF s = 'active' THEN
      f := DATE '0001-01-01';
    ELSE
      INSERT INTO cadre_status_history (province_code, cadre_id, valid_from, valid_to, status)
        VALUES (p, id, DATE '0001-01-01', f - 1, 'active');
    END IF;
  END IF;
  INSERT INTO cadre_status_history (province_code, cadre_id, valid_from, valid_to, status) VALUES (p, id, f, NULL, s);
  -- A person active since the record began has no rows (most people): nothing to store, nothing to scan.
  DELETE FROM cadre_status_history WHERE province_code = p AND cadre_id = id AND valid_from = DATE '0001-01-01'
    AND valid_to IS NULL AND status = 'active';
END $$;
COMMENT ON FUNCTION cadre_status_set(text, uuid, text, date, boolean) IS 'From a day on, a person''s status is the one given: the one rule every write of cadres goes through (its triggers)';

-- New people, set-based (an import of 200,000 people is one statement): a person recorded as left or
-- retired was active until the day before left_on; a person active since the record began has no rows.
CREATE FUNCTION cadres_status_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cadre_status_history (province_code, cadre_id, valid_from, valid_to, status)
  SELECT n.province_code, n.id, DATE '0001-01-01', n.left_on - 1, 'active' FROM new_rows n WHERE n.status <> 'active'
  UNION ALL
  SELECT n.province_code, n.id, n.left_on, NULL, n.status FROM new_rows n WHERE n.status <> 'active';
  RETURN NULL;
END $$;
CREATE TRIGGER cadres_status_insert AFTER INSERT ON cadres REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cadres_status_inserted();

-- Changed people: only the rows whose status or its first day changed go through cadre_status_set.
CREATE FUNCTION cadres_status_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT n.province_code, n.id, n.status, cadre_status_start(n.status, n.left_on, n.active_from) AS f,
      n.status = o.status AS redate
    FROM new_rows n JOIN old_rows o ON o.province_code = n.province_code AND o.id = n.id
    WHERE (n.status, cadre_status_start(n.status, n.left_on, n.active_from))
      IS DISTINCT FROM (o.status, cadre_status_start(o.status, o.left_on, o.active_from))
  LOOP
    PERFORM cadre_status_set(r.province_code, r.id, r.status, r.f, r.redate);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER cadres_status_update AFTER UPDATE ON cadres REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cadres_status_updated();

-- Backfill: everyone's periods from the current row.
INSERT INTO cadre_status_history (province_code, cadre_id, valid_from, valid_to, status)
SELECT c.province_code, c.id, DATE '0001-01-01', c.left_on - 1, 'active' FROM cadres c WHERE c.status <> 'active'
UNION ALL
SELECT c.province_code, c.id, c.left_on, NULL, c.status FROM cadres c WHERE c.status <> 'active';

GRANT EXECUTE ON FUNCTION cadre_status_start(text, date, date), cadre_status_set(text, uuid, text, date, boolean) TO communehr_app;
