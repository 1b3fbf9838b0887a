package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

func init() {
	addConstraintFields(map[string]string{
		"decisions_cadre_fkey":     "cadre_id",
		"decisions_immutable":      "id",
		"decisions_supersedes_key": "id",
		"decisions_current_key":    "exit_date",
		"decisions_number_check":   "decision_number",
		"decisions_signer_check":   "signer_title",
		"decisions_not_self_check": "id",
	})
}

// Decision statuses: a draft is computed and editable; an approved decision is the signed act, immutable;
// a superseded one was replaced by a correction.
const (
	DecisionDraft      = "draft"
	DecisionApproved   = "approved"
	DecisionSuperseded = "superseded"
)

// ErrNotDraft is returned when a change only a draft takes (edit, approval) is asked of a decision that is
// approved or superseded.
var ErrNotDraft = errors.New("decision is not a draft")

// CurrentDecisionError is returned when a person already has a current decision for the exit being saved
// and the new computation differs from it.
type CurrentDecisionError struct{ Current Decision }

func (e *CurrentDecisionError) Error() string {
	return "a current decision exists for this exit: " + e.Current.ID
}

// ErrSuperseded is returned when a decision that was already superseded is superseded again.
var ErrSuperseded = errors.New("decision already superseded")

// Decision is a stored exit-entitlement computation. Inputs, Request, Parameters and Result are JSON kept
// exactly as computed; the row never changes except SupersededBy, set once.
type Decision struct {
	Province       string
	ID             string
	CadreID        string
	Reason         string
	Kind           string
	ExitDate       time.Time
	Policy         string
	Total          decimal.Decimal
	RulesetVersion string
	Inputs         json.RawMessage
	Request        json.RawMessage
	Parameters     json.RawMessage
	Result         json.RawMessage
	KeyID          *string // the key's public id
	RequestID      string
	CreatedAt      time.Time
	Supersedes     *string
	SupersededBy   *string
	Status         string
	DecisionNumber *string
	DecisionDate   *time.Time
	SignerTitle    *string
	ApprovedAt     *time.Time
	Version        int
	UpdatedAt      *time.Time
}

const decisionCols = `province_code, id::text, cadre_id::text, reason, kind, exit_date, policy, total::text, ruleset_version,
	inputs, request, parameters, result, (SELECT k.public_id::text FROM api_keys k WHERE k.id = api_key_id), request_id,
	created_at, supersedes::text, superseded_by::text, status, decision_number, decision_date, signer_title, approved_at, version, updated_at`

func scanDecision(r pgx.CollectableRow) (Decision, error) {
	var d Decision
	var total string
	err := r.Scan(&d.Province, &d.ID, &d.CadreID, &d.Reason, &d.Kind, &d.ExitDate, &d.Policy, &total, &d.RulesetVersion,
		&d.Inputs, &d.Request, &d.Parameters, &d.Result, &d.KeyID, &d.RequestID, &d.CreatedAt, &d.Supersedes, &d.SupersededBy,
		&d.Status, &d.DecisionNumber, &d.DecisionDate, &d.SignerTitle, &d.ApprovedAt, &d.Version, &d.UpdatedAt)
	if err != nil {
		return d, err
	}
	d.Total, err = decimal.NewFromString(total)
	return d, err
}

// decisionSummary is what the audit log keeps of a decision (the full result stays in the row itself).
func decisionSummary(d Decision) map[string]any {
	return map[string]any{"id": d.ID, "cadre_id": d.CadreID, "reason": d.Reason, "policy": d.Policy,
		"total": d.Total.String(), "ruleset_version": d.RulesetVersion, "supersedes": d.Supersedes, "superseded_by": d.SupersededBy,
		"exit_date": d.ExitDate.Format(time.DateOnly), "status": d.Status, "decision_number": d.DecisionNumber,
		"signer_title": d.SignerTitle, "version": d.Version}
}

func insertDecision(ctx context.Context, tx *Tx, d Decision) (Decision, error) {
	var id *string
	if d.ID != "" {
		id = &d.ID
	}
	rows, err := tx.Query(ctx, `INSERT INTO decisions (province_code, id, cadre_id, reason, kind, exit_date, policy, total,
		ruleset_version, inputs, request, parameters, result, api_key_id, request_id, created_at, supersedes)
		VALUES ($1, coalesce($17::uuid, gen_random_uuid()), $2::uuid, $3, $4, $5, $6, $7::numeric, $8, $9, $10, $11, $12, $13, $14, $15, $16::uuid)
		RETURNING `+decisionCols,
		d.Province, d.CadreID, d.Reason, d.Kind, d.ExitDate, d.Policy, d.Total.String(), d.RulesetVersion,
		[]byte(d.Inputs), []byte(d.Request), []byte(d.Parameters), []byte(d.Result), tx.P.KeyID, tx.P.RequestID, tx.Now, d.Supersedes, id)
	if err != nil {
		return Decision{}, translate(err)
	}
	out, err := pgx.CollectExactlyOneRow(rows, scanDecision)
	if err != nil {
		return Decision{}, translate(err)
	}
	return out, tx.Audit(ctx, out.Province, "create", "decision", out.ID, nil, decisionSummary(out))
}

