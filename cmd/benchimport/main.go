// Command benchimport measures the CSV import of every kind (make bench-import): for two sizes (a small
// and a large one, each in its own empty province) it generates valid synthetic files — communes,
// hamlets in those communes, people, and posts of those people in those hamlets and communes — imports
// each through the HTTP endpoint, re-imports it (every row unchanged), and prints each kind's time per
// row at both sizes, the growth from the small size to the large one (goal ≤ 1.5×: the checks are
// O(n log n)), posts against people at the same size (goal ≤ 3×), the psql \copy baseline for people,
// and the server's peak resident memory. Processor time (server and database) per row is printed beside the
// elapsed time, with the same ratios as information lines (cpu.go). Each figure is the best of -repeat runs (the machine may be busy). Each goal is printed as a PASS or FAIL line; any FAIL exits 1.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Goals of issue 10 item 3.
const (
	maxGrowth        = 1.5 // time per row, large size / small size, for every kind
	maxPostsVsPeople = 3.0 // assignments / cadres time per row at the same size
)

var kinds = []string{"communes", "hamlets", "cadres", "assignments"}

type size struct {
	province, token string
	rows            int
}

// result is one kind at one size.
type result struct {
	rows               int
	tImport, tReimport time.Duration
	cImport, cReimport time.Duration // processor time of the server and the database (cpu.go)
	tCopy              time.Duration // cadres only: psql \copy of the same file into a bare table
}

func (r result) perRow(d time.Duration) float64 { return float64(d.Microseconds()) / float64(r.rows) }

