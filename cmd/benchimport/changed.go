package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// reimportChanged measures what the per-record audit of imports costs (issue 10 item 12): files of new
// people are imported, and the file is re-imported with every person changed (si_months + 1, + 2, …),
// alternately with the import audit triggers disabled and enabled; the times are printed.
func reimportChanged(base, token, prov, csvPath string, rows int, conn *pgx.Conn) error {
	ctx := context.Background()
	timed := func(delta int, audited bool) (time.Duration, int, error) {
		path := csvPath + fmt.Sprintf(".changed%d", delta)
		if err := shiftSIMonths(csvPath, path, delta); err != nil {
			return 0, 0, err
		}
		defer os.Remove(path)
		if !audited {
			if _, err := conn.Exec(ctx, `ALTER TABLE cadres DISABLE TRIGGER cadres_import_audit_update`); err != nil {
				return 0, 0, err
			}
			defer conn.Exec(ctx, `ALTER TABLE cadres ENABLE TRIGGER cadres_import_audit_update`)
		}
		var before int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE province_code = $1 AND entity = 'cadre' AND action = 'update'`, prov).Scan(&before); err != nil {
			return 0, 0, err
		}
		j, d, err := upload(base, token, prov, "cadres", path)
		if err != nil {
			return 0, 0, err
		}
		if j.Status != "succeeded" || j.RowsUpdated != rows {
			return 0, 0, fmt.Errorf("changed re-import did not update every row: %+v", j)
		}
		var after int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE province_code = $1 AND entity = 'cadre' AND action = 'update'`, prov).Scan(&after); err != nil {
			return 0, 0, err
		}
		return d, after - before, nil
	}
	// New people (national IDs moved past the file's), without and with the per-record create audit.
	inserted := func(offset int, audited bool) (time.Duration, error) {
		path := csvPath + fmt.Sprintf(".new%d", offset)
		if err := shiftNationalIDs(csvPath, path, offset); err != nil {
			return 0, err
		}
		defer os.Remove(path)
		if !audited {
			if _, err := conn.Exec(ctx, `ALTER TABLE cadres DISABLE TRIGGER cadres_import_audit_insert`); err != nil {
				return 0, err
			}
			defer conn.Exec(ctx, `ALTER TABLE cadres ENABLE TRIGGER cadres_import_audit_insert`)
		}
		j, d, err := upload(base, token, prov, "cadres", path)
		if err != nil {
			return 0, err
		}
		if j.Status != "succeeded" || j.RowsInserted != rows {
			return 0, fmt.Errorf("import of new people did not insert every row: %+v", j)
		}
		return d, nil
	}
	// Each pair twice, alternating, keeping the faster of each: the machine's noise is larger than the cost.
	best := func(a, b time.Duration) time.Duration {
		if a == 0 || b < a {
			return b
		}
		return a
	}
	if rows <= 200000 {
		var tNewPlain, tNewAudit time.Duration
		for i, offset := range []int{200000, 400000, 600000, 800000} {
			d, err := inserted(offset, i%2 == 1)
			if err != nil {
				return err
			}
			if i%2 == 1 {
				tNewAudit = best(tNewAudit, d)
			} else {
				tNewPlain = best(tNewPlain, d)
			}
		}
		fmt.Printf("import of %d new people, no audit:         %8.2f s\n", rows, tNewPlain.Seconds())
		fmt.Printf("import of %d new people, audited:          %8.2f s  (×%.2f, %.1f µs per row)\n", rows, tNewAudit.Seconds(),
			tNewAudit.Seconds()/tNewPlain.Seconds(), float64((tNewAudit-tNewPlain).Microseconds())/float64(rows))
	}
	var tPlain, tAudit time.Duration
	for delta := 1; delta <= 4; delta++ {
		audited := delta%2 == 0
		d, audits, err := timed(delta, audited)
		if err != nil {
			return err
		}
		if audited && audits != rows {
			return fmt.Errorf("the audited re-import wrote %d per-record audit rows, want %d", audits, rows)
		}
		if audited {
			tAudit = best(tAudit, d)
		} else {
			tPlain = best(tPlain, d)
		}
	}
	if err := dropNewPeople(ctx, conn, prov, rows); err != nil {
		return err
	}
	fmt.Printf("re-import, all %d rows changed, no audit:   %8.2f s\n", rows, tPlain.Seconds())
	fmt.Printf("re-import, all %d rows changed, audited:    %8.2f s  (%d before/after audit rows each; ×%.2f, %.1f µs per row)\n",
		rows, tAudit.Seconds(), rows, tAudit.Seconds()/tPlain.Seconds(), float64((tAudit-tPlain).Microseconds())/float64(rows))
	return nil
}

// dropNewPeople deletes the people the measurement above added (national ID serials from rows on) and
// vacuums the table: the province goes back to the people of the measured file, so that the posts
// benchmark that follows runs in a province the size of its file (as the small size does), not in one
// of five times as many people.
func dropNewPeople(ctx context.Context, conn *pgx.Conn, prov string, rows int) error {
	if _, err := conn.Exec(ctx, `DELETE FROM cadres WHERE province_code = $1 AND substr(national_id, 7, 6)::int >= $2`, prov, rows); err != nil {
		return fmt.Errorf("delete the people added to measure the audit: %w", err)
	}
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM cadres WHERE province_code = $1`, prov).Scan(&left); err != nil {
		return err
	}
	if left != rows {
		return fmt.Errorf("after the audit measurement the province has %d people, want %d", left, rows)
	}
	_, err := conn.Exec(ctx, `VACUUM ANALYZE cadres`)
	return err
}

// shiftSIMonths copies the generated CSV with delta added to the last column (si_months) of every row.
func shiftSIMonths(src, dst string, delta int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	w := bufio.NewWriterSize(out, 1<<20)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		if !first {
			i := strings.LastIndexByte(line, ',')
			n, err := strconv.Atoi(line[i+1:])
			if err != nil {
				return err
			}
			line = line[:i+1] + strconv.Itoa(n+delta)
		}
		w.WriteString(line)
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// shiftNationalIDs copies the generated CSV with offset added to the serial (last 6 digits) of every
// national ID, so that every row is a new person.
func shiftNationalIDs(src, dst string, offset int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	w := bufio.NewWriterSize(out, 1<<20)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		if !first {
			n, err := strconv.Atoi(line[6:12])
			if err != nil {
				return err
			}
			line = line[:6] + fmt.Sprintf("%06d", n+offset) + line[12:]
		}
		w.WriteString(line)
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}
