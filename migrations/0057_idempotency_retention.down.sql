DROP FUNCTION purge_idempotency_keys(interval);
DROP POLICY idempotency_keys_retention ON idempotency_keys;
DROP POLICY idempotency_keys_retention_read ON idempotency_keys;