func main() {
	var (
		base   = flag.String("url", "http://127.0.0.1:8080", "server base URL")
		small  = flag.String("small", "97", "province code for the small size")
		large  = flag.String("large", "98", "province code for the large size")
		tokS   = flag.String("token-small", "", "province_editor key of the small province")
		tokL   = flag.String("token-large", "", "province_editor key of the large province")
		rowsS  = flag.Int("rows-small", 50000, "rows per kind at the small size")
		rowsL  = flag.Int("rows-large", 200000, "rows per kind at the large size")
		dbURL  = flag.String("db", "", "superuser DATABASE_URL (for the psql \\copy baseline)")
		psql   = flag.String("psql", "psql", "psql binary")
		pid    = flag.Int("pid", 0, "server process id, for peak RSS and processor time")
		pgPid  = flag.Int("pgpid", 0, "the database cluster's postmaster process id, for processor time")
		dir    = flag.String("dir", os.TempDir(), "where to write the CSV files")
		repeat = flag.Int("repeat", 3, "measure each import and re-import this many times, keep the best")
		kindsF = flag.String("kinds", strings.Join(kinds, ","), "kinds to measure (the kinds they need are imported too, unmeasured)")
	)
	flag.Parse()
	sizes := []size{{*small, *tokS, *rowsS}, {*large, *tokL, *rowsL}}
	b := &bench{base: *base, dbURL: *dbURL, psql: *psql, dir: *dir, largest: *rowsL, kinds: strings.Split(*kindsF, ","),
		repeat: max(*repeat, 1), cpu: cpuClock{server: *pid, postmaster: *pgPid}}
	ok, err := b.run(sizes, *pid)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-import:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

type bench struct {
	base, dbURL, psql, dir string
	largest, repeat        int
	kinds                  []string
	cpu                    cpuClock
}

func (b *bench) has(kind string) bool {
	for _, k := range b.kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func (b *bench) run(sizes []size, pid int) (bool, error) {
	res := map[string][]result{}
	last := -1
	for i, kind := range kinds {
		if b.has(kind) {
			last = i
		}
	}
	// Kind by kind, both sizes one after the other, so that the two figures compared are measured under
	// the same load.
	for _, kind := range kinds[:last+1] {
		for _, sz := range sizes {
			r, err := b.size(sz, kind)
			if err != nil {
				return false, err
			}
			if b.has(kind) {
				res[kind] = append(res[kind], r)
			}
		}
	}
	fmt.Println()
	fmt.Printf("%-12s %9s %10s %9s %12s %9s %12s %12s\n", "kind", "rows", "import s", "µs/row", "re-import s", "µs/row",
		"cpu µs/row", "re-imp. cpu")
	for _, k := range kinds {
		for _, r := range res[k] {
			fmt.Printf("%-12s %9d %10.2f %9.1f %12.2f %9.1f %12.1f %12.1f\n", k, r.rows, r.tImport.Seconds(), r.perRow(r.tImport),
				r.tReimport.Seconds(), r.perRow(r.tReimport), r.perRow(r.cImport), r.perRow(r.cReimport))
		}
	}
	for _, r := range res["cadres"] {
		fmt.Printf("cadres %d rows: psql \\copy into a bare table, same indexes: %.2f s; ratio import / \\copy %.2f (goal ≤ 2.0, stretch 1.5)\n",
			r.rows, r.tCopy.Seconds(), r.tImport.Seconds()/r.tCopy.Seconds())
	}
	fmt.Println()
	ok := true
	check := func(pass bool, format string, args ...any) {
		verdict := "PASS"
		if !pass {
			verdict, ok = "FAIL", false
		}
		fmt.Printf("%s  "+format+"\n", append([]any{verdict}, args...)...)
	}
	for _, k := range kinds {
		r := res[k]
		if len(r) != 2 {
			continue
		}
		for _, what := range []string{"import", "re-import"} {
			small, large := r[0].perRow(r[0].tImport), r[1].perRow(r[1].tImport)
			if what == "re-import" {
				small, large = r[0].perRow(r[0].tReimport), r[1].perRow(r[1].tReimport)
			}
			g := large / small
			check(g <= maxGrowth, "%-11s %-9s time per row grows %.2f× from %d to %d rows (%.1f → %.1f µs; goal ≤ %.1f×)",
				k, what, g, r[0].rows, r[1].rows, small, large, maxGrowth)
		}
	}
	for i := range sizes {
		if len(res["cadres"]) <= i || len(res["assignments"]) <= i {
			continue
		}
		c, a := res["cadres"][i], res["assignments"][i]
		x := a.perRow(a.tImport) / c.perRow(c.tImport)
		check(x <= maxPostsVsPeople, "assignments import at %d rows takes %.2f× the time per row of cadres (goal ≤ %.0f×)", a.rows, x, maxPostsVsPeople)
	}
	if b.cpu.postmaster != 0 {
		cpuLines(res, len(sizes))
	}
	fmt.Printf("server peak RSS (VmHWM): %s   (goal < 150 MB)\n", peakRSS(pid))
	return ok, nil
}

// cpuLines prints the same ratios as the goals over processor time instead of elapsed time (information:
// on a busy machine they show the import's own work apart from its waits for a processor).
func cpuLines(res map[string][]result, sizes int) {
	for _, k := range kinds {
		r := res[k]
		if len(r) != 2 {
			continue
		}
		for _, what := range []string{"import", "re-import"} {
			small, large := r[0].perRow(r[0].cImport), r[1].perRow(r[1].cImport)
			if what == "re-import" {
				small, large = r[0].perRow(r[0].cReimport), r[1].perRow(r[1].cReimport)
			}
			fmt.Printf("cpu   %-11s %-9s processor time per row grows %.2f× from %d to %d rows (%.1f → %.1f µs)\n",
				k, what, large/small, r[0].rows, r[1].rows, small, large)
		}
	}
	for i := 0; i < sizes; i++ {
		if len(res["cadres"]) > i && len(res["assignments"]) > i {
			c, a := res["cadres"][i], res["assignments"][i]
			fmt.Printf("cpu   assignments import at %d rows takes %.2f× the processor time per row of cadres\n", a.rows,
				a.perRow(a.cImport)/c.perRow(c.cImport))
		}
	}
}

// size imports one kind at one size into the size's province (measured, unless only a later kind needs
// its rows).
func (b *bench) size(sz size, kind string) (result, error) {
	nc := communeRows(sz.rows, b.largest)
	path := filepath.Join(b.dir, fmt.Sprintf("bench-%s-%s.csv", sz.province, kind))
	defer os.Remove(path)
	n := sz.rows
	var bytes int64
	var err error
	switch kind {
	case "communes":
		n = nc
		bytes, err = genCommunes(path, n)
	case "hamlets":
		bytes, err = genHamlets(path, n, nc)
	case "cadres":
		bytes, err = genCadres(path, n)
	case "assignments":
		bytes, err = genAssignments(path, n, sz.rows, nc)
	}
	if err != nil {
		return result{}, err
	}
	if !b.has(kind) {
		j, _, err := upload(b.base, sz.token, sz.province, kind, path)
		if err == nil && (j.Status != "succeeded" || j.RowsInserted != n) {
			err = fmt.Errorf("%s import did not insert every row: %s", kind, j)
		}
		return result{}, err
	}
	fmt.Printf("province %s: %d %s rows (%.1f MB) … ", sz.province, n, kind, float64(bytes)/1e6)
	r, err := b.kind(sz, kind, path, n)
	if err != nil {
		return r, err
	}
	fmt.Printf("import %.2f s, re-import %.2f s (best of %d)\n", r.tImport.Seconds(), r.tReimport.Seconds(), b.repeat)
	return r, nil
}

// tables are the table of each kind, emptied between two measured imports.
var tables = map[string]string{"communes": "communes", "hamlets": "hamlets", "cadres": "cadres", "assignments": "assignments"}

// kind measures one file: the best of b.repeat imports into an empty table (the rows are deleted and the
// table vacuumed in between) and of b.repeat re-imports (every row unchanged); for people, the best of
// b.repeat psql \copy loads too.
func (b *bench) kind(sz size, kind, path string, n int) (result, error) {
	r := result{rows: n}
	for i := 0; i < b.repeat; i++ {
		if i > 0 {
			if err := b.empty(sz.province, kind); err != nil {
				return r, err
			}
		}
		c0 := b.cpu.now()
		j, t, err := upload(b.base, sz.token, sz.province, kind, path)
		if err != nil {
			return r, err
		}
		if j.Status != "succeeded" || j.RowsInserted != n {
			return r, fmt.Errorf("%s import did not insert every row: %s", kind, j)
		}
		r.tImport, r.cImport = best(r.tImport, t), best(r.cImport, b.cpu.now()-c0)
	}
	for i := 0; kind == "cadres" && i < b.repeat; i++ {
		t, err := b.copyBaseline(sz.province, path)
		if err != nil {
			return r, err
		}
		r.tCopy = best(r.tCopy, t)
	}
	for i := 0; i < b.repeat; i++ {
		c0 := b.cpu.now()
		j, t, err := upload(b.base, sz.token, sz.province, kind, path)
		if err != nil {
			return r, err
		}
		if j.Status != "succeeded" || j.RowsUnchanged != n {
			return r, fmt.Errorf("%s re-import was not all unchanged: %s", kind, j)
		}
		r.tReimport, r.cReimport = best(r.tReimport, t), best(r.cReimport, b.cpu.now()-c0)
	}
	if kind == "cadres" && n == b.largest && b.dbURL != "" {
		// What the per-record import audit costs: re-imports with every person changed (changed.go).
		conn, err := pgx.Connect(context.Background(), b.dbURL)
		if err != nil {
			return r, err
		}
		defer conn.Close(context.Background())
		if err := reimportChanged(b.base, sz.token, sz.province, path, n, conn); err != nil {
			return r, err
		}
	}
	return r, nil
}

func best(a, b time.Duration) time.Duration {
	if a == 0 || b < a {
		return b
	}
	return a
}

// empty deletes a province's rows of one kind (as the owner) and vacuums the table.
func (b *bench) empty(province, kind string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, b.dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DELETE FROM `+tables[kind]+` WHERE province_code = $1`, province); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `VACUUM `+tables[kind])
	return err
}

// copyBaseline loads the people file with psql \copy into a bare copy of the cadres table with the same
// indexes (no RLS, no validation, no upsert).
func (b *bench) copyBaseline(province, path string) (time.Duration, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, b.dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS bench_cadres_bare;
		CREATE TABLE bench_cadres_bare (LIKE cadres INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`); err != nil {
		return 0, err
	}
	defer conn.Exec(ctx, `DROP TABLE IF EXISTS bench_cadres_bare`)
	copyCmd := fmt.Sprintf(`\copy bench_cadres_bare (national_id, full_name, gender, birth_date, si_months) FROM '%s' WITH (FORMAT csv, HEADER true)`, path)
	cmd := exec.Command(b.psql, b.dbURL, "-v", "ON_ERROR_STOP=1", "-c",
		`ALTER TABLE bench_cadres_bare ALTER COLUMN province_code SET DEFAULT '`+province+`'`, "-c", copyCmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("psql \\copy: %v: %s", err, out.String())
	}
	return time.Since(start), nil
}

func peakRSS(pid int) string {
	if pid == 0 {
		return "unknown"
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}
