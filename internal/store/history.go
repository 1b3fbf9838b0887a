package store

import (
	"context"
	"strconv"
	"time"
)

// Attribute history (issue 11 item 2; docs/time.md). The unit's own row always holds the latest values;
// commune_history / hamlet_history hold dated versions once an attribute has changed from a date. A date no
// version covers uses the row. communes_at(d) / hamlets_at(d) in SQL, and the overlays below in Go, give the
// values in force on a date.

// ErrChangeBeforeLatest refuses a dated change that starts before the latest recorded change: history is
// written forwards (a correction of the latest version is a PATCH without changes_from).
type ErrChangeBeforeLatest struct {
	Latest      time.Time
	UnitFrom    time.Time
	UnitTo      *time.Time
	OutsideLife bool
}

func (e *ErrChangeBeforeLatest) Error() string {
	return "dated change before the latest recorded change"
}

// ChangeRule is the rule a dated change breaks, worded for people (one implementation for API and import).
func (e *ErrChangeBeforeLatest) Rule() *RuleError {
	if e.OutsideLife {
		return &RuleError{Field: "changes_from", Code: "outside_unit_life",
			MessageEN: "the change must take effect within the unit's period " + PeriodText(e.UnitFrom, e.UnitTo),
			MessageVI: "thay đổi phải có hiệu lực trong thời gian tồn tại của đơn vị (" + periodVI(e.UnitFrom, e.UnitTo) + ")"}
	}
	return &RuleError{Field: "changes_from", Code: "before_latest_change",
		MessageEN: "the change must take effect after the latest recorded change (" + e.Latest.Format(time.DateOnly) +
			"); to correct that version, send the change without a date",
		MessageVI: "thay đổi phải có hiệu lực sau lần thay đổi gần nhất đã ghi (" + e.Latest.Format(time.DateOnly) +
			"); để sửa phiên bản đó, gửi thay đổi không kèm ngày"}
}

// markDated tells the history triggers (migration 0046) whether the next update of a unit's row is a dated
// change, whose versions recordCommuneVersion/recordHamletVersion write; an undated update (every other
// write path: imports, the console, a PATCH without changes_from) has its latest version corrected to the
// row's values by the trigger, in the database, so no path can forget it.
func markDated(ctx context.Context, tx *Tx, dated bool) error {
	v := ""
	if dated {
		v = "on"
	}
	_, err := tx.Exec(ctx, `SELECT set_config('app.history_dated', $1, true)`, v)
	return err
}

// recordCommuneVersion writes commune_history for a dated update of the unit's row (after is the row as
// written, under markDated): before's values stay in force until the day before changesFrom. Without
// changesFrom there is nothing to do here: the trigger has corrected the latest version.
func recordCommuneVersion(ctx context.Context, tx *Tx, before, after Commune, changesFrom *time.Time) error {
	const cols = `class, population, area_km2, key_security_order, border, island`
	vals := []any{after.Class, after.Population, decimalArg(after.AreaKm2), after.KeySecurityOrder, after.Border, after.Island}
	old := []any{before.Class, before.Population, decimalArg(before.AreaKm2), before.KeySecurityOrder, before.Border, before.Island}
	return recordVersion(ctx, tx, versionTable{
		table: "commune_history", key: "province_code = $1 AND code = $2 AND unit_from = $3",
		keyArgs:   []any{after.Province, after.Code, after.EffectiveFrom},
		insertKey: "province_code, code, unit_from", cols: cols,
		set: `class = $4, population = $5, area_km2 = $6::numeric, key_security_order = $7, border = $8, island = $9`,
	}, after.EffectiveFrom, after.EffectiveTo, vals, old, changesFrom)
}

// recordHamletVersion is recordCommuneVersion for a hamlet's kind, households and flags.
func recordHamletVersion(ctx context.Context, tx *Tx, before, after Hamlet, changesFrom *time.Time) error {
	const cols = `kind, households, key_security_order, border_or_island, converted_from_thon`
	vals := []any{after.Kind, after.Households, after.KeySecurityOrder, after.BorderOrIsland, after.ConvertedFromThon}
	old := []any{before.Kind, before.Households, before.KeySecurityOrder, before.BorderOrIsland, before.ConvertedFromThon}
	return recordVersion(ctx, tx, versionTable{
		table: "hamlet_history", key: "province_code = $1 AND hamlet_code = $2", keyArgs: []any{after.Province, after.Code},
		insertKey: "province_code, hamlet_code", cols: cols,
		set: `kind = $3, households = $4, key_security_order = $5, border_or_island = $6, converted_from_thon = $7`,
	}, after.EffectiveFrom, after.EffectiveTo, vals, old, changesFrom)
}

type versionTable struct {
	table, key, insertKey, cols, set string
	keyArgs                          []any
}

func recordVersion(ctx context.Context, tx *Tx, t versionTable, unitFrom time.Time, unitTo *time.Time, vals, old []any,
	changesFrom *time.Time) error {
	if changesFrom == nil {
		return nil // an undated update: the trigger of migration 0046 corrected the latest version
	}
	var latest *time.Time
	if err := tx.QueryRow(ctx, `SELECT max(valid_from) FROM `+t.table+` WHERE `+t.key, t.keyArgs...).Scan(&latest); err != nil {
		return err
	}
	n := len(t.keyArgs)
	placeholders := func(from int, k int) string {
		s := ""
		for i := 0; i < k; i++ {
			if i > 0 {
				s += ", "
			}
			s += "$" + strconv.Itoa(from+i)
		}
		return s
	}
	insert := func(from time.Time, to *time.Time, v []any) error {
		args := append(append(append([]any{}, t.keyArgs...), from, to), v...)
		_, err := tx.Exec(ctx, `INSERT INTO `+t.table+` (`+t.insertKey+`, valid_from, valid_to, `+t.cols+`) VALUES (`+
			placeholders(1, len(args))+`)`, args...)
		return translate(err)
	}
	updateLatest := func() error {
		args := append(append([]any{}, t.keyArgs...), vals...)
		args = append(args, *latest)
		_, err := tx.Exec(ctx, `UPDATE `+t.table+` SET `+t.set+` WHERE `+t.key+` AND valid_from = $`+strconv.Itoa(len(args)), args...)
		return translate(err)
	}
	x := *changesFrom
	if x.Before(unitFrom) || (unitTo != nil && x.After(*unitTo)) {
		return (&ErrChangeBeforeLatest{UnitFrom: unitFrom, UnitTo: unitTo, OutsideLife: true}).Rule()
	}
	switch {
	case latest == nil && x.Equal(unitFrom):
		return nil // the whole period has the new values: the row says it all
	case latest == nil:
		if err := insert(unitFrom, ptr(x.AddDate(0, 0, -1)), old); err != nil {
			return err
		}
		return insert(x, nil, vals)
	case x.Equal(*latest):
		return updateLatest()
	case x.Before(*latest):
		return (&ErrChangeBeforeLatest{Latest: *latest, UnitFrom: unitFrom, UnitTo: unitTo}).Rule()
	}
	args := append(append([]any{}, t.keyArgs...), x.AddDate(0, 0, -1), *latest)
	if _, err := tx.Exec(ctx, `UPDATE `+t.table+` SET valid_to = $`+strconv.Itoa(n+1)+` WHERE `+t.key+` AND valid_from = $`+strconv.Itoa(n+2),
		args...); err != nil {
		return translate(err)
	}
	return insert(x, nil, vals)
}

func ptr[T any](v T) *T { return &v }
