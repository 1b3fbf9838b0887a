package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

func init() {
	addConstraintFields(map[string]string{
		"allowance_schedules_pkey":                       "rows",
		"allowance_schedules_position_code_fkey":         "position_code",
		"allowance_schedules_hamlet_fund_category_check": "hamlet_fund_category",
		"allowance_schedules_coefficient_check":          "coefficient",
		"allowance_schedules_resolution_check":           "resolution",
		"allowance_schedules_effective_check":            "effective_to",
	})
}

// Schedule is one version of a province's allowance schedule: the HĐND resolution that sets each post's
// allowance as a multiple of the base salary (Decree 33/2023 Art. 34 cl. 3), in force from EffectiveFrom.
type Schedule struct {
	Province      string
	Resolution    string
	EffectiveFrom time.Time
	EffectiveTo   *time.Time
	Rows          []ScheduleRow
}

// ScheduleRow is one post's coefficient; HamletFundCategory is "6.0" or "4.5" where the amount depends on
// the hamlet's fund category, "" where it does not.
type ScheduleRow struct {
	PositionCode       string
	HamletFundCategory string
	Coefficient        decimal.Decimal
}

// scheduleLine is one stored row: the version's columns repeat on every row.
type scheduleLine struct {
	Resolution    string
	EffectiveFrom time.Time
	EffectiveTo   *time.Time
	Row           ScheduleRow
}

func scanScheduleLine(r pgx.CollectableRow) (scheduleLine, error) {
	var l scheduleLine
	var coef string
	err := r.Scan(&l.Resolution, &l.EffectiveFrom, &l.EffectiveTo, &l.Row.PositionCode, &l.Row.HamletFundCategory, &coef)
	if err != nil {
		return l, err
	}
	l.Row.Coefficient, err = decimal.NewFromString(coef)
	return l, err
}

// getSchedule reads the version that starts on from; ErrNotFound when there is none.
func getSchedule(ctx context.Context, tx *Tx, province string, from time.Time) (Schedule, error) {
	rows, err := tx.Query(ctx, `SELECT s.resolution, s.effective_from, s.effective_to, s.position_code,
		s.hamlet_fund_category, s.coefficient::text
		FROM allowance_schedules s JOIN positions p ON p.code = s.position_code
		WHERE s.province_code = $1 AND s.effective_from = $2
		ORDER BY p.level, s.position_code, s.hamlet_fund_category`, province, from)
	if err != nil {
		return Schedule{}, err
	}
	rs, err := pgx.CollectRows(rows, scanScheduleLine)
	if err != nil {
		return Schedule{}, err
	}
	if len(rs) == 0 {
		return Schedule{}, ErrNotFound
	}
	out := Schedule{Province: province, Resolution: rs[0].Resolution, EffectiveFrom: rs[0].EffectiveFrom,
		EffectiveTo: rs[0].EffectiveTo, Rows: make([]ScheduleRow, 0, len(rs))}
	for _, r := range rs {
		out.Rows = append(out.Rows, r.Row)
	}
	return out, nil
}

// ScheduleAsOf returns the version in force on asOf: the latest that starts on or before it and has not
// ended before it. ErrNotFound when none is.
func (s *Store) ScheduleAsOf(ctx context.Context, p Principal, province string, asOf time.Time) (Schedule, error) {
	var out Schedule
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var from time.Time
		err := tx.QueryRow(ctx, `SELECT effective_from FROM allowance_schedules
			WHERE province_code = $1 AND effective_from <= $2 AND (effective_to IS NULL OR effective_to >= $2)
			ORDER BY effective_from DESC LIMIT 1`, province, asOf).Scan(&from)
		if err != nil {
			return translate(err)
		}
		out, err = getSchedule(ctx, tx, province, from)
		return err
	})
	return out, err
}

// PutSchedule replaces the version that starts on sch.EffectiveFrom with sch (delete, then insert, in one
// transaction, audited with before and after). created reports that no such version existed.
func (s *Store) PutSchedule(ctx context.Context, p Principal, sch Schedule) (out Schedule, created bool, err error) {
	err = s.InTx(ctx, p, func(tx *Tx) error {
		before, err := getSchedule(ctx, tx, sch.Province, sch.EffectiveFrom)
		switch {
		case errors.Is(err, ErrNotFound):
			created = true
		case err != nil:
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM allowance_schedules WHERE province_code = $1 AND effective_from = $2`,
			sch.Province, sch.EffectiveFrom); err != nil {
			return translate(err)
		}
		batch := &pgx.Batch{}
		for _, r := range sch.Rows {
			batch.Queue(`INSERT INTO allowance_schedules (province_code, position_code, hamlet_fund_category,
				effective_from, effective_to, coefficient, resolution) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7)`,
				sch.Province, r.PositionCode, r.HamletFundCategory, sch.EffectiveFrom, sch.EffectiveTo,
				r.Coefficient.String(), sch.Resolution)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return translate(err)
		}
		if out, err = getSchedule(ctx, tx, sch.Province, sch.EffectiveFrom); err != nil {
			return err
		}
		action, prev := "update", any(before)
		if created {
			action, prev = "create", nil
		}
		return tx.Audit(ctx, sch.Province, action, "allowance_schedule", sch.EffectiveFrom.Format(time.DateOnly), prev, out)
	})
	return out, created, err
}
