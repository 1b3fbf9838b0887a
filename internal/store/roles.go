package store

import (
	"context"
	"fmt"
)

// ConnectionRisks describes what the login role of the pool could do beyond the application role: as a
// superuser, or as the owner of the schema, a `RESET ROLE` slipped into any query would leave row-level
// security behind. Each risk is one sentence for the log; none when the login role is a plain one (such
// as the communehr_server role that scripts/pg.sh approle creates).
func (s *Store) ConnectionRisks(ctx context.Context) ([]string, error) {
	var (
		user          string
		super, bypass bool
		owns          int
	)
	err := s.pool.QueryRow(ctx, `SELECT session_user, r.rolsuper, r.rolbypassrls,
		(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relowner = r.oid)
		FROM pg_roles r WHERE r.rolname = session_user`).Scan(&user, &super, &bypass, &owns)
	if err != nil {
		return nil, fmt.Errorf("check the login role: %w", err)
	}
	var out []string
	if super {
		out = append(out, fmt.Sprintf("the server connects as %q, a superuser: a RESET ROLE would bypass row-level security; serve as a login role that is neither superuser nor owner (scripts/pg.sh approle)", user))
	} else if bypass {
		out = append(out, fmt.Sprintf("the server connects as %q, which has BYPASSRLS: a RESET ROLE would bypass row-level security", user))
	}
	if owns > 0 {
		out = append(out, fmt.Sprintf("the server connects as %q, which owns %d tables of the schema: run migrations as the owner and serve as another login role (scripts/pg.sh approle)", user, owns))
	}
	return out, nil
}