// lockPerson takes the person's row lock, so that the saves, edits and approvals of one person's decisions
// run one after the other (the unique index decisions_current_key backs it up).
func lockPerson(ctx context.Context, tx *Tx, province, cadreID string) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM cadres WHERE province_code = $1 AND id::text = $2 FOR UPDATE`, province, cadreID).Scan(&one)
	return translate(err)
}

// conflictingDecision returns the person's current decision for the same exit event as a decision leaving
// on exit, other than except: a draft (the person's exit is still being settled), or an approved decision
// whose exit is not before this one (a later exit is a new event: the person was employed again).
func conflictingDecision(ctx context.Context, tx *Tx, province, cadreID string, exit time.Time, except string) (*Decision, error) {
	rows, err := tx.Query(ctx, `SELECT `+decisionCols+` FROM decisions
		WHERE province_code = $1 AND cadre_id::text = $2 AND superseded_by IS NULL AND id::text <> $4
		AND (status = 'draft' OR exit_date >= $3)
		ORDER BY exit_date = $3 DESC, created_at DESC LIMIT 1`, province, cadreID, exit, except)
	if err != nil {
		return nil, err
	}
	ds, err := pgx.CollectRows(rows, scanDecision)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return &ds[0], nil
}

// sameComputation reports whether a stored decision holds the same computation as d: same reason, exit,
// rules engine input and request context (compared as JSON values, so key order does not matter).
func sameComputation(ctx context.Context, tx *Tx, cur Decision, d Decision) (bool, error) {
	if cur.Reason != d.Reason || !cur.ExitDate.Equal(d.ExitDate) {
		return false, nil
	}
	var same bool
	err := tx.QueryRow(ctx, `SELECT $1::jsonb = $2::jsonb AND $3::jsonb = $4::jsonb`,
		[]byte(cur.Inputs), []byte(d.Inputs), []byte(cur.Request), []byte(d.Request)).Scan(&same)
	return same, err
}

// SaveDecision stores d as a draft decision and audits it. When the person already has a current decision
// for the same exit, it stores nothing: existing is true and the stored decision returned when it holds the
// same computation, else the error is a *CurrentDecisionError naming it.
func (s *Store) SaveDecision(ctx context.Context, p Principal, d Decision) (out Decision, existing bool, err error) {
	err = s.InTx(ctx, p, func(tx *Tx) error {
		existing = false
		if err := lockPerson(ctx, tx, d.Province, d.CadreID); err != nil {
			return err
		}
		cur, err := conflictingDecision(ctx, tx, d.Province, d.CadreID, d.ExitDate, "")
		if err != nil {
			return err
		}
		if cur != nil {
			same, err := sameComputation(ctx, tx, *cur, d)
			if err != nil {
				return err
			}
			if !same {
				return &CurrentDecisionError{Current: *cur}
			}
			out, existing = *cur, true
			return nil
		}
		out, err = insertDecision(ctx, tx, d)
		return err
	})
	return out, existing, err
}

// CreateDecision stores a new decision and audits it (no check for a current one: see SaveDecision).
func (s *Store) CreateDecision(ctx context.Context, p Principal, d Decision) (Decision, error) {
	var out Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		out, err = insertDecision(ctx, tx, d)
		return err
	})
	return out, err
}

// UpdateDraft replaces a draft's computation with d (recomputed from edited inputs) at version; ErrStale
// when the version differs, ErrNotDraft when the decision is approved or superseded, *CurrentDecisionError
// when the edited exit collides with another current decision of the person.
func (s *Store) UpdateDraft(ctx context.Context, p Principal, province, id string, version int, d Decision) (Decision, error) {
	var out Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		old, err := getDecision(ctx, tx, province, id, false)
		if err != nil {
			return err
		}
		if err := lockPerson(ctx, tx, province, old.CadreID); err != nil {
			return err
		}
		if old, err = getDecision(ctx, tx, province, id, true); err != nil {
			return err
		}
		if old.Status != DecisionDraft {
			return ErrNotDraft
		}
		if old.Version != version {
			return ErrStale
		}
		if cur, err := conflictingDecision(ctx, tx, province, old.CadreID, d.ExitDate, old.ID); err != nil {
			return err
		} else if cur != nil {
			return &CurrentDecisionError{Current: *cur}
		}
		rows, err := tx.Query(ctx, `UPDATE decisions SET reason = $3, kind = $4, exit_date = $5, policy = $6, total = $7::numeric,
			ruleset_version = $8, inputs = $9, request = $10, parameters = $11, result = $12, api_key_id = $13, request_id = $14,
			version = version + 1, updated_at = $15
			WHERE province_code = $1 AND id = $2::uuid RETURNING `+decisionCols,
			province, old.ID, d.Reason, d.Kind, d.ExitDate, d.Policy, d.Total.String(), d.RulesetVersion, []byte(d.Inputs),
			[]byte(d.Request), []byte(d.Parameters), []byte(d.Result), tx.P.KeyID, tx.P.RequestID, tx.Now)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanDecision); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, province, "update", "decision", old.ID, decisionSummary(old), decisionSummary(out))
	})
	return out, err
}

// SupersedeDecision stores d as the correction of decision oldID (a new draft) and marks the old one
// superseded, both in one transaction; ErrSuperseded when the old one already has a successor. Nothing the
// old decision's approval did (posts ended, the person recorded as left) is undone.
func (s *Store) SupersedeDecision(ctx context.Context, p Principal, province, oldID string, d Decision) (Decision, Decision, error) {
	var out, old Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		if old, err = getDecision(ctx, tx, province, oldID, false); err != nil {
			return err
		}
		if err := lockPerson(ctx, tx, province, old.CadreID); err != nil {
			return err
		}
		if old, err = getDecision(ctx, tx, province, oldID, true); err != nil {
			return err
		}
		if old.SupersededBy != nil {
			return ErrSuperseded
		}
		if cur, err := conflictingDecision(ctx, tx, province, old.CadreID, d.ExitDate, old.ID); err != nil {
			return err
		} else if cur != nil {
			return &CurrentDecisionError{Current: *cur}
		}
		// The old decision stops being current first (superseded_by's foreign key is checked at commit), so
		// that the new one can take its place in decisions_current_key.
		if err := tx.QueryRow(ctx, `SELECT gen_random_uuid()::text`).Scan(&d.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE decisions SET superseded_by = $3::uuid, status = 'superseded', version = version + 1,
			updated_at = $4 WHERE province_code = $1 AND id = $2::uuid`, province, old.ID, d.ID, tx.Now); err != nil {
			return translate(err)
		}
		d.Supersedes = &old.ID
		if out, err = insertDecision(ctx, tx, d); err != nil {
			return err
		}
		after := old
		after.SupersededBy, after.Status, after.Version = &out.ID, DecisionSuperseded, old.Version+1
		return tx.Audit(ctx, province, "update", "decision", old.ID, decisionSummary(old), decisionSummary(after))
	})
	return out, old, err
}

