package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func init() {
	addConstraintFields(map[string]string{
		"hamlets_pkey":             "code",
		"hamlets_code_check":       "code",
		"hamlets_name_check":       "name",
		"hamlets_kind_check":       "kind",
		"hamlets_households_check": "households",
		"hamlets_commune_fkey":     "commune_code",
		"hamlets_successor_fkey":   "successor_code",
		"hamlets_effective_check":  "effective_to",
		"hamlets_successor_check":  "successor_code",
	})
}

// Hamlet is a thôn (rural hamlet) or tổ dân phố (urban residential group) of a commune.
type Hamlet struct {
	Province          string
	Code              string
	CommuneCode       string
	CommuneFrom       *time.Time // the period start of the commune unit; nil on a write: the unit in force on EffectiveFrom
	Name              string
	Kind              string
	Households        int
	KeySecurityOrder  bool
	BorderOrIsland    *bool // nil: derived from the commune's border and island flags
	ConvertedFromThon bool
	EffectiveFrom     time.Time
	EffectiveTo       *time.Time
	SuccessorCode     *string
	Version           int
	// ChangesFrom, on an update, dates the change of kind, households and flags: the earlier values stay in
	// force until the day before (hamlet_history). Not stored on the row.
	ChangesFrom *time.Time `json:"-"`
	// Commune holds the flags of the hamlet's commune that its fund category depends on. It is read with
	// the hamlet, never written, and kept out of the audit log (it belongs to the commune's record).
	Commune CommuneFlags `json:"-"`
}

func (h Hamlet) rowVersion() int { return h.Version }

// CommuneFlags are the commune designations that give its hamlets the higher fund (Decree 33/2023 Art. 34
// cl. 2(a)).
type CommuneFlags struct {
	KeySecurityOrder bool
	Border           bool
	Island           bool
}

// HamletFilter selects hamlets for a list.
type HamletFilter struct {
	CommuneCode string
	Kind        string
	ActiveOn    *time.Time
	ValuesOn    *time.Time // read households and flags as in force on this date (nil: the row's latest values)
	Q           string     // accent- and case-insensitive substring of the name
	After       string     // cursor: the last code of the previous page
	Limit       int
}

const hamletCols = `h.province_code, h.code, h.commune_code, h.name, h.kind, h.households, h.key_security_order,
	h.border_or_island, h.converted_from_thon, h.effective_from, h.effective_to, h.successor_code, h.version,
	c.key_security_order, c.border, c.island, h.commune_from`

// hamletFrom joins each hamlet to its commune (same province: the foreign key is composite).
const hamletFrom = ` FROM hamlets h JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code
	AND c.effective_from = h.commune_from`

// hamletColsAt / hamletFromAt read every hamlet with its commune unit, households and flags (its own and its commune's)
// in force on the date $n: the dated versions where one covers it, else the row.
const hamletColsAt = `h.province_code, h.code, coalesce(hv.commune_code, h.commune_code), h.name, coalesce(hv.kind, h.kind),
	coalesce(hv.households, h.households), coalesce(hv.key_security_order, h.key_security_order),
	CASE WHEN hv.hamlet_code IS NULL THEN h.border_or_island ELSE hv.border_or_island END,
	coalesce(hv.converted_from_thon, h.converted_from_thon), h.effective_from, h.effective_to, h.successor_code, h.version,
	coalesce(cv.key_security_order, c.key_security_order), coalesce(cv.border, c.border), coalesce(cv.island, c.island),
	coalesce(hv.commune_from, h.commune_from)`

func hamletFromAt(n int) string {
	return fmt.Sprintf(` FROM hamlets h
	LEFT JOIN hamlet_history hv ON hv.province_code = h.province_code AND hv.hamlet_code = h.code
	  AND hv.valid_from <= $%[1]d::date AND (hv.valid_to IS NULL OR hv.valid_to >= $%[1]d::date)
	JOIN communes c ON c.province_code = h.province_code AND c.code = coalesce(hv.commune_code, h.commune_code)
	  AND c.effective_from = coalesce(hv.commune_from, h.commune_from)
	LEFT JOIN commune_history cv ON cv.province_code = c.province_code AND cv.code = c.code AND cv.unit_from = c.effective_from
	  AND cv.valid_from <= $%[1]d::date AND (cv.valid_to IS NULL OR cv.valid_to >= $%[1]d::date)`, n)
}

