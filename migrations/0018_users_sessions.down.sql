ALTER TABLE audit_log DROP COLUMN user_id, DROP COLUMN username;
DROP TABLE sessions;
DROP TABLE users;
