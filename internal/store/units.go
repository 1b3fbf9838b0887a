package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// A commune-level unit is its code AND its period (docs/time.md): both maps of 2025 live side by side in
// one province's register, so a code alone names a unit only together with a date.

// UnitSel picks one unit of a code. From names the unit by its period start (exact, never ambiguous);
// otherwise AsOf picks the unit in force on that date (none: ErrNotFound); with neither, the unit in force
// today, or failing that the latest unit of the code (a closed unit stays addressable by its code alone
// until its code is reused).
type UnitSel struct {
	From *time.Time
	AsOf *time.Time
}

// UnitKey is a unit's identity: its code and the first day of its period. Written code@YYYY-MM-DD.
type UnitKey struct {
	Code string
	From time.Time
}

func (k UnitKey) String() string { return k.Code + "@" + k.From.Format(time.DateOnly) }

// ParseUnitRef splits "06661@2025-07-01" into the code and the period start; a plain code has no start.
func ParseUnitRef(ref string) (code string, from *time.Time, err error) {
	code, date, ok := strings.Cut(ref, "@")
	if !ok {
		return ref, nil, nil
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return code, nil, err
	}
	return code, &d, nil
}

// ErrBadUnitRef is a unit reference whose part after @ is not a date.
var ErrBadUnitRef = errors.New("unit reference: the part after @ must be a date YYYY-MM-DD")

// unitFromSQL is resolve_commune_from(p, c, d) (migration 0019) written out as a subquery, the same ORDER
// BY and LIMIT over alias r. PostgreSQL cannot inline that SQL function (ORDER BY … LIMIT), so a query that
// calls it plans the function's body again at every execution: under `make load` GET …/communes/{code}
// spent ~0.75 ms of database time per request on it. A subquery is planned once with its statement and
// kept in the prepared statement's plan. Its arguments are SQL expressions (parameters or columns).
func unitFromSQL(p, c, d string) string {
	return `(SELECT r.effective_from FROM communes r WHERE r.province_code = ` + p + ` AND r.code = ` + c + `
	  ORDER BY (r.effective_from <= ` + d + ` AND (r.effective_to IS NULL OR r.effective_to >= ` + d + `)) DESC,
	    (r.effective_from <= ` + d + `) DESC, CASE WHEN r.effective_from <= ` + d + ` THEN r.effective_from END DESC NULLS LAST,
	    r.effective_from
	  LIMIT 1)`
}

// resolveCommuneFrom returns the effective_from of the unit of code that sel picks.
func resolveCommuneFrom(ctx context.Context, tx *Tx, province, code string, sel UnitSel, today time.Time) (time.Time, error) {
	if sel.From != nil {
		return *sel.From, nil
	}
	var from *time.Time
	var err error
	if sel.AsOf != nil {
		err = tx.QueryRow(ctx, `SELECT effective_from FROM communes WHERE province_code = $1 AND code = $2
			AND effective_from <= $3 AND (effective_to IS NULL OR effective_to >= $3)`, province, code, *sel.AsOf).Scan(&from)
	} else {
		err = tx.QueryRow(ctx, `SELECT `+unitFromSQL("$1", "$2", "$3::date"), province, code, today).Scan(&from)
	}
	if err != nil {
		return time.Time{}, translate(err)
	}
	if from == nil {
		return time.Time{}, ErrNotFound
	}
	return *from, nil
}

// CommuneUnitsOfCode lists every unit of one code in the province (both maps), oldest first.
func (s *Store) CommuneUnitsOfCode(ctx context.Context, p Principal, province, code string) ([]Commune, error) {
	var out []Commune
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+communeCols+` FROM communes WHERE province_code = $1 AND code = $2
			ORDER BY effective_from`, province, code)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanCommune)
		return err
	})
	return out, err
}

// LineageLink is one edge of the lineage: the old unit became (all or part of) the new one.
type LineageLink struct {
	From     UnitKey
	To       UnitKey
	Coverage string // full | partial
}

// MaxSuccessors is how many successors one unit may split into.
const MaxSuccessors = 5