func scanHamlet(r pgx.CollectableRow) (Hamlet, error) {
	var h Hamlet
	err := r.Scan(&h.Province, &h.Code, &h.CommuneCode, &h.Name, &h.Kind, &h.Households, &h.KeySecurityOrder,
		&h.BorderOrIsland, &h.ConvertedFromThon, &h.EffectiveFrom, &h.EffectiveTo, &h.SuccessorCode, &h.Version,
		&h.Commune.KeySecurityOrder, &h.Commune.Border, &h.Commune.Island, &h.CommuneFrom)
	return h, err
}

// ListHamlets returns one page of the province's hamlets by code, each with its commune's flags.
func (s *Store) ListHamlets(ctx context.Context, p Principal, province string, f HamletFilter) ([]Hamlet, error) {
	q := newListQuery("h.province_code = $1", province)
	add := q.add
	if f.CommuneCode != "" && f.ValuesOn != nil {
		add("coalesce(hv.commune_code, h.commune_code) = ?", f.CommuneCode) // the commune on that date
	} else if f.CommuneCode != "" {
		add("h.commune_code = ?", f.CommuneCode)
	}
	if f.Kind != "" {
		add("h.kind = ?", f.Kind)
	}
	if f.ActiveOn != nil {
		add("h.effective_from <= ? AND (h.effective_to IS NULL OR h.effective_to >= ?)", *f.ActiveOn)
	}
	if f.Q != "" {
		add("fold(h.name) LIKE '%' || fold(?) || '%'", likeEscape(f.Q))
	}
	if f.After != "" {
		add("h.code > ?", f.After)
	}
	cols, from := hamletCols, hamletFrom
	if f.ValuesOn != nil {
		q.arg(*f.ValuesOn)
		cols, from = hamletColsAt, hamletFromAt(len(q.args))
	}
	sql := `SELECT ` + cols + from + ` WHERE ` + q.where() + q.page("h.code", f.Limit)
	args := q.args
	var out []Hamlet
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(make([]Hamlet, 0, pageCap(f.Limit)), rows, scanHamlet)
		return err
	})
	return out, err
}

// GetHamlet returns one hamlet with its lineage: the chain of hamlets it was merged into, and the hamlets
// merged into it.
// The households and flags (its own and its commune's) are those in force on asOf, or today when nil.
func (s *Store) GetHamlet(ctx context.Context, p Principal, province, code string, asOf *time.Time) (Hamlet, []UnitRef, []UnitRef, error) {
	var (
		h                 Hamlet
		successors, preds []UnitRef
	)
	err := s.InTx(ctx, p, func(tx *Tx) error {
		d := s.Today()
		if asOf != nil {
			d = *asOf
		}
		rows, err := tx.Query(ctx, `SELECT `+hamletColsAt+hamletFromAt(3)+` WHERE h.province_code = $1 AND h.code = $2`,
			province, code, d)
		if err != nil {
			return err
		}
		if h, err = pgx.CollectExactlyOneRow(rows, scanHamlet); err != nil {
			return translate(err)
		}
		successors, preds, err = lineage(ctx, tx, "hamlets", province, code)
		return err
	})
	return h, successors, preds, err
}

func getHamlet(ctx context.Context, tx *Tx, province, code string, lock bool) (Hamlet, error) {
	sql := `SELECT ` + hamletCols + hamletFrom + ` WHERE h.province_code = $1 AND h.code = $2`
	if lock {
		sql += ` FOR UPDATE OF h`
	}
	rows, err := tx.Query(ctx, sql, province, code)
	if err != nil {
		return Hamlet{}, err
	}
	h, err := pgx.CollectExactlyOneRow(rows, scanHamlet)
	return h, translate(err)
}

// CreateHamlet inserts a hamlet and audits it. The commune must exist in the same province (the composite
// foreign key refuses it otherwise, reported on commune_code).
func (s *Store) CreateHamlet(ctx context.Context, p Principal, h Hamlet) (Hamlet, error) {
	var out Hamlet
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if h.SuccessorCode != nil {
			if err := lockSuccessorChains(ctx, tx, "hamlets", h.Province); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO hamlets (province_code, code, commune_code, name, kind, households,
			key_security_order, border_or_island, converted_from_thon, effective_from, effective_to, successor_code, commune_from)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			h.Province, h.Code, h.CommuneCode, h.Name, h.Kind, h.Households, h.KeySecurityOrder, h.BorderOrIsland,
			h.ConvertedFromThon, h.EffectiveFrom, h.EffectiveTo, h.SuccessorCode, h.CommuneFrom)
		if err != nil {
			return translate(err)
		}
		if out, err = getHamlet(ctx, tx, h.Province, h.Code, false); err != nil {
			return err
		}
		if err := checkHamletInCommuneLife(ctx, tx, out); err != nil {
			return err
		}
		if err := checkSuccessor(ctx, tx, "hamlets", out.Province, out.Code, out.SuccessorCode); err != nil {
			return err
		}
		return tx.Audit(ctx, h.Province, "create", "hamlet", h.Code, nil, out)
	})
	return out, err
}

