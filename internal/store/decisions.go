package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		"decisions_not_self_check": "id",
	})
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
	KeyID          *int64
	RequestID      string
	CreatedAt      time.Time
	Supersedes     *string
	SupersededBy   *string
}

const decisionCols = `province_code, id::text, cadre_id::text, reason, kind, exit_date, policy, total::text, ruleset_version,
	inputs, request, parameters, result, api_key_id, request_id, created_at, supersedes::text, superseded_by::text`

func scanDecision(r pgx.CollectableRow) (Decision, error) {
	var d Decision
	var total string
	err := r.Scan(&d.Province, &d.ID, &d.CadreID, &d.Reason, &d.Kind, &d.ExitDate, &d.Policy, &total, &d.RulesetVersion,
		&d.Inputs, &d.Request, &d.Parameters, &d.Result, &d.KeyID, &d.RequestID, &d.CreatedAt, &d.Supersedes, &d.SupersededBy)
	if err != nil {
		return d, err
	}
	d.Total, err = decimal.NewFromString(total)
	return d, err
}

// decisionSummary is what the audit log keeps of a decision (the full result stays in the row itself).
func decisionSummary(d Decision) map[string]any {
	return map[string]any{"id": d.ID, "cadre_id": d.CadreID, "reason": d.Reason, "policy": d.Policy,
		"total": d.Total.String(), "ruleset_version": d.RulesetVersion, "supersedes": d.Supersedes, "superseded_by": d.SupersededBy}
}

func insertDecision(ctx context.Context, tx *Tx, d Decision) (Decision, error) {
	rows, err := tx.Query(ctx, `INSERT INTO decisions (province_code, cadre_id, reason, kind, exit_date, policy, total,
		ruleset_version, inputs, request, parameters, result, api_key_id, request_id, created_at, supersedes)
		VALUES ($1, $2::uuid, $3, $4, $5, $6, $7::numeric, $8, $9, $10, $11, $12, $13, $14, $15, $16::uuid)
		RETURNING `+decisionCols,
		d.Province, d.CadreID, d.Reason, d.Kind, d.ExitDate, d.Policy, d.Total.String(), d.RulesetVersion,
		[]byte(d.Inputs), []byte(d.Request), []byte(d.Parameters), []byte(d.Result), tx.P.KeyID, tx.P.RequestID, tx.Now, d.Supersedes)
	if err != nil {
		return Decision{}, translate(err)
	}
	out, err := pgx.CollectExactlyOneRow(rows, scanDecision)
	if err != nil {
		return Decision{}, translate(err)
	}
	return out, tx.Audit(ctx, out.Province, "create", "decision", out.ID, nil, decisionSummary(out))
}

// CreateDecision stores a new decision and audits it.
func (s *Store) CreateDecision(ctx context.Context, p Principal, d Decision) (Decision, error) {
	var out Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		out, err = insertDecision(ctx, tx, d)
		return err
	})
	return out, err
}

// SupersedeDecision stores d as the correction of decision oldID and marks the old one superseded, both in
// one transaction; ErrSuperseded when the old one already has a successor.
func (s *Store) SupersedeDecision(ctx context.Context, p Principal, province, oldID string, d Decision) (Decision, error) {
	var out Decision
	err := s.InTx(ctx, p, func(tx *Tx) error {
		old, err := getDecision(ctx, tx, province, oldID, true)
		if err != nil {
			return err
		}
		if old.SupersededBy != nil {
			return ErrSuperseded
		}
		d.Supersedes = &old.ID
		if out, err = insertDecision(ctx, tx, d); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE decisions SET superseded_by = $3::uuid WHERE province_code = $1 AND id = $2::uuid`,
			province, old.ID, out.ID); err != nil {
			return translate(err)
		}
		after := old
		after.SupersededBy = &out.ID
		return tx.Audit(ctx, province, "update", "decision", old.ID, decisionSummary(old), decisionSummary(after))
	})
	return out, err
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
	Current     bool // only decisions not superseded
	BeforeAt    *time.Time
	BeforeID    string
	Limit       int
	WithResults bool // false: leave the large JSON columns out of the list
}

// ListDecisions returns one page of the province's decisions, newest first.
func (s *Store) ListDecisions(ctx context.Context, p Principal, province string, f DecisionFilter) ([]Decision, error) {
	where := []string{"province_code = $1"}
	args := []any{province}
	add := func(cond string, v ...any) {
		for range v {
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)+1), 1)
			args = append(args, v[0])
			v = v[1:]
		}
		where = append(where, cond)
	}
	if f.CadreID != "" {
		add("cadre_id::text = ?", f.CadreID)
	}
	if f.Policy != "" {
		add("policy = ?", f.Policy)
	}
	if f.Current {
		where = append(where, "superseded_by IS NULL")
	}
	if f.BeforeAt != nil {
		add("(created_at, id::text) < (?, ?)", *f.BeforeAt, f.BeforeID)
	}
	cols := decisionCols
	if !f.WithResults {
		cols = strings.NewReplacer("inputs,", `'{}'::jsonb,`, "request,", `'{}'::jsonb,`,
			"parameters,", `'[]'::jsonb,`, "result,", `'{}'::jsonb,`).Replace(cols)
	}
	args = append(args, f.Limit)
	sql := `SELECT ` + cols + ` FROM decisions WHERE ` + strings.Join(where, " AND ") +
		fmt.Sprintf(` ORDER BY created_at DESC, id::text DESC LIMIT $%d`, len(args))
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
