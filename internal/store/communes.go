package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// Commune is a commune-level unit of a province.
type Commune struct {
	Province         string
	Code             string
	Name             string
	Kind             string
	Class            int
	Population       *int
	AreaKm2          *decimal.Decimal
	KeySecurityOrder bool
	Border           bool
	Island           bool
	// Mountainous and WardOfUrbanDistrict pick the administrative-unit standard the Decree 33/2023
	// increments compare population and area with (migration 0016).
	Mountainous         bool
	WardOfUrbanDistrict bool
	EffectiveFrom       time.Time
	EffectiveTo         *time.Time
	SuccessorCode       *string
	OldProvinceCode     *string // the pre-2025 province of a unit recorded in its successor's register
	Version             int
	// ChangesFrom, on an update, dates the change of class, population, area and flags: the earlier
	// values stay in force until the day before (commune_history). Not stored on the row.
	ChangesFrom *time.Time `json:"-"`
}

// Key is the unit's identity: its code and the first day of its period.
func (c Commune) Key() UnitKey { return UnitKey{Code: c.Code, From: c.EffectiveFrom} }

func (c Commune) rowVersion() int { return c.Version }

// UnitRef names a unit in a lineage.
type UnitRef struct {
	Code          string
	Name          string
	EffectiveFrom time.Time
	EffectiveTo   *time.Time
}

// CommuneFilter selects communes for a list.
type CommuneFilter struct {
	Kind     string
	Class    int
	ActiveOn *time.Time
	Q        string // accent- and case-insensitive substring of the name
	After    string // cursor: the last unit (code@effective_from, or a code) of the previous page
	Limit    int
}

// ErrInUse is returned when a delete would orphan rows that reference the record.
var ErrInUse = errors.New("record is referenced")

const communeCols = `province_code, code, name, kind, class, population, area_km2::text, key_security_order, border, island,
	effective_from, effective_to, successor_code, old_province_code, version, mountainous, ward_of_urban_district`

func scanCommune(r pgx.CollectableRow) (Commune, error) {
	var c Commune
	var area *string
	err := r.Scan(&c.Province, &c.Code, &c.Name, &c.Kind, &c.Class, &c.Population, &area, &c.KeySecurityOrder,
		&c.Border, &c.Island, &c.EffectiveFrom, &c.EffectiveTo, &c.SuccessorCode, &c.OldProvinceCode, &c.Version, &c.Mountainous, &c.WardOfUrbanDistrict)
	if err == nil && area != nil {
		d, derr := decimal.NewFromString(*area)
		if derr != nil {
			return c, derr
		}
		c.AreaKm2 = &d
	}
	return c, err
}

func decimalArg(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

// ListCommunes returns one page of the province's communes by code.
func (s *Store) ListCommunes(ctx context.Context, p Principal, province string, f CommuneFilter) ([]Commune, error) {
	q := newProvinceList("province_code", province)
	add := q.add
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.Class != 0 {
		add("class = ?", f.Class)
	}
	if f.ActiveOn != nil {
		add("effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?)", *f.ActiveOn)
	}
	if f.Q != "" {
		add("fold(name) LIKE '%' || fold(?) || '%'", likeEscape(f.Q))
	}
	if f.After != "" {
		code, from, err := ParseUnitRef(f.After)
		if err != nil || from == nil {
			add("code > ?", code)
		} else {
			add("(code, effective_from) > (?, ?)", code, *from)
		}
	}
	table := "communes"
	if f.ActiveOn != nil {
		// The units in force on the date, with the class and flags in force on it.
		table = "communes_at(" + q.arg(*f.ActiveOn) + "::date) AS communes"
	}
	sql := `SELECT ` + communeCols + ` FROM ` + table + ` WHERE ` + q.where() + q.page("code, effective_from", f.Limit)
	args := q.args
	var out []Commune
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(make([]Commune, 0, pageCap(f.Limit)), rows, scanCommune)
		return err
	})
	return out, err
}

// likeEscape protects LIKE's wildcards in a user's search text.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// GetCommune returns the unit of code that sel picks, with the attribute values in force on sel.AsOf (or
// today), and its lineage: the units it became and the units that became it.
func (s *Store) GetCommune(ctx context.Context, p Principal, province, code string, sel UnitSel) (Commune, []LineageRef, []LineageRef, error) {
	var (
		c                 Commune
		successors, preds []LineageRef
	)
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		if c, err = getCommuneAt(ctx, tx, province, code, sel, s.Today()); err != nil {
			return err
		}
		successors, preds, err = communeLineage(ctx, tx, province, c.Key())
		return err
	})
	return c, successors, preds, err
}

