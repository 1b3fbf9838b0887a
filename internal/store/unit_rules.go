package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/msg"
)

// Posts live inside their unit's life, and no more people hold a post in one unit at once than the
// catalogue allows (issue 11 item 3). Each rule's one statement (postLifeSQL, postHoldersSQL) runs for the
// records API and an import alike (post_rules.go); these word what it finds.

// UnitLifeRule is the error of a post whose period does not lie within its unit's: it names both periods.
func UnitLifeRule(field, unitEN, unitVI string, postFrom time.Time, postTo *time.Time, unitFrom time.Time, unitTo *time.Time) *RuleError {
	return &RuleError{Field: field, Code: "outside_unit_life",
		MessageEN: fmt.Sprintf("the post's period %s lies outside the life of %s (%s): a post must start and end within its unit's period",
			PeriodText(postFrom, postTo), unitEN, PeriodText(unitFrom, unitTo)),
		MessageVI: fmt.Sprintf("thời gian giữ chức danh %s nằm ngoài thời gian tồn tại của %s (%s): chức danh phải bắt đầu và kết thúc trong thời gian tồn tại của đơn vị",
			periodVI(postFrom, postTo), unitVI, periodVI(unitFrom, unitTo))}
}

// MaxHoldersRule is the error of a post that would have more holders at once in one unit than the
// catalogue allows (one Trưởng thôn per hamlet): it names who holds it and when.
func MaxHoldersRule(pos Position, max int, unit string, on time.Time, holders []string) *RuleError {
	return &RuleError{Field: "start_date", Code: "too_many_holders",
		MessageEN: fmt.Sprintf("%s may be held by at most %d person(s) at once in one unit; in %s on %s it is already held by %s",
			pos.TitleEN, max, unit, on.Format(time.DateOnly), strings.Join(holders, "; ")),
		MessageVI: fmt.Sprintf("chức danh %s chỉ được tối đa %d người giữ cùng lúc trong một đơn vị; tại %s vào ngày %s đã có %s giữ",
			pos.TitleVI, max, unit, on.Format(time.DateOnly), strings.Join(holders, "; "))}
}

// A hamlet lives inside its commune's life, as a post inside its unit's: one rule for POST/PATCH hamlets
// (checkHamletInCommuneLife) and the hamlets import (hamletLifeRows), worded by HamletLifeRule.

// HamletLifeRule is the error of a hamlet whose period does not lie within its commune-level unit's: it
// names both periods (catalogue code hamlet.outside_commune_life).
func HamletLifeRule(field, hamlet string, from time.Time, to *time.Time, commune string, unitFrom time.Time, unitTo *time.Time) *RuleError {
	m := msg.New("hamlet.outside_commune_life", hamlet, msg.Text{VI: periodVI(from, to), EN: PeriodText(from, to)},
		commune, msg.Text{VI: periodVI(unitFrom, unitTo), EN: PeriodText(unitFrom, unitTo)})
	return &RuleError{Field: field, Code: "outside_commune_life", MessageEN: m.Render(msg.EN), MessageVI: m.Render(msg.VI)}
}

// hamletLifeField names the field of a hamlet period [from, to] that leaves its commune's [uf, ut]: ""
// when it lies within.
func hamletLifeField(from time.Time, to *time.Time, uf time.Time, ut *time.Time) string {
	switch {
	case from.Before(uf) || (ut != nil && from.After(*ut)):
		return "effective_from"
	case ut != nil && (to == nil || to.After(*ut)):
		return "effective_to"
	}
	return ""
}

