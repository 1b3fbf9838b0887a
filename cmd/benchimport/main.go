// Command benchimport measures the CSV import against PostgreSQL's own bulk load (make bench-import):
// it generates a synthetic cadres CSV of N rows, imports it through the HTTP endpoint into an empty
// province, loads the same file with psql \copy into a bare copy of the cadres table with the same
// indexes, re-imports the file (all rows unchanged), and prints the times, the ratio and the server's peak
// resident memory.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	var (
		base   = flag.String("url", "http://127.0.0.1:8080", "server base URL")
		token  = flag.String("token", "", "province_editor key of the province")
		prov   = flag.String("province", "98", "province code")
		rows   = flag.Int("rows", 200000, "rows to generate")
		dbURL  = flag.String("db", "", "superuser DATABASE_URL (for the psql \\copy baseline)")
		psql   = flag.String("psql", "psql", "psql binary")
		pid    = flag.Int("pid", 0, "server process id, for peak RSS")
		csvOut = flag.String("csv", "/tmp/communehr-bench-cadres.csv", "where to write the CSV")
	)
	flag.Parse()
	if err := run(*base, *token, *prov, *rows, *dbURL, *psql, *pid, *csvOut); err != nil {
		fmt.Fprintln(os.Stderr, "bench-import:", err)
		os.Exit(1)
	}
}

// generate writes n synthetic people with national IDs consistent with gender and birth year.
func generate(path string, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"}
	givens := []string{"An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Thảo"}
	fmt.Fprintln(w, "national_id,full_name,gender,birth_date,si_months")
	for i := 0; i < n; i++ {
		female := r.IntN(2) == 1
		year := 1960 + r.IntN(45)
		digit, gender, middle := 0, "male", "Văn"
		if year >= 2000 {
			digit = 2
		}
		if female {
			digit++
			gender, middle = "female", "Thị"
		}
		fmt.Fprintf(w, "001%d%02d%06d,%s %s %s,%s,%d-%02d-%02d,%d\n", digit, year%100, i, families[r.IntN(len(families))], middle,
			givens[r.IntN(len(givens))], gender, year, 1+r.IntN(12), 1+r.IntN(28), r.IntN(400))
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

type job struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	RowsTotal     int    `json:"rows_total"`
	RowsInserted  int    `json:"rows_inserted"`
	RowsUpdated   int    `json:"rows_updated"`
	RowsUnchanged int    `json:"rows_unchanged"`
	RowsFailed    int    `json:"rows_failed"`
	Errors        []any  `json:"errors"`
}

// upload posts the file and waits for the job to finish (polling a 202).
func upload(base, token, prov, path string) (job, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return job{}, 0, err
	}
	defer f.Close()
	start := time.Now()
	req, _ := http.NewRequest("POST", base+"/v1/provinces/"+prov+"/imports?kind=cadres", f)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return job{}, 0, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 && res.StatusCode != 202 {
		return job{}, 0, fmt.Errorf("upload: %d %s", res.StatusCode, body)
	}
	var j job
	if err := json.Unmarshal(body, &j); err != nil {
		return j, 0, err
	}
	loc := res.Header.Get("Location")
	for j.Status == "running" {
		time.Sleep(20 * time.Millisecond)
		req, _ := http.NewRequest("GET", base+loc, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return j, 0, err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if err := json.Unmarshal(body, &j); err != nil {
			return j, 0, err
		}
	}
	return j, time.Since(start), nil
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

func run(base, token, prov string, rows int, dbURL, psql string, pid int, csvPath string) error {
	size, err := generate(csvPath, rows)
	if err != nil {
		return err
	}
	defer os.Remove(csvPath)
	fmt.Printf("generated %d cadres rows (%.1f MB) in %s\n", rows, float64(size)/1e6, csvPath)

	j, tImport, err := upload(base, token, prov, csvPath)
	if err != nil {
		return err
	}
	if j.Status != "succeeded" || j.RowsInserted != rows {
		return fmt.Errorf("import did not insert every row: %+v", j)
	}

	// The baseline: psql \copy into a bare table with the same indexes (no RLS, no validation, no upsert).
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS bench_cadres_bare;
		CREATE TABLE bench_cadres_bare (LIKE cadres INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`); err != nil {
		return err
	}
	defer conn.Exec(ctx, `DROP TABLE IF EXISTS bench_cadres_bare`)
	copyCmd := fmt.Sprintf(`\copy bench_cadres_bare (national_id, full_name, gender, birth_date, si_months) FROM '%s' WITH (FORMAT csv, HEADER true)`, csvPath)
	cmd := exec.Command(psql, dbURL, "-v", "ON_ERROR_STOP=1", "-c",
		`ALTER TABLE bench_cadres_bare ALTER COLUMN province_code SET DEFAULT '`+prov+`'`, "-c", copyCmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("psql \\copy: %v: %s", err, out.String())
	}
	tCopy := time.Since(start)

	j2, tReimport, err := upload(base, token, prov, csvPath)
	if err != nil {
		return err
	}
	if j2.Status != "succeeded" || j2.RowsUnchanged != rows {
		return fmt.Errorf("re-import was not all unchanged: %+v", j2)
	}
	fmt.Printf("import through HTTP (%d rows inserted):   %8.2f s  (%.0f rows/s)\n", j.RowsInserted, tImport.Seconds(), float64(rows)/tImport.Seconds())
	fmt.Printf("psql \\copy into a bare table, same indexes: %8.2f s\n", tCopy.Seconds())
	fmt.Printf("ratio import / \\copy:                        %8.2f   (goal ≤ 2.0, stretch 1.5)\n", tImport.Seconds()/tCopy.Seconds())
	fmt.Printf("re-import, all %d rows unchanged:         %8.2f s\n", j2.RowsUnchanged, tReimport.Seconds())
	if err := reimportChanged(base, token, prov, csvPath, rows, conn); err != nil {
		return err
	}
	fmt.Printf("server peak RSS (VmHWM):                     %s   (goal < 150 MB)\n", peakRSS(pid))
	return nil
}
