-- communehr schema, first cut: tenants (provinces), the register (communes, hamlets, people and their posts),
-- the national catalogue of posts, API keys, the audit log and idempotency records.
--
-- Tenancy: every tenant table's primary key starts with province_code, foreign keys are composite, and
-- row-level security is ENABLED and FORCED. The server runs as communehr_app (no BYPASSRLS) and sets
-- app.province / app.role / app.key_id per transaction with set_config(..., true).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'communehr_app') THEN
    CREATE ROLE communehr_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
-- The migrating user (the server's DATABASE_URL user) must be able to SET ROLE communehr_app.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'communehr_app', 'MEMBER') THEN
    EXECUTE format('GRANT communehr_app TO %I', current_user);
  END IF;
END
$$;
COMMENT ON ROLE communehr_app IS 'communehr: the role the server runs every query as; never BYPASSRLS, so row-level security always holds';

GRANT USAGE ON SCHEMA public TO communehr_app;

-- app_province / app_role read the per-transaction tenant settings; NULL when unset.
CREATE FUNCTION app_province() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.province', true), '') $$;
CREATE FUNCTION app_role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.role', true), '') $$;
COMMENT ON FUNCTION app_province() IS 'The province the current transaction acts for (set_config(''app.province'', ..., true)); NULL outside a tenant transaction';
COMMENT ON FUNCTION app_role() IS 'The API role of the current transaction: operator, ministry, province_editor or province_viewer';

-- can_read / can_write are the two tenancy predicates every policy uses.
CREATE FUNCTION can_read(p text) RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT p = app_province() OR app_role() IN ('ministry', 'operator') $$;
CREATE FUNCTION can_write(p text) RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT p = app_province() AND app_role() = 'province_editor' $$;
COMMENT ON FUNCTION can_read(text) IS 'RLS read predicate: own province, or a national role (ministry, operator) reading across provinces';
COMMENT ON FUNCTION can_write(text) IS 'RLS write predicate: only a province editor, only in its own province; the Ministry never writes';

CREATE TABLE provinces (
  province_code  text PRIMARY KEY CHECK (province_code ~ '^[0-9]{2}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
  effective_from date NOT NULL DEFAULT DATE '2025-07-01',
  effective_to   date,
  allowance_basis text NOT NULL DEFAULT 'central_fund_share'
                 CHECK (allowance_basis IN ('central_fund_share', 'hdnd_level')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
COMMENT ON TABLE provinces IS 'Tenants: one row per province (2-digit GSO code). allowance_basis chooses the Decree 154/2025 "current monthly allowance" reading (rules.md §3.2)';

CREATE TABLE communes (
  province_code      text NOT NULL REFERENCES provinces (province_code),
  code               text NOT NULL CHECK (code ~ '^[0-9]{5}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind               text NOT NULL CHECK (kind IN ('xa', 'phuong', 'thi_tran', 'dac_khu')),
  class              smallint NOT NULL CHECK (class BETWEEN 1 AND 3),
  population         integer CHECK (population >= 0),
  area_km2           numeric(12, 2) CHECK (area_km2 >= 0),
  key_security_order boolean NOT NULL DEFAULT false,
  border             boolean NOT NULL DEFAULT false,
  island             boolean NOT NULL DEFAULT false,
  effective_from     date NOT NULL,
  effective_to       date,
  successor_code     text,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, code),
  CONSTRAINT communes_successor_fkey FOREIGN KEY (province_code, successor_code)
    REFERENCES communes (province_code, code) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT communes_effective_check CHECK (effective_to IS NULL OR effective_to > effective_from),
  CONSTRAINT communes_successor_check CHECK (successor_code IS NULL OR (effective_to IS NOT NULL AND successor_code <> code))
);
COMMENT ON TABLE communes IS 'Commune-level units (xã, phường, thị trấn, đặc khu) of a province; a merged unit gets effective_to and successor_code, never a delete';

CREATE TABLE hamlets (
  province_code       text NOT NULL,
  code                text NOT NULL CHECK (code ~ '^[0-9A-Za-z_.-]{1,32}$'),
  commune_code        text NOT NULL,
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind                text NOT NULL CHECK (kind IN ('thon', 'to_dan_pho')),
  households          integer NOT NULL CHECK (households >= 0),
  key_security_order  boolean NOT NULL DEFAULT false,
  border_or_island    boolean,
  converted_from_thon boolean NOT NULL DEFAULT false,
  effective_from      date NOT NULL,
  effective_to        date,
  successor_code      text,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, code),
  CONSTRAINT hamlets_commune_fkey FOREIGN KEY (province_code, commune_code) REFERENCES communes (province_code, code),
  CONSTRAINT hamlets_successor_fkey FOREIGN KEY (province_code, successor_code)
    REFERENCES hamlets (province_code, code) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT hamlets_effective_check CHECK (effective_to IS NULL OR effective_to > effective_from),
  CONSTRAINT hamlets_successor_check CHECK (successor_code IS NULL OR (effective_to IS NOT NULL AND successor_code <> code))
);
CREATE INDEX hamlets_commune_idx ON hamlets (province_code, commune_code);
COMMENT ON TABLE hamlets IS 'Hamlets (thôn) and residential groups (tổ dân phố); border_or_island NULL means derived from the commune';

CREATE TABLE positions (
  code            text PRIMARY KEY,
  level           text NOT NULL CHECK (level IN ('commune', 'hamlet')),
  title_vi        text NOT NULL,
  title_en        text NOT NULL,
  elected_default boolean NOT NULL,
  paid_hamlet_post boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE positions IS 'National catalogue of non-professional posts (rules.md §9); extended by migration, never by tenants';

INSERT INTO positions (code, level, title_vi, title_en, elected_default, paid_hamlet_post) VALUES
  ('van_phong_dang_uy', 'commune', 'Văn phòng Đảng ủy cấp xã', 'Commune Party committee office', false, false),
  ('phu_trach_truyen_thanh', 'commune', 'Phụ trách công tác truyền thanh cấp xã', 'Commune broadcasting officer', false, false),
  ('pho_chi_huy_truong_quan_su', 'commune', 'Phó chỉ huy trưởng Quân sự', 'Deputy military commander', false, false),
  ('pho_chu_tich_mttq', 'commune', 'Phó chủ tịch Mặt trận Tổ quốc', 'Vice-chair of the Fatherland Front', true, false),
  ('pho_chu_tich_hoi_ccb', 'commune', 'Phó chủ tịch Hội Cựu chiến binh', 'Vice-chair of the Veterans'' Association', true, false),
  ('pho_chu_tich_hoi_lhpn', 'commune', 'Phó chủ tịch Hội Liên hiệp Phụ nữ', 'Vice-chair of the Women''s Union', true, false),
  ('pho_chu_tich_hoi_nong_dan', 'commune', 'Phó chủ tịch Hội Nông dân', 'Vice-chair of the Farmers'' Association', true, false),
  ('pho_bi_thu_doan', 'commune', 'Phó bí thư Đoàn Thanh niên cộng sản Hồ Chí Minh', 'Deputy secretary of the Youth Union', true, false),
  ('chu_tich_hoi_nguoi_cao_tuoi', 'commune', 'Chủ tịch Hội Người cao tuổi', 'Chair of the Elderly Association', true, false),
  ('chu_tich_hoi_chu_thap_do', 'commune', 'Chủ tịch Hội Chữ thập đỏ', 'Chair of the Red Cross Society', true, false),
  ('bi_thu_chi_bo', 'hamlet', 'Bí thư chi bộ', 'Party cell secretary', true, true),
  ('truong_thon_to_truong', 'hamlet', 'Trưởng thôn / Tổ trưởng tổ dân phố', 'Hamlet head / residential-group head', true, true),
  ('truong_ban_cong_tac_mat_tran', 'hamlet', 'Trưởng ban công tác Mặt trận', 'Head of the Front work committee', true, true);

CREATE TABLE cadres (
  province_code text NOT NULL REFERENCES provinces (province_code),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  national_id   text NOT NULL CHECK (national_id ~ '^[0-9]{12}$'),
  full_name     text NOT NULL CHECK (char_length(full_name) BETWEEN 2 AND 100),
  gender        text NOT NULL CHECK (gender IN ('male', 'female')),
  birth_date    date NOT NULL,
  si_months     integer NOT NULL DEFAULT 0 CHECK (si_months BETWEEN 0 AND 720),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left', 'retired')),
  left_on       date,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id),
  CONSTRAINT cadres_national_id_key UNIQUE (province_code, national_id),
  CONSTRAINT cadres_left_on_check CHECK ((status = 'active') = (left_on IS NULL))
);
COMMENT ON TABLE cadres IS 'People holding (or having held) local posts; national_id is personal data, masked for viewers and never logged';

CREATE TABLE assignments (
  province_code      text NOT NULL,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  cadre_id           uuid NOT NULL,
  position_code      text NOT NULL REFERENCES positions (code),
  commune_code       text,
  hamlet_code        text,
  start_date         date NOT NULL,
  end_date           date,
  concurrent         boolean NOT NULL DEFAULT false,
  elected            boolean,
  term_end           date,
  allowance_override numeric(14, 0) CHECK (allowance_override >= 0),
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, id),
  CONSTRAINT assignments_cadre_fkey FOREIGN KEY (province_code, cadre_id) REFERENCES cadres (province_code, id) ON DELETE CASCADE,
  CONSTRAINT assignments_commune_fkey FOREIGN KEY (province_code, commune_code) REFERENCES communes (province_code, code),
  CONSTRAINT assignments_hamlet_fkey FOREIGN KEY (province_code, hamlet_code) REFERENCES hamlets (province_code, code),
  CONSTRAINT assignments_unit_check CHECK ((commune_code IS NULL) <> (hamlet_code IS NULL)),
  CONSTRAINT assignments_dates_check CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX assignments_cadre_idx ON assignments (province_code, cadre_id);
CREATE INDEX assignments_commune_idx ON assignments (province_code, commune_code) WHERE commune_code IS NOT NULL;
CREATE INDEX assignments_hamlet_idx ON assignments (province_code, hamlet_code) WHERE hamlet_code IS NOT NULL;
COMMENT ON TABLE assignments IS 'A person''s period in a post at a commune or a hamlet; concurrent = a second post held at the same time (paid 100 %, Decree 33/2023)';

CREATE TABLE api_keys (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL DEFAULT '',
  role          text NOT NULL CHECK (role IN ('operator', 'ministry', 'province_editor', 'province_viewer')),
  province_code text REFERENCES provinces (province_code),
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  token_prefix  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  CONSTRAINT api_keys_province_check CHECK ((role IN ('province_editor', 'province_viewer')) = (province_code IS NOT NULL))
);
COMMENT ON TABLE api_keys IS 'API keys: only the SHA-256 of each token is kept; the token is shown once at creation';

CREATE TABLE audit_log (
  province_code text NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY,
  at            timestamptz NOT NULL DEFAULT now(),
  api_key_id    bigint,
  request_id    text NOT NULL DEFAULT '',
  action        text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import')),
  entity        text NOT NULL,
  entity_id     text NOT NULL,
  before        jsonb,
  after         jsonb,
  PRIMARY KEY (province_code, id)
);
CREATE INDEX audit_log_entity_idx ON audit_log (province_code, entity, at DESC);
COMMENT ON TABLE audit_log IS 'Append-only record of every write: who (key), which request, what, before and after; written in the same transaction as the write';

CREATE TABLE idempotency_keys (
  province_code text NOT NULL DEFAULT '',
  api_key_id    bigint NOT NULL,
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  method        text NOT NULL,
  path          text NOT NULL,
  request_hash  bytea NOT NULL,
  status        integer NOT NULL,
  content_type  text NOT NULL DEFAULT '',
  location      text NOT NULL DEFAULT '',
  body          bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (province_code, api_key_id, key)
);
COMMENT ON TABLE idempotency_keys IS 'First response to each Idempotency-Key, per key and province: replayed for the same body, refused (422) for another';

-- Row-level security: enabled and forced everywhere tenant data lives.
ALTER TABLE provinces ENABLE ROW LEVEL SECURITY;
ALTER TABLE provinces FORCE ROW LEVEL SECURITY;
CREATE POLICY provinces_read ON provinces FOR SELECT USING (can_read(province_code));
CREATE POLICY provinces_insert ON provinces FOR INSERT WITH CHECK (app_role() = 'operator');
CREATE POLICY provinces_update ON provinces FOR UPDATE USING (app_role() = 'operator') WITH CHECK (app_role() = 'operator');

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['communes', 'hamlets', 'cadres', 'assignments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (can_read(province_code))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (can_write(province_code))', t || '_insert', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (can_write(province_code)) WITH CHECK (can_write(province_code))', t || '_update', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (can_write(province_code))', t || '_delete', t);
  END LOOP;
END
$$;

-- The audit log is append-only: read like tenant data, written by editors (own province) and operators.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (can_read(province_code));
CREATE POLICY audit_log_insert ON audit_log FOR INSERT
  WITH CHECK (can_write(province_code) OR app_role() = 'operator');

-- Idempotency records belong to the key that made them.
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_own ON idempotency_keys
  USING (api_key_id::text = current_setting('app.key_id', true))
  WITH CHECK (api_key_id::text = current_setting('app.key_id', true) AND app_role() IN ('province_editor', 'operator'));

GRANT SELECT, INSERT, UPDATE ON provinces TO communehr_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON communes, hamlets, cadres, assignments TO communehr_app;
GRANT SELECT ON positions TO communehr_app;
GRANT SELECT, INSERT ON audit_log TO communehr_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO communehr_app;
-- The server authenticates keys before any tenant is known: it may read keys, never change them
-- (keys are created and revoked by the `server keys` command, which runs as the owner).
GRANT SELECT ON api_keys TO communehr_app;