// checkHamletInCommuneLife refuses a hamlet (as written, its commune unit resolved) whose period is not
// within its commune-level unit's. The unit is read FOR KEY SHARE, as the post check reads it: a
// reorganisation applying to the commune (which locks it FOR UPDATE before reading its hamlets) is
// waited for, and the commune is then read as it left it, closed; a hamlet written first is seen and
// carried by the apply.
func checkHamletInCommuneLife(ctx context.Context, tx *Tx, h Hamlet) error {
	if h.CommuneFrom == nil {
		return nil
	}
	var (
		name string
		uf   time.Time
		ut   *time.Time
	)
	err := tx.QueryRow(ctx, `SELECT name, effective_to FROM communes
		WHERE province_code = $1 AND code = $2 AND effective_from = $3 FOR KEY SHARE`,
		h.Province, h.CommuneCode, *h.CommuneFrom).Scan(&name, &ut)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the foreign key reports an unknown commune on its field
	}
	if err != nil {
		return err
	}
	// Its life starts with the units it continues (a hamlet moved into a merged unit keeps its start).
	if err := tx.QueryRow(ctx, `SELECT commune_life_from($1, $2, $3)`, h.Province, h.CommuneCode, *h.CommuneFrom).Scan(&uf); err != nil {
		return err
	}
	field := hamletLifeField(h.EffectiveFrom, h.EffectiveTo, uf, ut)
	if field == "" {
		return nil
	}
	return HamletLifeRule(field, h.Code+" "+h.Name, h.EffectiveFrom, h.EffectiveTo, h.CommuneCode+" "+name, uf, ut)
}

// hamletLifeRows runs the rule over a hamlets import's file, set-wise: each row joins its commune unit
// (the one the hamlet keeps when its commune code is unchanged, else the unit in force on its first day)
// by equality, so the planner hashes the join; no scan of the register per row.
func hamletLifeRows(ctx context.Context, tx *Tx) ([]RowError, error) {
	rows, err := tx.Query(ctx, `
		WITH u AS (
		  SELECT s.line, s.code, s.name, s.effective_from, s.effective_to, s.commune_code,
		    CASE WHEN h.commune_code = s.commune_code THEN h.commune_from
		      ELSE resolve_commune_from($1, s.commune_code, s.effective_from) END AS commune_from
		  FROM import_stage s LEFT JOIN hamlets h ON h.province_code = $1 AND h.code = s.code
		  WHERE s.effective_from IS NOT NULL AND (h.code IS NULL OR h.commune_code IS DISTINCT FROM s.commune_code
		    OR h.effective_from IS DISTINCT FROM s.effective_from OR h.effective_to IS DISTINCT FROM s.effective_to)),
		v AS (
		SELECT u.line, u.code, coalesce(u.name, ''), u.effective_from, u.effective_to, c.code, c.name,
		  CASE WHEN u.effective_from < c.effective_from THEN commune_life_from($1, c.code, c.effective_from) ELSE c.effective_from END AS uf,
		  c.effective_to AS ut
		FROM u JOIN communes c ON c.province_code = $1 AND c.code = u.commune_code AND c.effective_from = u.commune_from)
		SELECT * FROM v WHERE effective_from < uf OR (ut IS NOT NULL AND (effective_from > ut OR effective_to IS NULL OR effective_to > ut))
		ORDER BY line`, tx.P.Province)
	if err != nil {
		return nil, err
	}
	type lifeRow struct {
		Line                int
		Code, Name          string
		From                time.Time
		To                  *time.Time
		Commune, CommuneNam string
		UnitFrom            time.Time
		UnitTo              *time.Time
	}
	bad, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lifeRow])
	if err != nil {
		return nil, err
	}
	out := make([]RowError, 0, len(bad))
	for _, b := range bad {
		e := HamletLifeRule(hamletLifeField(b.From, b.To, b.UnitFrom, b.UnitTo), b.Code+" "+b.Name, b.From, b.To,
			b.Commune+" "+b.CommuneNam, b.UnitFrom, b.UnitTo)
		out = append(out, RowError{Line: b.Line, Column: e.Field, Code: e.Code, MessageEN: e.MessageEN, MessageVI: e.MessageVI})
	}
	return out, nil
}
