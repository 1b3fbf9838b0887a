-- The login role `server serve` connects as: neither superuser nor the schema's owner, no BYPASSRLS, NOINHERIT,
-- allowed only to SET ROLE communehr_app / communehr_national and to read the schema version, so a RESET ROLE
-- slipped into a query reaches no data. Run it as the schema owner after `server migrate up` (the roles
-- above are the migrations'):
--   psql OWNER_URL -v ON_ERROR_STOP=1 -v role=communehr_server -v pw=PASSWORD -f scripts/serve-role.sql
-- Used by `scripts/pg.sh approle` (make run) and by docker-compose.yml's serve-role service. Idempotent: a
-- second run resets the role's attributes and password.
--
-- The role's sessions may write at most temp_limit (default 8GB) of temporary files per session: a query
-- gone quadratic on a hostile file once wrote 49 GB of them and filled the disk every province shares (issue
-- 10). Only a superuser may set it; run by an owner that is not one, the limit is left to the server's
-- configuration (set temp_file_limit in postgresql.conf).
\if :{?temp_limit}
\else
\set temp_limit 8GB
\endif
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT PASSWORD %L', :'role', :'pw') \gexec
SELECT format('GRANT communehr_app, communehr_national TO %I', :'role') \gexec
SELECT format('GRANT SELECT ON schema_migrations TO %I', :'role') \gexec
SELECT format('ALTER ROLE %I SET temp_file_limit = %L', :'role', :'temp_limit')
WHERE (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \gexec
