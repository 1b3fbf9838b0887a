package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The life rules seen from the unit's side (issue 11 item 3): when a unit's own dates change — a PATCH
// of a commune-level unit or a hamlet, an import row that changes its period, a reorganisation closing
// it — its hamlets and posts must still lie within its life. The conditions and wording are those of
// HamletLifeRule / UnitLifeRule (a hamlet within its commune's life, which starts with the units it
// continues; a post within its unit's own period); the error is on the unit's date that leaves them
// out and names the hamlet or post and both periods.
//
// Locks: the caller holds the unit FOR UPDATE before the children are read (the API's update reads it
// so; an import and a reorganisation lock the units they change), and every writer of a hamlet or post
// takes the unit FOR KEY SHARE (a commune) or FOR UPDATE (a hamlet) first, so a child written
// concurrently is either waited for and seen here, or waits and is checked against the new dates.

// lifeUnit is a unit whose period a write sets: Key is what the caller reports on (an import's line),
// Code and From the unit's key as its hamlets and posts reference it, [From, To] its period, and
// [OldFrom, OldTo] its period before the write: only a child the change puts outside is refused (a hamlet
// or post recorded outside before the rules does not block the unit's other changes).
type lifeUnit struct {
	Key        int
	Code, Name string
	From       time.Time
	To         *time.Time
	OldFrom    time.Time
	OldTo      *time.Time
}

// lifeChild is a hamlet or a post lying outside its unit's life.
type lifeChild struct {
	Key      int
	ID       string // the hamlet's code; the post's id
	Kind     string // "hamlet" or "post"
	Name     string // the hamlet's code and name; the post's title (Vietnamese)
	TitleEN  string // the post's title (English)
	Holder   string // the post's holder
	From     time.Time
	To       *time.Time
	Unit     string // the unit's code and name
	LifeFrom time.Time
	LifeTo   *time.Time
}

// communeChildrenSQL / hamletChildrenSQL select, for the units $2…$6, the hamlets and posts outside
// [life from, To].
// A commune's hamlets may start with the units it continues (commune_life_from); its posts and a hamlet's
// posts lie within the unit's own period.
const communeChildrenSQL = `
	WITH u AS (SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::date[], $6::date[], $7::date[], $8::date[])
	  AS u(k, code, name, uf, ut, of, ot)),
	ch AS (
	  SELECT u.k, h.code AS id, 'hamlet' AS kind, h.code || ' ' || h.name AS name, '' AS title_en, '' AS holder, h.effective_from AS f, h.effective_to AS t,
	    u.code || ' ' || u.name AS unit, CASE WHEN h.effective_from < u.uf THEN commune_life_from($1, u.code, u.uf) ELSE u.uf END AS lf, u.ut,
	    CASE WHEN h.effective_from < u.of THEN commune_life_from($1, u.code, u.of) ELSE u.of END AS olf, u.ot
	  FROM u JOIN hamlets h ON h.province_code = $1 AND h.commune_code = u.code AND h.commune_from = u.uf
	  UNION ALL
	  SELECT u.k, a.id::text, 'post', p.title_vi, p.title_en, c.full_name, a.start_date, a.end_date, u.code || ' ' || u.name, u.uf, u.ut, u.of, u.ot
	  FROM u JOIN assignments a ON a.province_code = $1 AND a.commune_code = u.code AND a.commune_from = u.uf
	  JOIN positions p ON p.code = a.position_code JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id)
	SELECT k, id, kind, name, title_en, holder, f, t, unit, lf, ut FROM ch
	WHERE (f < lf OR (ut IS NOT NULL AND (f > ut OR t IS NULL OR t > ut)))
	  AND NOT (f < olf OR (ot IS NOT NULL AND (f > ot OR t IS NULL OR t > ot)))
	ORDER BY k, kind, f, name`

const hamletChildrenSQL = `
	WITH u AS (SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::date[], $6::date[], $7::date[], $8::date[])
	  AS u(k, code, name, uf, ut, of, ot)),
	ch AS (
	  SELECT u.k, a.id::text AS id, 'post' AS kind, p.title_vi AS name, p.title_en, c.full_name AS holder, a.start_date AS f, a.end_date AS t,
	    u.code || ' ' || u.name AS unit, u.uf AS lf, u.ut, u.of AS olf, u.ot
	  FROM u JOIN assignments a ON a.province_code = $1 AND a.hamlet_code = u.code
	  JOIN positions p ON p.code = a.position_code JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id)
	SELECT k, id, kind, name, title_en, holder, f, t, unit, lf, ut FROM ch
	WHERE (f < lf OR (ut IS NOT NULL AND (f > ut OR t IS NULL OR t > ut)))
	  AND NOT (f < olf OR (ot IS NOT NULL AND (f > ot OR t IS NULL OR t > ot)))
	ORDER BY k, kind, f, name`

