-- The Ministry and operators read across provinces. Under the single application role their reads went
-- through can_read(province_code) = "own province OR national role", a predicate the planner cannot
-- estimate (it assumes 1 % of rows pass), so national aggregations chose nested loops over hundreds of
-- thousands of rows. National transactions now run as communehr_national (SET LOCAL ROLE per
-- transaction), for which a SELECT-only policy USING (true) is added to every tenant table: OR-ed with
-- the existing policies it folds to true, so national reads carry no row filter. Writes are unchanged:
-- communehr_national inherits communehr_app's grants and is held by the same write policies, which only a
-- province editor of the row's own province passes. It has no BYPASSRLS either.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'communehr_national') THEN
    CREATE ROLE communehr_national NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT pg_has_role('communehr_national', 'communehr_app', 'MEMBER') THEN
    GRANT communehr_app TO communehr_national;
  END IF;
  IF NOT pg_has_role(current_user, 'communehr_national', 'MEMBER') THEN
    EXECUTE format('GRANT communehr_national TO %I', current_user);
  END IF;
END
$$;
COMMENT ON ROLE communehr_national IS 'communehr: national (Ministry, operator) transactions; reads every province, writes only what communehr_app may';

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c
           JOIN pg_class k ON k.relname = c.table_name AND k.relkind = 'r' AND k.relrowsecurity
           WHERE c.table_schema = 'public' AND c.column_name = 'province_code' ORDER BY 1 LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO communehr_national USING (true)', t || '_national_read', t);
  END LOOP;
END
$$;