// UpdateHamlet applies change to the hamlet at version and audits before/after; ErrStale when the version
// moved on.
func (s *Store) UpdateHamlet(ctx context.Context, p Principal, province, code string, version int, change func(*Hamlet) error) (Hamlet, error) {
	var out Hamlet
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if err := lockSuccessorChains(ctx, tx, "hamlets", province); err != nil {
			return err
		}
		before, after, err := lockAtVersion(version, change, func() (Hamlet, error) { return getHamlet(ctx, tx, province, code, true) })
		if err != nil {
			return err
		}
		if err := markDated(ctx, tx, after.ChangesFrom != nil); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE hamlets SET commune_code = $3, name = $4, kind = $5, households = $6,
			key_security_order = $7, border_or_island = $8, converted_from_thon = $9, effective_from = $10,
			effective_to = $11, successor_code = $12, commune_from = $13, version = version + 1, updated_at = now()
			WHERE province_code = $1 AND code = $2`,
			province, code, after.CommuneCode, after.Name, after.Kind, after.Households, after.KeySecurityOrder,
			after.BorderOrIsland, after.ConvertedFromThon, after.EffectiveFrom, after.EffectiveTo, after.SuccessorCode,
			after.CommuneFrom)
		if err != nil {
			return translate(err)
		}
		if out, err = getHamlet(ctx, tx, province, code, false); err != nil {
			return err
		}
		if hamletPlaceChanged(before, out) { // a hamlet recorded before the rule stays editable otherwise
			if err := checkHamletInCommuneLife(ctx, tx, out); err != nil {
				return err
			}
		}
		if err := markDated(ctx, tx, false); err != nil {
			return err
		}
		if err := recordHamletVersion(ctx, tx, before, out, after.ChangesFrom); err != nil {
			return err
		}
		if periodChanged(before.EffectiveFrom, before.EffectiveTo, out.EffectiveFrom, out.EffectiveTo) {
			// Its posts (whose writers lock the hamlet FOR UPDATE, as above) must stay within its life.
			u := lifeUnit{Code: out.Code, Name: out.Name, From: out.EffectiveFrom, To: out.EffectiveTo,
				OldFrom: before.EffectiveFrom, OldTo: before.EffectiveTo}
			if err := checkUnitChildren(ctx, tx, "hamlet", u); err != nil {
				return err
			}
		}
		if err := checkSuccessor(ctx, tx, "hamlets", province, code, out.SuccessorCode); err != nil {
			return err
		}
		return tx.Audit(ctx, province, "update", "hamlet", code, before, out)
	})
	return out, err
}

// DeleteHamlet removes a hamlet that nothing references (a merged hamlet is closed with effective_to and
// successor_code instead); ErrInUse while assignments or successors point at it.
func (s *Store) DeleteHamlet(ctx context.Context, p Principal, province, code string, version int) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		before, _, err := lockAtVersion(version, nil, func() (Hamlet, error) { return getHamlet(ctx, tx, province, code, true) })
		if err != nil {
			return err
		}
		var refs bool
		err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM assignments WHERE province_code = $1 AND hamlet_code = $2)
			OR EXISTS (SELECT 1 FROM hamlets WHERE province_code = $1 AND successor_code = $2)`, province, code).Scan(&refs)
		if err != nil {
			return err
		}
		if refs {
			return ErrInUse
		}
		if _, err := tx.Exec(ctx, `DELETE FROM hamlets WHERE province_code = $1 AND code = $2`, province, code); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, province, "delete", "hamlet", code, before, nil)
	})
}

// hamletPlaceChanged reports whether an update moves the hamlet in time or to another commune unit: only
// then is its place in its commune's life checked again.
func hamletPlaceChanged(before, after Hamlet) bool {
	return before.CommuneCode != after.CommuneCode || !before.EffectiveFrom.Equal(after.EffectiveFrom) ||
		!sameDate(before.EffectiveTo, after.EffectiveTo) || !sameDate(before.CommuneFrom, after.CommuneFrom)
}

func sameDate(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}
