package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// ReorgLifeError is a reorganisation that would leave a hamlet or a post of a unit it closes outside that
// unit's life: one starting on or after the effective date, which the plan neither moves nor ends. Unit
// is the closed unit's (or hamlet's) code, Err the rule as the records API words it. Nothing was written.
type ReorgLifeError struct {
	Unit string
	Err  *RuleError
}

func (e *ReorgLifeError) Error() string {
	return "reorganisation: unit " + e.Unit + ": " + e.Err.Error()
}
func (e *ReorgLifeError) Unwrap() error { return e.Err }

// reorgClosedSQL reads the units an apply closes with the last day it gives them ($3…): the same for the
// apply (after its writes, where the rows say so too) and the preview (which writes nothing).
var reorgClosedSQL = map[string]string{
	"commune": `SELECT 0, c.code, c.name, c.effective_from, s.t, c.effective_from, NULL::date
		FROM communes c JOIN unnest($2::text[], $3::date[], $4::date[]) AS s(code, f, t) ON c.code = s.code AND c.effective_from = s.f
		WHERE c.province_code = $1 ORDER BY c.code`,
	"hamlet": `SELECT 0, h.code, h.name, h.effective_from, s.t, h.effective_from, NULL::date
		FROM hamlets h JOIN unnest($2::text[], $3::date[], $4::date[]) AS s(code, f, t) ON h.code = s.code
		WHERE h.province_code = $1 ORDER BY h.code`,
}

// checkReorgChildren refuses a reorganisation that would leave a hamlet or post of a unit it closes
// outside that unit's life, naming it and both periods on the effective date (*ReorgLifeError, the first
// one found). The apply runs it on the rows as it wrote them (planned, nil: nothing is skipped); the
// preview runs it before any write, skipping the hamlets and posts the plan read, since the plan moves,
// ends or asks about each of them (an apply refuses open questions before this check): the two see the
// same refusals. lockReorg holds the units, their hamlets and posts during an apply.
func checkReorgChildren(ctx context.Context, tx *Tx, a ReorgActions, planned map[string]bool) error {
	for _, l := range []struct {
		level  string
		closed []ReorgClose
	}{{"commune", a.CloseUnits}, {"hamlet", a.CloseHamlets}} {
		if len(l.closed) == 0 {
			continue
		}
		n := len(l.closed)
		codes, froms, tos := make([]string, n), make([]time.Time, n), make([]time.Time, n)
		for i, c := range l.closed {
			codes[i], froms[i], tos[i] = c.Code, c.From, c.To
		}
		rows, err := tx.Query(ctx, reorgClosedSQL[l.level], tx.P.Province, codes, froms, tos)
		if err != nil {
			return err
		}
		units, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lifeUnit])
		if err != nil {
			return err
		}
		for i := range units {
			units[i].Key = i
		}
		bad, err := childrenOutside(ctx, tx, l.level, units)
		if err != nil {
			return err
		}
		for _, b := range bad {
			if planned[b.Kind+":"+b.ID] {
				continue
			}
			e := b.rule(l.level)
			e.Field = "effective_date"
			return &ReorgLifeError{Unit: units[b.Key].Code, Err: e}
		}
	}
	return nil
}

// plannedChildren are the hamlets and posts a plan read from d ("hamlet:CODE", "post:ID"): it moves, ends
// or asks about each of them.
func plannedChildren(d ReorgData) map[string]bool {
	out := make(map[string]bool, len(d.Hamlets)+len(d.Posts))
	for _, h := range d.Hamlets {
		out["hamlet:"+h.Code] = true
	}
	for _, p := range d.Posts {
		out["post:"+p.AssignmentID] = true
	}
	return out
}