// childrenOutside returns the hamlets and posts of units (of level "commune" or "hamlet") that lie
// outside the units' periods, in one set-based query for all of them.
func childrenOutside(ctx context.Context, tx *Tx, level string, units []lifeUnit) ([]lifeChild, error) {
	if len(units) == 0 {
		return nil, nil
	}
	n := len(units)
	keys, codes, names, froms, tos := make([]int32, n), make([]string, n), make([]string, n), make([]time.Time, n), make([]*time.Time, n)
	oldFroms, oldTos := make([]time.Time, n), make([]*time.Time, n)
	for i, u := range units {
		keys[i], codes[i], names[i], froms[i], tos[i] = int32(u.Key), u.Code, u.Name, u.From, u.To
		oldFroms[i], oldTos[i] = u.OldFrom, u.OldTo
	}
	sql := communeChildrenSQL
	if level == "hamlet" {
		sql = hamletChildrenSQL
	}
	rows, err := tx.Query(ctx, sql, tx.P.Province, keys, codes, names, froms, tos, oldFroms, oldTos)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (lifeChild, error) {
		var c lifeChild
		err := r.Scan(&c.Key, &c.ID, &c.Kind, &c.Name, &c.TitleEN, &c.Holder, &c.From, &c.To, &c.Unit, &c.LifeFrom, &c.LifeTo)
		return c, err
	})
}

// unitSideField names the unit's date that leaves a child [from, to] out of its life [lf, lt].
func unitSideField(from time.Time, lf time.Time) string {
	if from.Before(lf) {
		return "effective_from"
	}
	return "effective_to"
}

// rule words a child outside its unit's life with the rule it breaks, on the unit's date.
func (c lifeChild) rule(level string) *RuleError {
	field := unitSideField(c.From, c.LifeFrom)
	if c.Kind == "hamlet" {
		return HamletLifeRule(field, c.Name, c.From, c.To, c.Unit, c.LifeFrom, c.LifeTo)
	}
	unitEN, unitVI := "commune-level unit", "đơn vị cấp xã"
	if level == "hamlet" {
		unitEN, unitVI = "hamlet", "thôn, tổ dân phố"
	}
	e := UnitLifeRule(field, unitEN+" "+c.Unit, unitVI+" "+c.Unit, c.From, c.To, c.LifeFrom, c.LifeTo)
	e.MessageEN = fmt.Sprintf("%s held by %s: %s", c.TitleEN, c.Holder, e.MessageEN)
	e.MessageVI = fmt.Sprintf("%s do %s giữ: %s", c.Name, c.Holder, e.MessageVI)
	return e
}

// checkUnitChildren refuses a write that leaves a hamlet or post of unit u (its dates as written) outside
// its life: the first one found, as the API reports one error per rule.
func checkUnitChildren(ctx context.Context, tx *Tx, level string, u lifeUnit) error {
	out, err := childrenOutside(ctx, tx, level, []lifeUnit{u})
	if err != nil || len(out) == 0 {
		return err
	}
	return out[0].rule(level)
}

// periodChanged reports whether a write moves a unit's first or last day.
func periodChanged(from time.Time, to *time.Time, newFrom time.Time, newTo *time.Time) bool {
	return !from.Equal(newFrom) || !sameDate(to, newTo)
}

// stagedPeriodsSQL locks (FOR UPDATE, in key order) and returns the recorded units an import's file gives
// another period: the file's line, the unit's key and name, and its period as the file writes it.
var stagedPeriodsSQL = map[string]string{
	"commune": `SELECT s.line, c.code, coalesce(s.name, c.name), c.effective_from, s.effective_to, c.effective_from, c.effective_to
		FROM communes c JOIN import_stage s ON s.code = c.code AND s.effective_from = c.effective_from
		WHERE c.province_code = $1 AND s.effective_to IS DISTINCT FROM c.effective_to
		ORDER BY c.code, c.effective_from FOR UPDATE OF c`,
	"hamlet": `SELECT s.line, h.code, coalesce(s.name, h.name), s.effective_from, s.effective_to, h.effective_from, h.effective_to
		FROM hamlets h JOIN import_stage s ON s.code = h.code
		WHERE h.province_code = $1 AND s.effective_from IS NOT NULL
		  AND (s.effective_from <> h.effective_from OR s.effective_to IS DISTINCT FROM h.effective_to)
		ORDER BY h.code FOR UPDATE OF h`,
}

// unitChildrenRows runs the rule over an import's file of units (level "commune" or "hamlet"): each row
// that gives a recorded unit another period is refused on its line, on the unit's date, when a hamlet or
// post of the unit would lie outside it.
func unitChildrenRows(ctx context.Context, tx *Tx, level string) ([]RowError, error) {
	rows, err := tx.Query(ctx, stagedPeriodsSQL[level], tx.P.Province)
	if err != nil {
		return nil, err
	}
	units, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lifeUnit])
	if err != nil {
		return nil, err
	}
	bad, err := childrenOutside(ctx, tx, level, units)
	if err != nil {
		return nil, err
	}
	out := make([]RowError, 0, len(bad))
	for i, b := range bad {
		if i > 0 && bad[i-1].Key == b.Key {
			continue // one error per line and rule
		}
		e := b.rule(level)
		out = append(out, RowError{Line: b.Key, Column: e.Field, Code: e.Code, MessageEN: e.MessageEN, MessageVI: e.MessageVI})
	}
	return out, nil
}
