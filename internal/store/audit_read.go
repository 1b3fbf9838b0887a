package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one row of a province's audit log.
type AuditEntry struct {
	ID        string // the row's public id: random, so that it tells nothing of other provinces' activity
	At        time.Time
	KeyID     *string // the key's public id
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
	EntityID string // a record's id; for a commune-level unit code@YYYY-MM-DD (that unit) or its code (every unit of the code)
	From     *time.Time
	To       *time.Time
	Before   string // cursor: the public id of the last entry of the previous page ("": from the newest)
	Limit    int
}

// ListAudit returns one page of the province's audit log, newest first (by the internal id, which follows
// commit order closely enough for reading and is strictly monotonic for paging). The internal id comes from
// one sequence shared by every province, so it never leaves the database: entries are named, and pages
// continue, by their random public id.
func (s *Store) ListAudit(ctx context.Context, p Principal, province string, f AuditFilter) ([]AuditEntry, error) {
	q := newListQuery("province_code = $1", province)
	add := q.add
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		addEntityID(q, f.EntityID)
	}
	if f.From != nil {
		add("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		add("at < ?", f.To.UTC().AddDate(0, 0, 1))
	}
	if f.Before != "" {
		if !validUUID(f.Before) {
			return nil, ErrNotFound
		}
		add("id < (SELECT b.id FROM audit_log b WHERE b.province_code = $1 AND b.public_id = ?::uuid)", f.Before)
	}
	sql := `SELECT public_id::text, at, (SELECT k.public_id::text FROM api_keys k WHERE k.id = api_key_id), username, request_id, action, entity, entity_id, before::text, after::text
		FROM audit_log WHERE ` + q.where() + q.page("id DESC", f.Limit)
	args := q.args
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

// addEntityID selects the rows of one record. A commune-level unit is its code and its period: its rows
// are named code@YYYY-MM-DD (UnitKey.String), rows written before that by the records API name the code
// alone. A code@date id finds that unit's rows of both kinds: by the id, or by the code and the first day
// in the row's snapshot before or after (an old row, whichever spelling of effective_from its writer used;
// and the change that moved the unit's first day, filed under the new one). A bare code finds every
// unit of the code.
func addEntityID(q *listQuery, id string) {
	code, day, unit := strings.Cut(id, "@")
	if !unit {
		q.add("(entity_id = ? OR (entity = 'commune' AND starts_with(entity_id, ? || '@')))", id)
		return
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		q.add("entity_id = ?", id)
		return
	}
	q.add(`(entity_id = ? OR (entity = 'commune' AND split_part(entity_id, '@', 1) = ? AND ? IN (left(after->>'EffectiveFrom', 10),
		left(after->>'effective_from', 10), left(before->>'EffectiveFrom', 10), left(before->>'effective_from', 10))))`, id, code, day)
}