// lineage returns the chain of hamlets a hamlet was merged into (successor_code, followed at most 20
// steps) and the hamlets merged into it.
func lineage(ctx context.Context, tx *Tx, table, province, code string) (successors, preds []UnitRef, err error) {
	t := pgx.Identifier{table}.Sanitize()
	rows, err := tx.Query(ctx, fmt.Sprintf(`
		WITH RECURSIVE chain(code, depth) AS (
		  SELECT successor_code, 1 FROM %[1]s WHERE province_code = $1 AND code = $2 AND successor_code IS NOT NULL
		  UNION ALL
		  SELECT u.successor_code, chain.depth + 1 FROM chain JOIN %[1]s u ON u.province_code = $1 AND u.code = chain.code
		  WHERE u.successor_code IS NOT NULL AND chain.depth < 20)
		SELECT u.code, u.name, u.effective_from, u.effective_to FROM chain JOIN %[1]s u ON u.province_code = $1 AND u.code = chain.code
		ORDER BY chain.depth`, t), province, code)
	if err != nil {
		return nil, nil, err
	}
	if successors, err = pgx.CollectRows(rows, scanUnitRef); err != nil {
		return nil, nil, err
	}
	rows, err = tx.Query(ctx, fmt.Sprintf(`SELECT code, name, effective_from, effective_to FROM %s
		WHERE province_code = $1 AND successor_code = $2 ORDER BY code`, t), province, code)
	if err != nil {
		return nil, nil, err
	}
	preds, err = pgx.CollectRows(rows, scanUnitRef)
	return successors, preds, err
}

func scanUnitRef(r pgx.CollectableRow) (UnitRef, error) {
	var u UnitRef
	err := r.Scan(&u.Code, &u.Name, &u.EffectiveFrom, &u.EffectiveTo)
	return u, err
}

// communeColsAt is communeCols over communes c with the version v of commune_history in force (if any).
const communeColsAt = `c.province_code, c.code, c.name, c.kind, coalesce(v.class, c.class),
	CASE WHEN v.code IS NULL THEN c.population ELSE v.population END,
	(CASE WHEN v.code IS NULL THEN c.area_km2 ELSE v.area_km2 END)::text,
	coalesce(v.key_security_order, c.key_security_order), coalesce(v.border, c.border), coalesce(v.island, c.island),
	c.effective_from, c.effective_to, c.successor_code, c.old_province_code, c.version, c.mountainous, c.ward_of_urban_district`

// getCommuneAt reads, in one query, the unit sel picks with the class, population and flags in force on
// sel.AsOf (or today).
func getCommuneAt(ctx context.Context, tx *Tx, province, code string, sel UnitSel, today time.Time) (Commune, error) {
	at, pick := today, `c.effective_from = `+unitFromSQL("$1", "$2", "$3::date")
	switch {
	case sel.From != nil:
		pick = `c.effective_from = $4`
		if sel.AsOf != nil {
			at = *sel.AsOf
		}
	case sel.AsOf != nil:
		at, pick = *sel.AsOf, `c.effective_from <= $3 AND (c.effective_to IS NULL OR c.effective_to >= $3) AND $4::date IS NULL`
	default:
		pick += ` AND $4::date IS NULL`
	}
	rows, err := tx.Query(ctx, `SELECT `+communeColsAt+` FROM communes c
		LEFT JOIN commune_history v ON v.province_code = c.province_code AND v.code = c.code AND v.unit_from = c.effective_from
		  AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to >= $3)
		WHERE c.province_code = $1 AND c.code = $2 AND `+pick, province, code, at, sel.From)
	if err != nil {
		return Commune{}, err
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCommune)
	return c, translate(err)
}

// getCommune reads the unit's own row (the latest values of its attributes), FOR UPDATE when lock.
func getCommune(ctx context.Context, tx *Tx, province, code string, sel UnitSel, today time.Time, lock bool) (Commune, error) {
	from, err := resolveCommuneFrom(ctx, tx, province, code, sel, today)
	if err != nil {
		return Commune{}, err
	}
	sql := `SELECT ` + communeCols + ` FROM communes WHERE province_code = $1 AND code = $2 AND effective_from = $3`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, err := tx.Query(ctx, sql, province, code, from)
	if err != nil {
		return Commune{}, err
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCommune)
	return c, translate(err)
}