// InsertLineage records links inside tx (idempotent: a link already recorded is left as it is, its
// coverage updated). The database refuses a unit with more than MaxSuccessors successors at commit.
func InsertLineage(ctx context.Context, tx *Tx, province string, links []LineageLink) (inserted int, err error) {
	if len(links) == 0 {
		return 0, nil
	}
	n := len(links)
	fc, ff, tc, tf, cov := make([]string, n), make([]time.Time, n), make([]string, n), make([]time.Time, n), make([]string, n)
	for i, l := range links {
		fc[i], ff[i], tc[i], tf[i], cov[i] = l.From.Code, l.From.From, l.To.Code, l.To.From, l.Coverage
	}
	tag, err := tx.Exec(ctx, `INSERT INTO commune_lineage (province_code, from_code, from_effective, to_code, to_effective, coverage)
		SELECT $1, * FROM unnest($2::text[], $3::date[], $4::text[], $5::date[], $6::text[])
		ON CONFLICT (province_code, from_code, from_effective, to_code, to_effective)
		DO UPDATE SET coverage = EXCLUDED.coverage WHERE commune_lineage.coverage <> EXCLUDED.coverage`,
		province, fc, ff, tc, tf, cov)
	if err != nil {
		return 0, translate(err)
	}
	return int(tag.RowsAffected()), nil
}

// LineageRef is a unit at the other end of a lineage link.
type LineageRef struct {
	UnitRef
	Coverage string
}

// communeLineage returns the units a unit became (successors) and the units that became it
// (predecessors), from commune_lineage and, for earlier records, successor_code.
func communeLineage(ctx context.Context, tx *Tx, province string, k UnitKey) (successors, preds []LineageRef, err error) {
	scan := func(r pgx.CollectableRow) (LineageRef, error) {
		var l LineageRef
		err := r.Scan(&l.Code, &l.Name, &l.EffectiveFrom, &l.EffectiveTo, &l.Coverage)
		return l, err
	}
	// Both directions in one round trip (a pipelined batch).
	var b pgx.Batch
	b.Queue(`
		SELECT c.code, c.name, c.effective_from, c.effective_to, l.coverage FROM commune_lineage l
		JOIN communes c ON c.province_code = l.province_code AND c.code = l.to_code AND c.effective_from = l.to_effective
		WHERE l.province_code = $1 AND l.from_code = $2 AND l.from_effective = $3
		UNION
		SELECT c.code, c.name, c.effective_from, c.effective_to, 'full' FROM communes o
		JOIN communes c ON c.province_code = o.province_code AND c.code = o.successor_code
		  AND c.effective_from = `+unitFromSQL("o.province_code", "o.successor_code", "(o.effective_to + 1)")+`
		WHERE o.province_code = $1 AND o.code = $2 AND o.effective_from = $3
		  AND NOT EXISTS (SELECT 1 FROM commune_lineage l WHERE l.province_code = $1 AND l.from_code = $2 AND l.from_effective = $3)
		ORDER BY 1, 3`, province, k.Code, k.From).Query(func(rows pgx.Rows) (err error) {
		successors, err = pgx.CollectRows(rows, scan)
		return err
	})
	b.Queue(`
		SELECT c.code, c.name, c.effective_from, c.effective_to, l.coverage FROM commune_lineage l
		JOIN communes c ON c.province_code = l.province_code AND c.code = l.from_code AND c.effective_from = l.from_effective
		WHERE l.province_code = $1 AND l.to_code = $2 AND l.to_effective = $3
		UNION
		SELECT o.code, o.name, o.effective_from, o.effective_to, 'full' FROM communes o
		WHERE o.province_code = $1 AND o.successor_code = $2
		  AND `+unitFromSQL("o.province_code", "o.successor_code", "(o.effective_to + 1)")+` = $3
		  AND NOT EXISTS (SELECT 1 FROM commune_lineage l WHERE l.province_code = $1 AND l.from_code = o.code
		    AND l.from_effective = o.effective_from)
		ORDER BY 1, 3`, province, k.Code, k.From).Query(func(rows pgx.Rows) (err error) {
		preds, err = pgx.CollectRows(rows, scan)
		return err
	})
	if err = tx.SendBatch(ctx, &b).Close(); err != nil {
		return nil, nil, err
	}
	return successors, preds, nil
}

// PeriodText writes a period for people: 2025-03-01..2025-06-30, or 2025-07-01.. when open.
func PeriodText(from time.Time, to *time.Time) string {
	if to == nil {
		return from.Format(time.DateOnly) + ".."
	}
	return from.Format(time.DateOnly) + ".." + to.Format(time.DateOnly)
}

