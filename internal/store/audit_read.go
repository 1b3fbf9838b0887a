package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one row of a province's audit log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	KeyID     *int64
	Username  *string // the console officer who made the change (nil for an API key)
	RequestID string
	Action    string
	Entity    string
	EntityID  string
	Before    json.RawMessage // nil when the record did not exist before (create)
	After     json.RawMessage // nil when it does not exist after (delete)
}

// AuditFilter selects audit rows; From and To are calendar days (UTC, like the store's clock), both
// inclusive.
type AuditFilter struct {
	Entity   string
	EntityID string
	From     *time.Time
	To       *time.Time
	BeforeID int64 // cursor: the last id of the previous page (0: from the newest)
	Limit    int
}

// ListAudit returns one page of the province's audit log, newest first (by id, which follows commit order
// closely enough for reading and is strictly monotonic for paging).
func (s *Store) ListAudit(ctx context.Context, p Principal, province string, f AuditFilter) ([]AuditEntry, error) {
	where := []string{"province_code = $1"}
	args := []any{province}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if f.From != nil {
		add("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		add("at < ?", f.To.UTC().AddDate(0, 0, 1))
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	args = append(args, f.Limit)
	sql := `SELECT id, at, api_key_id, username, request_id, action, entity, entity_id, before::text, after::text
		FROM audit_log WHERE ` + strings.Join(where, " AND ") + fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args))
	var out []AuditEntry
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
			var e AuditEntry
			var before, after *string
			err := r.Scan(&e.ID, &e.At, &e.KeyID, &e.Username, &e.RequestID, &e.Action, &e.Entity, &e.EntityID, &before, &after)
			if before != nil {
				e.Before = json.RawMessage(*before)
			}
			if after != nil {
				e.After = json.RawMessage(*after)
			}
			return e, err
		})
		return err
	})
	return out, err
}