// CreateCommune inserts a commune and audits it under its unit id (code@effective_from, as imports name it).
func (s *Store) CreateCommune(ctx context.Context, p Principal, c Commune) (Commune, error) {
	var out Commune
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if c.SuccessorCode != nil {
			if err := lockSuccessorChains(ctx, tx, "communes", c.Province); err != nil {
				return err
			}
		}
		if other, ok, err := communeOverlap(ctx, tx, c, nil); err != nil {
			return err
		} else if ok {
			return CommuneOverlapRule(c, other)
		}
		rows, err := tx.Query(ctx, `INSERT INTO communes (province_code, code, name, kind, class, population, area_km2,
			key_security_order, border, island, effective_from, effective_to, successor_code, old_province_code, mountainous, ward_of_urban_district)
			VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING `+communeCols,
			c.Province, c.Code, c.Name, c.Kind, c.Class, c.Population, decimalArg(c.AreaKm2), c.KeySecurityOrder,
			c.Border, c.Island, c.EffectiveFrom, c.EffectiveTo, c.SuccessorCode, c.OldProvinceCode, c.Mountainous, c.WardOfUrbanDistrict)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanCommune); err != nil {
			return translate(err)
		}
		if err := checkSuccessor(ctx, tx, "communes", out.Province, out.Code, out.SuccessorCode); err != nil {
			return err
		}
		return tx.Audit(ctx, c.Province, "create", "commune", out.Key().String(), nil, out)
	})
	return out, err
}

