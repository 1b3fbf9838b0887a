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

// recordHamletVersion is recordCommuneVersion for a hamlet's kind, households, flags and commune unit.
func recordHamletVersion(ctx context.Context, tx *Tx, before, after Hamlet, changesFrom *time.Time) error {
	const cols = `kind, households, key_security_order, border_or_island, converted_from_thon, commune_code, commune_from`
	vals := []any{after.Kind, after.Households, after.KeySecurityOrder, after.BorderOrIsland, after.ConvertedFromThon,
		after.CommuneCode, after.CommuneFrom}
	old := []any{before.Kind, before.Households, before.KeySecurityOrder, before.BorderOrIsland, before.ConvertedFromThon,
		before.CommuneCode, before.CommuneFrom}
	return recordVersion(ctx, tx, versionTable{
		table: "hamlet_history", key: "province_code = $1 AND hamlet_code = $2", keyArgs: []any{after.Province, after.Code},
		insertKey: "province_code, hamlet_code", cols: cols,
		set: `kind = $3, households = $4, key_security_order = $5, border_or_island = $6, converted_from_thon = $7,
			commune_code = $8, commune_from = $9`,
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

// recordHamletMoves writes the dated versions of hamlets moved to another commune unit from eff (a commune
// reorganisation, issue 11 item 6): the versions before eff keep the old unit, those from eff name the new
// one, so a read of an earlier date finds the hamlet (and its posts) under the unit it belonged to then.
// Set-based, before the rows are updated (the trigger of migration 0046 then finds the latest version
// already equal to the row). A hamlet that starts on or after eff never belonged to the old unit: its
// versions (if any) all take the new one.
func recordHamletMoves(ctx context.Context, tx *Tx, province string, eff time.Time, codes, communes []string, froms []time.Time) error {
	const moved = `unnest($2::text[], $3::text[], $4::date[]) AS m(code, c, f)`
	steps := []string{
		// A moved hamlet without versions gets one from its first day, with the row's values.
		`INSERT INTO hamlet_history (province_code, hamlet_code, valid_from, valid_to, kind, households, key_security_order,
			border_or_island, converted_from_thon, commune_code, commune_from)
		SELECT h.province_code, h.code, h.effective_from, NULL, h.kind, h.households, h.key_security_order, h.border_or_island,
			h.converted_from_thon, h.commune_code, h.commune_from
		FROM hamlets h JOIN ` + moved + ` ON h.code = m.code
		WHERE h.province_code = $1 AND h.effective_from < $5
		  AND NOT EXISTS (SELECT 1 FROM hamlet_history x WHERE x.province_code = h.province_code AND x.hamlet_code = h.code)`,
		// The version running across eff ends the day before it...
		`UPDATE hamlet_history v SET valid_to = $5::date - 1 FROM ` + moved + `
		WHERE v.province_code = $1 AND v.hamlet_code = m.code AND v.valid_from < $5 AND (v.valid_to IS NULL OR v.valid_to >= $5)`,
		// ...and continues from eff with the same values, up to the next version (if any).
		`INSERT INTO hamlet_history (province_code, hamlet_code, valid_from, valid_to, kind, households, key_security_order,
			border_or_island, converted_from_thon, commune_code, commune_from)
		SELECT v.province_code, v.hamlet_code, $5, (SELECT min(y.valid_from) - 1 FROM hamlet_history y
			WHERE y.province_code = v.province_code AND y.hamlet_code = v.hamlet_code AND y.valid_from > $5),
			v.kind, v.households, v.key_security_order, v.border_or_island, v.converted_from_thon, v.commune_code, v.commune_from
		FROM hamlet_history v JOIN ` + moved + ` ON v.hamlet_code = m.code
		WHERE v.province_code = $1 AND v.valid_to = $5::date - 1
		  AND NOT EXISTS (SELECT 1 FROM hamlet_history y WHERE y.province_code = v.province_code AND y.hamlet_code = v.hamlet_code
		    AND y.valid_from = $5)`,
		// Every version from eff on names the new unit.
		`UPDATE hamlet_history v SET commune_code = m.c, commune_from = m.f FROM ` + moved + `
		WHERE v.province_code = $1 AND v.hamlet_code = m.code AND v.valid_from >= $5`,
	}
	for _, q := range steps {
		if _, err := tx.Exec(ctx, q, province, codes, communes, froms, eff); err != nil {
			return translate(err)
		}
	}
	return nil
}
