-- Issue 10 items 2 and 13, retention: a stored Idempotency-Key response (a whole first answer, a person's
-- full national ID included) was kept forever, and the table grew with every keyed POST. The server's
-- janitor now deletes the records made more than IDEMPOTENCY_RETENTION ago (24 h), through
-- purge_idempotency_keys: the owner (who runs the migrations) reads and deletes them across keys and
-- provinces only there, and the server's role may call it but not bring the age under an hour. A claim
-- still in progress (its lease not lapsed) is kept.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY idempotency_keys_retention_read ON idempotency_keys FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY idempotency_keys_retention ON idempotency_keys FOR DELETE TO %I USING (true)', current_user);
END
$$;

CREATE FUNCTION purge_idempotency_keys(age interval) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n bigint;
BEGIN
  DELETE FROM idempotency_keys
   WHERE created_at < now() - greatest(age, interval '1 hour')
     AND (status <> 0 OR lease_until IS NULL OR lease_until < now());
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION purge_idempotency_keys(interval) IS
  'Retention of Idempotency-Key records: deletes those made more than age (at least an hour) ago, except a claim still in progress; run by the server''s janitor';
REVOKE ALL ON FUNCTION purge_idempotency_keys(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_idempotency_keys(interval) TO communehr_app;
