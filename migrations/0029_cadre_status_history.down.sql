DROP TRIGGER cadres_status_update ON cadres;
DROP TRIGGER cadres_status_insert ON cadres;
DROP FUNCTION cadres_status_updated();
DROP FUNCTION cadres_status_inserted();
DROP FUNCTION cadre_status_set(text, uuid, text, date, boolean);
DROP FUNCTION cadre_status_start(text, date, date);
DROP TABLE cadre_status_history;
ALTER TABLE cadres DROP COLUMN active_from;
