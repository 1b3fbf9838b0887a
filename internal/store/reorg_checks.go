package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// ReorgPostError is a post an apply would continue in a hamlet that cannot take it: Err is the error the
// records API gives for the same post (*RuleError: more holders than the catalogue allows;
// *AssignmentRuleError: more than MaxPaidHamletPosts paid posts). Nothing was written.
type ReorgPostError struct {
	AssignmentID string // the post as it was before the apply
	Err          error
}

func (e *ReorgPostError) Error() string {
	return "reorganisation: post " + e.AssignmentID + ": " + e.Err.Error()
}
func (e *ReorgPostError) Unwrap() error { return e.Err }

// checkReorgPosts runs, after writeReorg and in its transaction, the checks of POST …/assignments on every
// post the apply continued in a hamlet (checkHamletPosts and checkMaxHolders, on the rows as written, so
// every post moved by the same apply counts). The hamlets are already locked by lockReorg, in the order
// lockHamlets takes them. The planner refuses such answers first; this is the rule's one implementation
// having the last word.
func checkReorgPosts(ctx context.Context, tx *Tx, province string, splits []ReorgPostSplit) error {
	var ids, hamlets []string
	var starts []time.Time
	for _, s := range splits {
		if s.HamletCode != nil {
			ids, hamlets, starts = append(ids, s.AssignmentID), append(hamlets, *s.HamletCode), append(starts, s.NewStart)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT s.id::text, n.id::text, n.cadre_id::text, n.position_code, n.hamlet_code, n.start_date, n.end_date,
			p.level, p.title_vi, p.title_en, p.elected_default, p.paid_hamlet_post
		FROM unnest($2::uuid[], $3::text[], $4::date[]) AS s(id, h, st)
		JOIN assignments o ON o.province_code = $1 AND o.id = s.id
		JOIN assignments n ON n.province_code = $1 AND n.cadre_id = o.cadre_id AND n.position_code = o.position_code
		  AND n.hamlet_code = s.h AND n.start_date = s.st
		JOIN positions p ON p.code = n.position_code
		ORDER BY s.id`, province, ids, hamlets, starts)
	if err != nil {
		return err
	}
	type moved struct {
		old string
		a   Assignment
		pos Position
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (moved, error) {
		m := moved{a: Assignment{Province: province}}
		err := r.Scan(&m.old, &m.a.ID, &m.a.CadreID, &m.a.PositionCode, &m.a.HamletCode, &m.a.StartDate, &m.a.EndDate,
			&m.pos.Level, &m.pos.TitleVI, &m.pos.TitleEN, &m.pos.ElectedDefault, &m.pos.PaidHamletPost)
		m.pos.Code = m.a.PositionCode
		return m, err
	})
	if err != nil {
		return err
	}
	for _, m := range list {
		err := checkMaxHolders(ctx, tx, m.a)
		if err == nil && m.pos.PaidHamletPost {
			err = checkHamletPosts(ctx, tx, m.a, m.pos)
		}
		var re *RuleError
		var ae *AssignmentRuleError
		if errors.As(err, &re) || errors.As(err, &ae) {
			return &ReorgPostError{AssignmentID: m.old, Err: err}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
