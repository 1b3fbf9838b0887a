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

// reimportChanged measures what the per-record audit of imports costs (issue 10 item 12): the file is
// re-imported twice with every person changed (si_months + 1, then + 2), once with the import audit
// triggers disabled and once with them, and the two times and the audit rows written are printed.
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
		j, d, err := upload(base, token, prov, path)
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
	tPlain, _, err := timed(1, false)
	if err != nil {
		return err
	}
	tAudit, audits, err := timed(2, true)
	if err != nil {
		return err
	}
	if audits != rows {
		return fmt.Errorf("the audited re-import wrote %d per-record audit rows, want %d", audits, rows)
	}
	fmt.Printf("re-import, all %d rows changed, no audit:   %8.2f s\n", rows, tPlain.Seconds())
	fmt.Printf("re-import, all %d rows changed, audited:    %8.2f s  (%d before/after audit rows; ×%.2f, %.1f µs per row)\n",
		rows, tAudit.Seconds(), audits, tAudit.Seconds()/tPlain.Seconds(), float64((tAudit-tPlain).Microseconds())/float64(rows))
	return nil
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
