-- The role communehr_app is cluster-wide and may serve other databases: it is left in place.
DROP TABLE IF EXISTS idempotency_keys, audit_log, api_keys, assignments, cadres, positions, hamlets, communes, provinces;
DROP FUNCTION IF EXISTS can_write(text), can_read(text), app_role(), app_province();
REVOKE USAGE ON SCHEMA public FROM communehr_app;