func getDecision(ctx context.Context, tx *Tx, province, id string, lock bool) (Decision, error) {
	sql := `SELECT ` + decisionCols + ` FROM decisions WHERE province_code = $1 AND id::text = $2`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, err := tx.Query(ctx, sql, province, id)
	if err != nil {
		return Decision{}, err
	}
	d, err := pgx.CollectExactlyOneRow(rows, scanDecision)
	return d, translate(err)
}

// GetDecision returns one decision.
func (s *Store) GetDecision(ctx context.Context, p Principal, province, id string) (Decision, error) {
	var out Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		out, err = getDecision(ctx, tx, province, id, false)
		return err
	})
	return out, err
}

// DecisionFilter pages decisions newest first by (created_at, id).
type DecisionFilter struct {
	CadreID     string
	Policy      string
	Current     bool   // only decisions not superseded
	Status      string // "": any
	BeforeAt    *time.Time
	BeforeID    string
	Limit       int
	WithResults bool // false: leave the large JSON columns out of the list
}

// ListDecisions returns one page of the province's decisions, newest first.
func (s *Store) ListDecisions(ctx context.Context, p Principal, province string, f DecisionFilter) ([]Decision, error) {
	q := newListQuery("province_code = $1", province)
	add := q.add
	if f.CadreID != "" {
		add("cadre_id::text = ?", f.CadreID)
	}
	if f.Policy != "" {
		add("policy = ?", f.Policy)
	}
	if f.Current {
		add("superseded_by IS NULL")
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.BeforeAt != nil {
		add("(created_at, id::text) < (?, ?)", *f.BeforeAt, f.BeforeID)
	}
	cols := decisionCols
	if !f.WithResults {
		cols = strings.NewReplacer("inputs,", `'{}'::jsonb,`, "request,", `'{}'::jsonb,`,
			"parameters,", `'[]'::jsonb,`, "result,", `'{}'::jsonb,`).Replace(cols)
	}
	sql := `SELECT ` + cols + ` FROM decisions WHERE ` + q.where() + q.page("created_at DESC, id::text DESC", f.Limit)
	args := q.args
	var out []Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanDecision)
		return err
	})
	return out, err
}
