package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// postRuleRows runs, in an assignments import's check phase, the four rules of posts (post_rules.go) over
// the file and the register, and words each broken one as the records API does. The hamlets of the file's
// paid posts are locked already (preparePosts: lockStagedHamlets).
func postRuleRows(ctx context.Context, tx *Tx) ([]RowError, error) {
	var out []RowError
	add := func(line int, e *RuleError) {
		out = append(out, RowError{Line: line, Column: e.Field, Code: e.Code, MessageEN: e.MessageEN, MessageVI: e.MessageVI})
	}
	src, province := importPostSource, tx.P.Province
	sql, args := src.sql(postLifeSQL, province)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	life, err := pgx.CollectRows(rows, pgx.RowToStructByPos[postLifeRow])
	if err != nil {
		return nil, err
	}
	for _, l := range life {
		add(l.Line, l.rule())
	}
	overlaps, err := overlapHits(ctx, tx, src, province)
	if err != nil {
		return nil, err
	}
	for _, h := range overlaps {
		add(h.Line, OverlapRule(h.Position, h.OtherStart, h.OtherEnd, h.Other))
	}
	if err := hamletPostRows(ctx, tx, src, province, add); err != nil {
		return nil, err
	}
	holders, err := maxHolderHits(ctx, tx, src, province)
	for _, h := range holders {
		add(h.Line, h.rule())
	}
	return out, err
}

// hamletPostRows words the hits of hamletPostsSQL over src with HamletPostsRule.
func hamletPostRows(ctx context.Context, tx *Tx, src postSource, province string, add func(int, *RuleError)) error {
	hits, err := hamletPostsHits(ctx, tx, src, province)
	if err != nil || len(hits) == 0 {
		return err
	}
	held, err := hamletPostsInForce(ctx, tx, src, province, hits)
	for _, h := range hits {
		add(h.Line, HamletPostsRule(held[h.Line].Hamlet, h.Day, held[h.Line].InForce))
	}
	return err
}

// overlapHit is a hit of overlapSQL with the period it overlaps: its first and last day and its line
// (0: held).
type overlapHit struct {
	Line       int
	Position   Position
	Other      int
	OtherStart time.Time
	OtherEnd   *time.Time
}

// overlapHits runs overlapSQL over src and, when it finds something, overlapOtherSQL for what the errors
// name.
func overlapHits(ctx context.Context, tx *Tx, src postSource, province string) ([]overlapHit, error) {
	sql, args := src.sql(overlapSQL, province)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	type raw struct {
		Line     int
		Cadre    string
		Position string
		Other    int
		Start    *time.Time
		End      time.Time
	}
	hits, err := pgx.CollectRows(rows, pgx.RowToStructByPos[raw])
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	n := len(hits)
	lines, others, cadres, posts, ends := make([]int, n), make([]int, n), make([]string, n), make([]string, n), make([]time.Time, n)
	for i, h := range hits {
		lines[i], others[i], cadres[i], posts[i], ends[i] = h.Line, h.Other, h.Cadre, h.Position, h.End
	}
	sql, args = src.sql(overlapOtherSQL, province, lines, others, cadres, posts, ends)
	rows, err = tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	byLine := make(map[int]raw, n)
	for _, h := range hits {
		byLine[h.Line] = h
	}
	out := make([]overlapHit, 0, n)
	var line int
	var pos Position
	var start *time.Time
	_, err = pgx.ForEachRow(rows, []any{&line, &pos.Code, &pos.TitleVI, &pos.TitleEN, &start}, func() error {
		h := byLine[line]
		o := overlapHit{Line: line, Position: pos, Other: h.Other}
		if h.Start != nil {
			o.OtherStart = *h.Start
		} else if start != nil {
			o.OtherStart = *start
		}
		if end := h.End; !end.Equal(openEnd) {
			o.OtherEnd = &end
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// openEnd is the last day overlapSQL gives a period in force.
var openEnd = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// maxHolderHit is a hit of postHoldersSQL.
type maxHolderHit struct {
	Line                   int
	Code, TitleVI, TitleEN string
	Max                    int
	Unit                   string
	Day                    time.Time
	Names                  []string
}

// rule words the hit with MaxHoldersRule.
func (h maxHolderHit) rule() *RuleError {
	return MaxHoldersRule(Position{Code: h.Code, TitleVI: h.TitleVI, TitleEN: h.TitleEN}, h.Max, h.Unit, h.Day, h.Names)
}

// maxHolderHits runs postHoldersSQL over src.
func maxHolderHits(ctx context.Context, tx *Tx, src postSource, province string) ([]maxHolderHit, error) {
	sql, args := src.sql(postHoldersSQL, province)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[maxHolderHit])
}
