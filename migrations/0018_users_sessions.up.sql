-- The web console (issue 14): officers log in as themselves. A user has the same roles as an API key
-- (province roles name their province); the password is kept only as an argon2id PHC string. Sessions live
-- in PostgreSQL; only the SHA-256 of the cookie's token is stored. The audit log names the user.

CREATE TABLE users (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username             text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  role                 text NOT NULL CHECK (role IN ('operator', 'ministry', 'province_editor', 'province_viewer')),
  province_code        text REFERENCES provinces (province_code),
  password_hash        text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  must_change_password boolean NOT NULL DEFAULT true,
  failed_logins        integer NOT NULL DEFAULT 0,
  last_login_at        timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  disabled_at          timestamptz,
  CONSTRAINT users_province_check CHECK ((role IN ('province_editor', 'province_viewer')) = (province_code IS NOT NULL))
);
CREATE UNIQUE INDEX users_username_key ON users (username);
COMMENT ON TABLE users IS 'Console officers: same roles as API keys; argon2id password hashes only; must_change_password after a one-time password';
COMMENT ON COLUMN users.failed_logins IS 'Failed logins since the last success: shown to operators, reset at login';

-- Users are looked up at login before any tenant is known (as API keys are), so every user row is
-- readable; only operators create users, and a user row changes only in a transaction that names it
-- (app.user_id: the password change and the login counters) or an operator's.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_read ON users FOR SELECT USING (true);
CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (app_role() = 'operator');
CREATE POLICY users_update ON users FOR UPDATE
  USING (id::text = current_setting('app.user_id', true) OR app_role() = 'operator')
  WITH CHECK (id::text = current_setting('app.user_id', true) OR app_role() = 'operator');
GRANT SELECT, INSERT, UPDATE ON users TO communehr_app;

CREATE TABLE sessions (
  token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  language     text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en'))
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
COMMENT ON TABLE sessions IS 'Console sessions: the SHA-256 of the cookie token, idle (last_seen_at) and absolute (expires_at) timeouts; deleted at logout';

-- A session is read before the tenant is known (by the token's hash, like an API key); it is created at
-- login and touched, so the application role may write it. A row only names a user; it holds no tenant
-- data. Writes are restricted to the session's own user once one is set (app.user_id).
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_read ON sessions FOR SELECT USING (true);
CREATE POLICY sessions_write ON sessions FOR ALL
  USING (user_id::text = current_setting('app.user_id', true))
  WITH CHECK (user_id::text = current_setting('app.user_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO communehr_app;

ALTER TABLE audit_log ADD COLUMN user_id bigint, ADD COLUMN username text;
COMMENT ON COLUMN audit_log.user_id IS 'The console officer who made the change (NULL for an API key: api_key_id)';
COMMENT ON COLUMN audit_log.username IS 'The officer''s username at the time, kept even if the user is renamed';
