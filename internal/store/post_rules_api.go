package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The records API's side of the rules of posts (post_rules.go): each runs the rule's one statement over
// the post it writes (onePostSource) and turns the hit, if any, into the API's error, reading what the
// error names with a follow-up query only then.

// checkPostInUnitLife refuses a post whose period is not within its unit's: the commune unit it names (by
// CommuneFrom, else the unit of that code in force on the post's first day) or its hamlet (postLifeSQL).
// The unit is locked first, so that a reorganisation applying to it (which locks it FOR UPDATE first) is
// waited for and the unit is then read as the reorganisation left it: a commune-level unit FOR KEY SHARE
// (what the post's foreign key takes anyway), a hamlet FOR UPDATE, as lockHamlets takes it later for a
// paid post (a KEY SHARE first would deadlock two writers upgrading it).
func checkPostInUnitLife(ctx context.Context, tx *Tx, a Assignment) error {
	var err error
	switch {
	case a.CommuneCode != nil:
		_, err = tx.Exec(ctx, `SELECT FROM communes WHERE province_code = $1 AND code = $2
			AND effective_from = coalesce($3::date, resolve_commune_from($1, $2, $4)) FOR KEY SHARE`,
			a.Province, *a.CommuneCode, a.CommuneFrom, a.StartDate)
	case a.HamletCode != nil:
		_, err = tx.Exec(ctx, `SELECT FROM hamlets WHERE province_code = $1 AND code = $2 FOR UPDATE`, a.Province, *a.HamletCode)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	sql, args := onePostSource(a).sql(postLifeSQL, a.Province)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	hits, err := pgx.CollectRows(rows, pgx.RowToStructByPos[postLifeRow])
	if err != nil || len(hits) == 0 {
		return err // no unit at all: the foreign key reports it on its field
	}
	return hits[0].rule()
}

// checkHamletPosts locks the hamlet (lockHamlets) and refuses a paid post that would be the 4th in force
// there on some day of its period (hamletPostsSQL; Decree 33/2023/NĐ-CP Art. 33 cl. 6).
func checkHamletPosts(ctx context.Context, tx *Tx, a Assignment, pos Position) error {
	locked, err := lockHamlets(ctx, tx, a.Province, []string{*a.HamletCode})
	if err != nil {
		return err
	}
	if len(locked) == 0 {
		return &ConstraintError{Kind: "reference", Constraint: "assignments_hamlet_fkey", Field: "hamlet_code", Err: pgx.ErrNoRows}
	}
	src := onePostSource(a)
	hits, err := hamletPostsHits(ctx, tx, src, a.Province)
	if err != nil || len(hits) == 0 {
		return err
	}
	held, err := hamletPostsInForce(ctx, tx, src, a.Province, hits)
	if err != nil {
		return err
	}
	h := held[hits[0].Line]
	return &AssignmentRuleError{Rule: RuleHamletPosts, Field: "hamlet_code", Position: pos, Hamlet: h.Hamlet, On: hits[0].Day,
		InForce: h.InForce, Words: HamletPostsRule(h.Hamlet, hits[0].Day, h.InForce)}
}

// checkMaxHolders refuses a post that, on some day of its period, would be held by more people in its unit
// than positions.max_per_unit allows (postHoldersSQL).
func checkMaxHolders(ctx context.Context, tx *Tx, a Assignment) error {
	hits, err := maxHolderHits(ctx, tx, onePostSource(a), a.Province)
	if err != nil || len(hits) == 0 {
		return err
	}
	return hits[0].rule()
}

// checkOverlap refuses a post the person already holds over an overlapping period (overlapSQL).
func checkOverlap(ctx context.Context, tx *Tx, a Assignment, pos Position) error {
	hits, err := overlapHits(ctx, tx, onePostSource(a), a.Province)
	if err != nil || len(hits) == 0 {
		return err
	}
	h := hits[0]
	return &AssignmentRuleError{Rule: RuleOverlap, Field: "start_date", Position: pos,
		Overlaps: &Assignment{Province: a.Province, CadreID: a.CadreID, PositionCode: a.PositionCode, StartDate: h.OtherStart, EndDate: h.OtherEnd},
		Words:    OverlapRule(pos, h.OtherStart, h.OtherEnd, h.Other)}
}

// hamletPostsHit is a hit of hamletPostsSQL.
type hamletPostsHit struct {
	Line   int
	Hamlet string
	Day    time.Time
}

// hamletPostsHits runs hamletPostsSQL over src.
func hamletPostsHits(ctx context.Context, tx *Tx, src postSource, province string) ([]hamletPostsHit, error) {
	sql, args := src.sql(hamletPostsSQL, province)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[hamletPostsHit])
}

// hamletInForce is what a hamletPostsSQL hit is worded with: the hamlet and the posts in force that day.
type hamletInForce struct {
	Hamlet  UnitRef
	InForce []HeldPost
}

// hamletPostsInForce reads, for hits of hamletPostsSQL over src, the hamlet and its other paid posts in
// force on the hit's day, by line (hamletPostsInForceSQL).
func hamletPostsInForce(ctx context.Context, tx *Tx, src postSource, province string, hits []hamletPostsHit) (map[int]hamletInForce, error) {
	lines, hamlets, days := make([]int, len(hits)), make([]string, len(hits)), make([]time.Time, len(hits))
	for i, h := range hits {
		lines[i], hamlets[i], days[i] = h.Line, h.Hamlet, h.Day
	}
	sql, args := src.sql(hamletPostsInForceSQL, province, lines, hamlets, days)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := map[int]hamletInForce{}
	var line int
	var day time.Time
	var u UnitRef
	var h HeldPost
	_, err = pgx.ForEachRow(rows, []any{&line, &day, &u.Code, &u.Name, &u.EffectiveFrom, &u.EffectiveTo, &h.AssignmentID,
		&h.Position.Code, &h.Position.Level, &h.Position.TitleVI, &h.Position.TitleEN, &h.Position.ElectedDefault,
		&h.Position.PaidHamletPost, &h.CadreName, &h.StartDate, &h.EndDate}, func() error {
		f := out[line]
		f.Hamlet = u
		f.InForce = append(f.InForce, h)
		out[line] = f
		return nil
	})
	return out, err
}