func periodVI(from time.Time, to *time.Time) string {
	if to == nil {
		return "từ " + from.Format(time.DateOnly)
	}
	return fmt.Sprintf("%s đến %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
}

// communeOverlapCheck is the import's side of the rule the exclusion constraint communes_no_overlap holds:
// a row whose period overlaps a recorded unit of the same code that starts on another day is neither that
// unit nor another one. The message names the unit and both periods (the API's CommuneOverlapRule says the
// same).
const communeOverlapCheck = `SELECT s.line, 'effective_from', 'period_overlap',
	'the period ' || s.effective_from || '..' || coalesce(s.effective_to::text, '') || ' overlaps the recorded unit ' || c.code || ' '
	  || c.name || ' (' || c.effective_from || '..' || coalesce(c.effective_to::text, '') || '): a unit of the same code with another '
	  || 'period is another unit and must not overlap it; to update that unit give its first day ' || c.effective_from,
	'thời gian ' || s.effective_from || '..' || coalesce(s.effective_to::text, '') || ' trùng với đơn vị đã có ' || c.code || ' '
	  || c.name || ' (' || c.effective_from || '..' || coalesce(c.effective_to::text, '') || '): đơn vị cùng mã nhưng khác thời gian '
	  || 'là đơn vị khác và không được trùng thời gian; để cập nhật đơn vị đó hãy ghi ngày bắt đầu ' || c.effective_from
	FROM import_stage s JOIN communes c ON c.province_code = $1 AND c.code = s.code AND c.effective_from <> s.effective_from
	  AND daterange(c.effective_from, c.effective_to, '[]') && daterange(s.effective_from, s.effective_to, '[]')
	ORDER BY s.line`

// communeFileOverlapCheck refuses two rows of one file for one code whose periods overlap.
const communeFileOverlapCheck = `SELECT s.line, 'effective_from', 'period_overlap',
	'the period of this unit overlaps the period of the same code on line ' || min(s2.line),
	'thời gian của đơn vị này trùng với thời gian của cùng mã ở dòng ' || min(s2.line)
	FROM import_stage s JOIN import_stage s2 ON s2.code = s.code AND s2.line < s.line AND s2.effective_from <> s.effective_from
	  AND daterange(s2.effective_from, s2.effective_to, '[]') && daterange(s.effective_from, s.effective_to, '[]')
	GROUP BY s.line ORDER BY s.line`

// CommuneOverlapRule is the API's side of communeOverlapCheck: the unit being written overlaps other,
// a recorded unit of the same code that starts on another day.
func CommuneOverlapRule(c, other Commune) *RuleError {
	return &RuleError{Field: "effective_from", Code: "period_overlap",
		MessageEN: fmt.Sprintf("the period %s overlaps the recorded unit %s %s (%s): a unit of the same code with another period is another unit and must not overlap it; to update that unit give its first day %s",
			PeriodText(c.EffectiveFrom, c.EffectiveTo), other.Code, other.Name, PeriodText(other.EffectiveFrom, other.EffectiveTo),
			other.EffectiveFrom.Format(time.DateOnly)),
		MessageVI: fmt.Sprintf("thời gian %s trùng với đơn vị đã có %s %s (%s): đơn vị cùng mã nhưng khác thời gian là đơn vị khác và không được trùng thời gian; để cập nhật đơn vị đó hãy ghi ngày bắt đầu %s",
			PeriodText(c.EffectiveFrom, c.EffectiveTo), other.Code, other.Name, PeriodText(other.EffectiveFrom, other.EffectiveTo),
			other.EffectiveFrom.Format(time.DateOnly))}
}

// communeOverlap returns the recorded unit of c's code, other than c's own (same first day, or self when
// updating: self), whose period overlaps c's; ok false when none does.
func communeOverlap(ctx context.Context, tx *Tx, c Commune, self *time.Time) (Commune, bool, error) {
	rows, err := tx.Query(ctx, `SELECT `+communeCols+` FROM communes WHERE province_code = $1 AND code = $2
		AND effective_from <> coalesce($5::date, $3::date)
		AND daterange(effective_from, effective_to, '[]') && daterange($3::date, $4::date, '[]')
		ORDER BY effective_from LIMIT 1`, c.Province, c.Code, c.EffectiveFrom, c.EffectiveTo, self)
	if err != nil {
		return Commune{}, false, err
	}
	other, err := pgx.CollectExactlyOneRow(rows, scanCommune)
	if errors.Is(err, pgx.ErrNoRows) {
		return Commune{}, false, nil
	}
	return other, err == nil, err
}
