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
// catalogue allows (issue 11 item 3). One implementation of each rule: the records API calls these
// functions; an import runs postLifeCheck / postHoldersCheck, which word the same errors row by row.

// UnitLifeRule is the error of a post whose period does not lie within its unit's: it names both periods.
func UnitLifeRule(field, unitEN, unitVI string, postFrom time.Time, postTo *time.Time, unitFrom time.Time, unitTo *time.Time) *RuleError {
	return &RuleError{Field: field, Code: "outside_unit_life",
		MessageEN: fmt.Sprintf("the post's period %s lies outside the life of %s (%s): a post must start and end within its unit's period",
			PeriodText(postFrom, postTo), unitEN, PeriodText(unitFrom, unitTo)),
		MessageVI: fmt.Sprintf("thời gian giữ chức danh %s nằm ngoài thời gian tồn tại của %s (%s): chức danh phải bắt đầu và kết thúc trong thời gian tồn tại của đơn vị",
			periodVI(postFrom, postTo), unitVI, periodVI(unitFrom, unitTo))}
}

// checkPostInUnitLife refuses a post whose period is not within its unit's: the commune unit it names (by
// CommuneFrom, else the unit of that code in force on the post's first day) or its hamlet.
// The unit is locked as it is read, so that a reorganisation applying to it (which locks it FOR UPDATE
// first) is waited for and the unit is then read as the reorganisation left it: a commune-level unit FOR
// KEY SHARE (what the post's foreign key takes anyway), a hamlet FOR UPDATE, as lockHamlets takes it
// later for a paid post (a KEY SHARE first would deadlock two writers upgrading it).
func checkPostInUnitLife(ctx context.Context, tx *Tx, a Assignment) error {
	var (
		code, name string
		from       time.Time
		to         *time.Time
		unitEN     = "commune-level unit"
		unitVI     = "đơn vị cấp xã"
	)
	var err error
	if a.CommuneCode != nil {
		err = tx.QueryRow(ctx, `SELECT code, name, effective_from, effective_to FROM communes
			WHERE province_code = $1 AND code = $2 AND effective_from = coalesce($3::date, resolve_commune_from($1, $2, $4))
			FOR KEY SHARE`,
			a.Province, *a.CommuneCode, a.CommuneFrom, a.StartDate).Scan(&code, &name, &from, &to)
	} else if a.HamletCode != nil {
		unitEN, unitVI = "hamlet", "thôn, tổ dân phố"
		err = tx.QueryRow(ctx, `SELECT code, name, effective_from, effective_to FROM hamlets WHERE province_code = $1 AND code = $2 FOR UPDATE`,
			a.Province, *a.HamletCode).Scan(&code, &name, &from, &to)
	} else {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the foreign key reports an unknown unit on its field
	}
	if err != nil {
		return err
	}
	field := ""
	switch {
	case a.StartDate.Before(from) || (to != nil && a.StartDate.After(*to)):
		field = "start_date"
	case to != nil && (a.EndDate == nil || a.EndDate.After(*to)):
		field = "end_date"
	default:
		return nil
	}
	return UnitLifeRule(field, unitEN+" "+code+" "+name, unitVI+" "+code+" "+name, a.StartDate, a.EndDate, from, to)
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

// checkMaxHolders refuses a post that, on some day of its period, would be held by more people in its unit
// than positions.max_per_unit allows. The most holders at once is reached on the first day of some
// period, so only those days are counted (as for the 3-paid-posts rule).
func checkMaxHolders(ctx context.Context, tx *Tx, a Assignment, pos Position) error {
	var max *int
	if err := tx.QueryRow(ctx, `SELECT max_per_unit FROM positions WHERE code = $1`, pos.Code).Scan(&max); err != nil {
		return err
	}
	if max == nil {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT a.id::text, p.code, p.level, p.title_vi, p.title_en, p.elected_default, p.paid_hamlet_post,
		c.full_name, a.start_date, a.end_date
		FROM assignments a JOIN positions p ON p.code = a.position_code
		JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		WHERE a.province_code = $1 AND a.position_code = $2 AND a.id::text <> $3
		  AND ((a.hamlet_code = $4) OR (a.commune_code = $5 AND a.commune_from = coalesce($6::date, resolve_commune_from($1, $5, $7))))
		  AND daterange(a.start_date, a.end_date, '[]') && daterange($7::date, $8::date, '[]')
		ORDER BY a.start_date, a.id`, a.Province, a.PositionCode, a.ID, a.HamletCode, a.CommuneCode, a.CommuneFrom, a.StartDate, a.EndDate)
	if err != nil {
		return err
	}
	held, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (HeldPost, error) {
		var h HeldPost
		err := r.Scan(&h.AssignmentID, &h.Position.Code, &h.Position.Level, &h.Position.TitleVI, &h.Position.TitleEN,
			&h.Position.ElectedDefault, &h.Position.PaidHamletPost, &h.CadreName, &h.StartDate, &h.EndDate)
		return h, err
	})
	if err != nil {
		return err
	}
	unit := ""
	if a.HamletCode != nil {
		unit = *a.HamletCode
	} else if a.CommuneCode != nil {
		unit = *a.CommuneCode
	}
	for _, day := range candidateDays(a.StartDate, held) {
		if a.EndDate != nil && day.After(*a.EndDate) {
			continue
		}
		var names []string
		for _, h := range held {
			if !h.StartDate.After(day) && (h.EndDate == nil || !h.EndDate.Before(day)) {
				names = append(names, fmt.Sprintf("%s (%s)", h.CadreName, PeriodText(h.StartDate, h.EndDate)))
			}
		}
		if len(names) >= *max {
			return MaxHoldersRule(pos, *max, unit, day, names)
		}
	}
	return nil
}

// postLifeSQL finds the lines of an assignments import whose period lies outside their unit's life.
const postLifeSQL = `
		WITH u AS (
		  SELECT s.line, s.start_date, s.end_date, 'c' AS lvl, c.code, c.name, c.effective_from AS uf, c.effective_to AS ut
		  FROM import_stage s JOIN communes c ON c.province_code = $1 AND c.code = s.commune_code
		    AND c.effective_from = resolve_commune_from($1, s.commune_code, s.start_date)
		  WHERE s.commune_code IS NOT NULL
		  UNION ALL
		  SELECT s.line, s.start_date, s.end_date, 'h', h.code, h.name, h.effective_from, h.effective_to
		  FROM import_stage s JOIN hamlets h ON h.province_code = $1 AND h.code = s.hamlet_code
		  WHERE s.hamlet_code IS NOT NULL AND s.commune_code IS NULL)
		SELECT line, start_date, end_date, lvl, code, name, uf, ut FROM u
		WHERE start_date < uf OR (ut IS NOT NULL AND (start_date > ut OR end_date IS NULL OR end_date > ut))
		ORDER BY line`

// postRuleRows runs, in an assignments import's check phase, the two rules above over the file and the
// register, and words each broken one with UnitLifeRule / MaxHoldersRule, as the API does.
func postRuleRows(ctx context.Context, tx *Tx) ([]RowError, error) {
	var out []RowError
	rows, err := tx.Query(ctx, postLifeSQL, tx.P.Province)
	if err != nil {
		return nil, err
	}
	type lifeRow struct {
		Line             int
		Start            time.Time
		End              *time.Time
		Level, Code, Nam string
		From             time.Time
		To               *time.Time
	}
	life, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lifeRow])
	if err != nil {
		return nil, err
	}
	for _, l := range life {
		field := "end_date"
		if l.Start.Before(l.From) || (l.To != nil && l.Start.After(*l.To)) {
			field = "start_date"
		}
		unitEN, unitVI := "commune-level unit", "đơn vị cấp xã"
		if l.Level == "h" {
			unitEN, unitVI = "hamlet", "thôn, tổ dân phố"
		}
		e := UnitLifeRule(field, unitEN+" "+l.Code+" "+l.Nam, unitVI+" "+l.Code+" "+l.Nam, l.Start, l.End, l.From, l.To)
		out = append(out, RowError{Line: l.Line, Column: e.Field, Code: e.Code, MessageEN: e.MessageEN, MessageVI: e.MessageVI})
	}
	holders, err := postHolderRows(ctx, tx) // holders at once (import_holders.go)
	return append(out, holders...), err
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
