// Package store is communehr's PostgreSQL layer: the pool, one transaction helper that sets the tenant for
// row-level security and writes the audit log, and the queries of each aggregate. It knows SQL, not HTTP.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the database role every query of the server runs as. It has no BYPASSRLS, so the row-level
// security policies of the migrations hold even when DATABASE_URL names a superuser.
const AppRole = "communehr_app"

// NationalRole is the role of Ministry and operator transactions (SET LOCAL ROLE): the same grants and
// write policies as AppRole, plus a read policy without a row filter, so that national aggregations plan
// as well as hand-written SQL (migration 0007). It has no BYPASSRLS either.
const NationalRole = "communehr_national"

// Roles of API keys.
const (
	RoleOperator       = "operator"
	RoleMinistry       = "ministry"
	RoleProvinceEditor = "province_editor"
	RoleProvinceViewer = "province_viewer"
)

// Principal is who a transaction acts for: the API key's id (or the console user's id and name), role and
// (for province roles) province.
type Principal struct {
	KeyID       int64  // internal (a global sequence): the database's, never shown
	KeyPublicID string // the key's random public id: what the API shows
	Role        string
	Province    string // empty for operator and ministry
	RequestID   string
	UserID      int64  // a console officer (0 for an API key); the audit log names them
	Username    string // the officer's username, or a label such as "cli" for a command-line operator
}

// National reports whether the principal reads across provinces (Ministry, operator).
func (p Principal) National() bool { return p.Role == RoleMinistry || p.Role == RoleOperator }

// Store is the database handle shared by the whole server.
type Store struct {
	pool *pgxpool.Pool
	// jobPool is the small pool of background jobs (imports, entitlement runs): requests never wait
	// for it, and jobs never take a connection of pool (see Options.JobConns).
	jobPool *pgxpool.Pool
	now     func() time.Time
	replica *Store     // DATABASE_READ_URL: reads of callers that never write (readpool.go); nil without one
	gate    *heavyGate // admits heavy synchronous work (heavy.go)
	// conns admits the transactions of one province to the requests' pool (provinceconns.go).
	conns *provinceConns
}

// Options tune Open.
type Options struct {
	// JobConns is the size of the jobs' own pool (default 4). A running job holds one connection of it
	// for its data transaction and briefly takes a second one for its job row and progress, so it must
	// exceed the number of jobs the runner lets run at once (jobs.Config.MaxTotal) by at least one:
	// then a job waiting for its second connection always gets one (the short writes holding the spare
	// connections wait for nothing), and no job can ever wait for a connection a request needs.
	JobConns int
	// Heavy bounds heavy synchronous work (reorganisations, province reports, the national summary): see
	// heavy.go. Zero values take the defaults.
	Heavy HeavyLimits
	// ProvinceConns bounds the connections of the requests' pool one province may hold at once (and
	// how long its next transaction waits for one of them): see provinceconns.go. Zero values take the
	// defaults.
	ProvinceConns HeavyLimits
}

// Open connects with the default options (see OpenWith).
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	return OpenWith(ctx, databaseURL, Options{})
}

