package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/msg"
)

// A people import may date a return to work (active_from, issue 11 item 2), as PATCH …/cadres/{id} does;
// the status history is then kept by the same triggers on cadres (migration 0029). The rules that need
// the register — a return follows a leaving, and comes after it — are the API's checkReturn, run here over
// the file at once; the row itself (active_from only with the status active) is checked by the row's
// converter.

// cadreReturnRows refuses the rows whose active_from (changed from the register's) is not a return: the
// person never left (or is new), or the date is not after their latest leaving; and a leaving dated on or
// before the person's recorded return (checkCadre's rule, with the register's active_from). Then a row
// whose cell is empty takes the register's date: a file without the column leaves a recorded return as
// it is (the upsert writes, and the integrity check compares, the staged value).
func cadreReturnRows(ctx context.Context, tx *Tx) ([]RowError, error) {
	out, err := cadreReturnChecks(ctx, tx)
	if err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, cadreReturnFillSQL, tx.P.Province)
	return out, err
}

// The statements of the checks ($1 = province), one hash join each over the file and the register.
const (
	cadreReturnSQL = `
		WITH lv AS (SELECT h.cadre_id, max(h.valid_from) AS f FROM cadre_status_history h
		  WHERE h.province_code = $1 AND h.status <> 'active' GROUP BY h.cadre_id)
		SELECT s.line, lv.f FROM import_stage s
		LEFT JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
		LEFT JOIN lv ON lv.cadre_id = c.id
		WHERE s.active_from IS NOT NULL AND c.active_from IS DISTINCT FROM s.active_from
		  AND (lv.f IS NULL OR s.active_from <= lv.f)
		ORDER BY s.line`
	cadreLeftBeforeReturnSQL = `SELECT s.line, c.active_from FROM import_stage s
		JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
		WHERE s.status <> 'active' AND s.left_on <= c.active_from ORDER BY s.line`
	cadreReturnFillSQL = `UPDATE import_stage s SET active_from = c.active_from FROM cadres c
		WHERE c.province_code = $1 AND c.national_id = s.national_id AND s.active_from IS NULL AND c.active_from IS NOT NULL`
)

func cadreReturnChecks(ctx context.Context, tx *Tx) ([]RowError, error) {
	rows, err := tx.Query(ctx, cadreReturnSQL, tx.P.Province)
	if err != nil {
		return nil, err
	}
	out, err := returnErrors(rows)
	if err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, cadreLeftBeforeReturnSQL, tx.P.Province)
	if err != nil {
		return nil, err
	}
	left, err := pgx.CollectRows(rows, pgx.RowToStructByPos[lineDate])
	for _, l := range left {
		m := msg.New("cadre.left_on_before_return", bothDates(l.Date))
		out = append(out, RowError{Line: l.Line, Column: "left_on", Code: "after_active_from", MessageEN: m.Render(msg.EN), MessageVI: m.Render(msg.VI)})
	}
	return out, err
}

type lineDate struct {
	Line int
	Date *time.Time
}

// bothDates is a date as each language writes it.
func bothDates(d *time.Time) msg.Text {
	return msg.Text{VI: d.Format("02/01/2006"), EN: d.Format(time.DateOnly)}
}

// returnErrors words the rows of a return that is none (Date: the latest leaving, if any).
func returnErrors(rows pgx.Rows) ([]RowError, error) {
	type bad struct {
		Line int
		Left *time.Time
	}
	found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[bad])
	if err != nil {
		return nil, err
	}
	out := make([]RowError, 0, len(found))
	for _, b := range found {
		code, m := "not_left", msg.New("cadre.active_from_not_left")
		if b.Left != nil {
			code, m = "after_left_on", msg.New("cadre.active_from_before_leaving", bothDates(b.Left))
		}
		out = append(out, RowError{Line: b.Line, Column: "active_from", Code: code, MessageEN: m.Render(msg.EN), MessageVI: m.Render(msg.VI)})
	}
	return out, nil
}