// UpdateCommune applies change to the commune at version and audits before/after; ErrStale when the
// version moved on.
func (s *Store) UpdateCommune(ctx context.Context, p Principal, province, code string, sel UnitSel, version int, change func(*Commune) error) (Commune, error) {
	var out Commune
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if err := lockSuccessorChains(ctx, tx, "communes", province); err != nil {
			return err
		}
		before, after, err := lockAtVersion(version, change, func() (Commune, error) {
			return getCommune(ctx, tx, province, code, sel, s.Today(), true)
		})
		if err != nil {
			return err
		}
		if other, ok, err := communeOverlap(ctx, tx, after, &before.EffectiveFrom); err != nil {
			return err
		} else if ok {
			return CommuneOverlapRule(after, other)
		}
		if err := markDated(ctx, tx, after.ChangesFrom != nil); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE communes SET name = $3, kind = $4, class = $5, population = $6, area_km2 = $7::numeric,
			key_security_order = $8, border = $9, island = $10, effective_from = $11, effective_to = $12, successor_code = $13,
			old_province_code = $15, mountainous = $16, ward_of_urban_district = $17, version = version + 1, updated_at = now()
			WHERE province_code = $1 AND code = $2 AND effective_from = $14 RETURNING `+communeCols,
			province, code, after.Name, after.Kind, after.Class, after.Population, decimalArg(after.AreaKm2),
			after.KeySecurityOrder, after.Border, after.Island, after.EffectiveFrom, after.EffectiveTo, after.SuccessorCode,
			before.EffectiveFrom, after.OldProvinceCode, after.Mountainous, after.WardOfUrbanDistrict)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanCommune); err != nil {
			return translate(err)
		}
		if err := markDated(ctx, tx, false); err != nil {
			return err
		}
		if err := recordCommuneVersion(ctx, tx, before, out, after.ChangesFrom); err != nil {
			return err
		}
		if periodChanged(before.EffectiveFrom, before.EffectiveTo, out.EffectiveFrom, out.EffectiveTo) {
			// Its hamlets and posts (locked out by the unit's FOR UPDATE above) must stay within its life.
			u := lifeUnit{Code: out.Code, Name: out.Name, From: out.EffectiveFrom, To: out.EffectiveTo,
				OldFrom: before.EffectiveFrom, OldTo: before.EffectiveTo}
			if err := checkUnitChildren(ctx, tx, "commune", u); err != nil {
				return err
			}
		}
		if err := checkSuccessor(ctx, tx, "communes", province, code, out.SuccessorCode); err != nil {
			return err
		}
		// Filed under the unit's id after the change; a moved first day is in the before snapshot (ListAudit
		// finds the row under either).
		return tx.Audit(ctx, province, "update", "commune", out.Key().String(), before, out)
	})
	return out, err
}

// checkSuccessor refuses a successor chain that loops back (the rule successorLoops holds for the API and
// imports alike).
func checkSuccessor(ctx context.Context, tx *Tx, table, province, code string, successor *string) error {
	if successor == nil {
		return nil
	}
	loops, err := successorLoops(ctx, tx, pgx.Identifier{table}.Sanitize(), `SELECT unnest($2::text[])`, province, []string{code})
	if err != nil {
		return err
	}
	if len(loops) > 0 {
		return SuccessorCycle(table)
	}
	return nil
}

// Lock classes of the successor chains of a province: every write that can change a chain (a create or
// update through the API, an import whose file names successors) takes its table's lock before any row
// lock and keeps it to the end of its transaction, so two writers never each check a chain the other is
// changing (A→B by one, B→A by the other, both committed: a loop). One class per table.
const (
	lockClassCommuneChains = 4721
	lockClassHamletChains  = 4722
)

// lockSuccessorChains takes the chain lock of table ("communes" or "hamlets") in the province.
func lockSuccessorChains(ctx context.Context, tx *Tx, table, province string) error {
	class := lockClassCommuneChains
	if table == "hamlets" {
		class = lockClassHamletChains
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, class, province)
	return err
}

// MaxSuccessorChain is how many merges a chain of successors may go through: a longer chain is refused
// like a loop (so a loop of any length is found by following at most this many steps).
const MaxSuccessorChain = 50

// successorLoops is the one implementation of the successor-cycle rule for communes and hamlets: of the
// codes that starts selects (a one-column relation; $1 is the province, args follow as $2…), those whose
// chain of successors in graph comes back to a unit already on it or runs longer than MaxSuccessorChain
// steps. graph is a relation of (province_code, code, successor_code): the table itself for the API (after
// the write), or for an import the table with the file's rows in place of the ones they replace, so that a
// loop made by the file and the register together is found before anything is written. It is set-based:
// one recursive query for all the codes (a hash join per step, at most MaxSuccessorChain steps).
func successorLoops(ctx context.Context, tx *Tx, graph, starts, province string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf(`
		WITH RECURSIVE g AS NOT MATERIALIZED (SELECT code, successor_code FROM %[1]s WHERE province_code = $1),
		chain(start, code, depth) AS (
		  SELECT g.code, g.successor_code, 1 FROM g WHERE g.code IN (%[3]s) AND g.successor_code IS NOT NULL
		  UNION ALL
		  SELECT chain.start, g.successor_code, chain.depth + 1 FROM chain JOIN g ON g.code = chain.code
		  WHERE g.successor_code IS NOT NULL AND chain.code <> chain.start AND chain.depth < %[2]d)
		SELECT DISTINCT start FROM chain WHERE code = start OR depth >= %[2]d ORDER BY start`, graph, MaxSuccessorChain, starts),
		append([]any{province}, args...)...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// SuccessorCycle is the error of the rule, for a unit of table (communes or hamlets); the API reports it
// on successor_code, an import on the row's successor_code cell.
func SuccessorCycle(table string) *RuleError {
	unitEN, unitVI := "commune", "xã"
	if table == "hamlets" {
		unitEN, unitVI = "hamlet", "thôn, tổ dân phố"
	}
	return &RuleError{Field: "successor_code", Code: "successor_cycle",
		MessageEN: fmt.Sprintf("the chain of successors of this %s loops back (or runs through more than %d merges)", unitEN, MaxSuccessorChain),
		MessageVI: fmt.Sprintf("chuỗi đơn vị kế thừa của %s này quay vòng lại (hoặc qua hơn %d lần sáp nhập)", unitVI, MaxSuccessorChain)}
}

// DeleteCommune removes a commune that nothing references (a merged commune is closed with effective_to
// and successor_code instead); ErrInUse while hamlets (now or in their history), assignments or successors
// point at it.
func (s *Store) DeleteCommune(ctx context.Context, p Principal, province, code string, sel UnitSel, version int) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		before, _, err := lockAtVersion(version, nil, func() (Commune, error) {
			return getCommune(ctx, tx, province, code, sel, s.Today(), true)
		})
		if err != nil {
			return err
		}
		var refs bool
		err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hamlets WHERE province_code = $1 AND commune_code = $2 AND commune_from = $3)
			OR EXISTS (SELECT 1 FROM assignments WHERE province_code = $1 AND commune_code = $2 AND commune_from = $3)
			OR EXISTS (SELECT 1 FROM hamlet_history WHERE province_code = $1 AND commune_code = $2 AND commune_from = $3)
			OR EXISTS (SELECT 1 FROM commune_lineage WHERE province_code = $1 AND to_code = $2 AND to_effective = $3)
			OR (EXISTS (SELECT 1 FROM communes WHERE province_code = $1 AND successor_code = $2)
			    AND NOT EXISTS (SELECT 1 FROM communes WHERE province_code = $1 AND code = $2 AND effective_from <> $3))`,
			province, code, before.EffectiveFrom).Scan(&refs)
		if err != nil {
			return err
		}
		if refs {
			return ErrInUse
		}
		if _, err := tx.Exec(ctx, `DELETE FROM communes WHERE province_code = $1 AND code = $2 AND effective_from = $3`,
			province, code, before.EffectiveFrom); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, province, "delete", "commune", before.Key().String(), before, nil)
	})
}