// OpenWith connects the requests' pool (pool_max_conns of DATABASE_URL, at least 8) and the jobs' pool
// (opt.JobConns), whose every connection runs as AppRole, and refuses a connection that could bypass
// row-level security.
func OpenWith(ctx context.Context, databaseURL string, opt Options) (*Store, error) {
	if opt.JobConns <= 0 {
		opt.JobConns = 4
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if _, err := c.Exec(ctx, "SET ROLE "+AppRole); err != nil {
			return fmt.Errorf("SET ROLE %s (run `server migrate up` first, as a user that may create roles): %w", AppRole, err)
		}
		return nil
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	jcfg := cfg.Copy()
	jcfg.MaxConns, jcfg.MinConns = int32(opt.JobConns), 0
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	jobPool, err := pgxpool.NewWithConfig(ctx, jcfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect the jobs' pool: %w", err)
	}
	s := &Store{pool: pool, jobPool: jobPool, now: time.Now, gate: newHeavyGate(opt.Heavy),
		conns: newProvinceConns(cfg.MaxConns, opt.ProvinceConns)}
	if err := s.checkNoBypass(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// setLocalAppRole makes a transaction run as AppRole whatever the session's role: behind PgBouncer in
// transaction mode, consecutive transactions of one client connection run on different server connections,
// which PgBouncer opens and closes on its own (server_lifetime, RECONNECT) without the SET ROLE of
// AfterConnect — a transaction on such a connection would run as the DATABASE_URL user, past row-level
// security. Every tenant transaction therefore selects it with its other transaction-local settings.
const setLocalAppRole = `set_config('role', '` + AppRole + `', true)`

// checkNoBypass makes sure the roles transactions run as (AppRole, NationalRole) are subject to
// row-level security.
func (s *Store) checkNoBypass(ctx context.Context) error {
	rows, err := s.pool.Query(ctx,
		`SELECT rolname, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname IN ($1, $2)`, AppRole, NationalRole)
	if err != nil {
		return fmt.Errorf("check database roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var role string
		var bypass bool
		if err := rows.Scan(&role, &bypass); err != nil {
			return err
		}
		if bypass {
			return fmt.Errorf("database role %q can bypass row-level security; refusing to serve", role)
		}
	}
	return rows.Err()
}

// Close releases the pools.
func (s *Store) Close() {
	if s.replica != nil {
		s.replica.Close()
	}
	s.pool.Close()
	if s.jobPool != nil {
		s.jobPool.Close()
	}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.pool.QueryRow(ctx, "SELECT 1").Scan(&one)
}

// SetClock replaces the clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Tx is one tenant transaction: the pgx transaction, who it acts for and the time it started.
type Tx struct {
	pgx.Tx
	P   Principal
	Now time.Time
}

// InTx runs fn in one transaction with the tenant set for row-level security (transaction-local, so it is
// safe behind a pooler). It rolls back on error or panic and retries serialization failures and deadlocks.
func (s *Store) InTx(ctx context.Context, p Principal, fn func(tx *Tx) error) error {
	return s.inTxOn(ctx, s.pool, p, fn)
}

// inTxOn is InTx on the given pool (the requests' or the jobs').
func (s *Store) inTxOn(ctx context.Context, pool *pgxpool.Pool, p Principal, fn func(tx *Tx) error) error {
	if pool == s.pool && s.conns != nil {
		release, err := s.conns.acquire(ctx, heavyKey(p.Province))
		if err != nil {
			return err
		}
		defer release()
	}
	const attempts = 3
	var err error
	for i := 0; i < attempts; i++ {
		err = s.inTxOnce(ctx, pool, p, fn)
		if !isRetryable(err) {
			return err
		}
	}
	return err
}

func (s *Store) inTxOnce(ctx context.Context, pool *pgxpool.Pool, p Principal, fn func(tx *Tx) error) (err error) {
	q, oneTrip := beginQuery(p)
	ptx, err := pool.BeginTx(ctx, pgx.TxOptions{BeginQuery: q})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			_ = ptx.Rollback(context.WithoutCancel(ctx))
			panic(r)
		}
		if err != nil {
			_ = ptx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if !oneTrip {
		if err = setTenant(ctx, ptx, p); err != nil {
			return err
		}
	}
	tx := &Tx{Tx: ptx, P: p, Now: s.now().UTC()}
	if err = fn(tx); err != nil {
		return err
	}
	if err = ptx.Commit(ctx); err != nil {
		return translate(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// setTenant sets the tenant settings and role of a transaction begun plainly (see beginQuery).
func setTenant(ctx context.Context, ptx pgx.Tx, p Principal) error {
	_, err := ptx.Exec(ctx,
		`SELECT set_config('app.province', $1, true), set_config('app.role', $2, true), set_config('app.key_id', $3, true), `+
			`set_config('app.user_id', $4, true), `+setLocalAppRole, p.Province, p.Role, fmt.Sprint(p.KeyID), fmt.Sprint(p.UserID))
	if err != nil {
		return fmt.Errorf("set tenant: %w", err)
	}
	if p.National() {
		if _, err = ptx.Exec(ctx, "SET LOCAL ROLE "+NationalRole); err != nil {
			return fmt.Errorf("set national role: %w", err)
		}
	}
	return nil
}

// versioned is a row that carries the optimistic-lock version a client names in If-Match.
type versioned interface{ rowVersion() int }

// lockAtVersion is how every update and delete starts: get reads the row FOR UPDATE, and the row is
// refused with ErrStale once its version has moved on from the one the client saw. It returns the row
// (before) and a copy edited by change (after); change is nil for a delete.
func lockAtVersion[T versioned](version int, change func(*T) error, get func() (T, error)) (before, after T, err error) {
	if before, err = get(); err != nil {
		return before, after, err
	}
	if before.rowVersion() != version {
		return before, after, ErrStale
	}
	after = before
	if change != nil {
		err = change(&after)
	}
	return before, after, err
}

func isRetryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	return false
}

// Today is the current date by the store's clock (UTC), for defaults such as ?as_of.
func (s *Store) Today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
