// Command benchxlsx measures the .xlsx import against the same rows as CSV (make bench-xlsx): it generates
// N synthetic people, writes them as a CSV and as a workbook (excelize's StreamWriter, dates typed as
// dates, CCCDs as text), imports the workbook into one empty province and the CSV into another through
// the HTTP endpoint, and prints both times, their ratio and the server's peak resident memory after
// each (the workbook first, so the peak after it is the workbook's).
package main

import (
	"bufio"
	"communehr/internal/benchutil"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	var (
		base  = flag.String("url", "http://127.0.0.1:8080", "server base URL")
		tokX  = flag.String("token-xlsx", "", "province_editor key of the province the workbook goes to")
		provX = flag.String("province-xlsx", "97", "province for the workbook")
		tokC  = flag.String("token-csv", "", "province_editor key of the province the CSV goes to")
		provC = flag.String("province-csv", "98", "province for the CSV")
		rows  = flag.Int("rows", 100000, "rows to generate")
		dir   = flag.String("dir", os.TempDir(), "where to write the files")
		pid   = flag.Int("pid", 0, "server process id, for peak RSS")
	)
	flag.Parse()
	if err := run(*base, *tokX, *provX, *tokC, *provC, *rows, *dir, *pid); err != nil {
		fmt.Fprintln(os.Stderr, "bench-xlsx:", err)
		os.Exit(1)
	}
}

type person struct {
	nid, name, gender string
	birth             time.Time
	si                int
}

func people(n int) []person {
	r := rand.New(rand.NewPCG(1, 2))
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"}
	givens := []string{"An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Thảo"}
	out := make([]person, n)
	for i := range out {
		female := r.IntN(2) == 1
		year := 1960 + r.IntN(45)
		digit, gender, middle := 0, "Nam", "Văn"
		if year >= 2000 {
			digit = 2
		}
		if female {
			digit++
			gender, middle = "Nữ", "Thị"
		}
		out[i] = person{fmt.Sprintf("001%d%02d%06d", digit, year%100, i),
			families[r.IntN(len(families))] + " " + middle + " " + givens[r.IntN(len(givens))], gender,
			time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC), r.IntN(400)}
	}
	return out
}

var header = []string{"Số CCCD", "Họ và tên", "Giới tính", "Ngày sinh", "Số tháng đóng BHXH"}

func writeCSV(path string, ps []person) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, strings.Join(header, ","))
	for _, p := range ps {
		fmt.Fprintf(w, "%s,%s,%s,%s,%d\n", p.nid, p.name, p.gender, p.birth.Format("02/01/2006"), p.si)
	}
	return w.Flush()
}

func writeXLSX(path string, ps []person) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for i, p := range ps {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{p.nid, p.name, p.gender, excelize.Cell{StyleID: dateStyle, Value: p.birth}, p.si}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

type job struct {
	Status       string `json:"status"`
	RowsInserted int    `json:"rows_inserted"`
	Errors       []any  `json:"errors"`
}

func upload(base, token, prov, path, ct string) (job, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return job{}, 0, err
	}
	defer f.Close()
	start := time.Now()
	req, _ := http.NewRequest("POST", base+"/v1/provinces/"+prov+"/imports?kind=cadres", f)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ct)
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
	if err := benchutil.PollJob(base, token, res.Header.Get("Location"), &j, func() string { return j.Status }); err != nil {
		return j, 0, err
	}
	return j, time.Since(start), nil
}

func peakRSS(pid int) string {
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

func size(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / 1e6
}

func run(base, tokX, provX, tokC, provC string, rows int, dir string, pid int) error {
	ps := people(rows)
	csvPath, xlsxPath := dir+"/bench-cadres.csv", dir+"/bench-cadres.xlsx"
	if err := writeCSV(csvPath, ps); err != nil {
		return err
	}
	if err := writeXLSX(xlsxPath, ps); err != nil {
		return err
	}
	defer os.Remove(csvPath)
	defer os.Remove(xlsxPath)
	fmt.Printf("generated %d cadres rows: CSV %.1f MB, xlsx %.1f MB\n", rows, size(csvPath), size(xlsxPath))
	fmt.Printf("server peak RSS before:                 %s\n", peakRSS(pid))
	jx, tx, err := upload(base, tokX, provX, xlsxPath, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if err != nil {
		return err
	}
	if jx.Status != "succeeded" || jx.RowsInserted != rows {
		return fmt.Errorf("xlsx import did not insert every row: %+v", jx)
	}
	rssX := peakRSS(pid)
	jc, tc, err := upload(base, tokC, provC, csvPath, "text/csv")
	if err != nil {
		return err
	}
	if jc.Status != "succeeded" || jc.RowsInserted != rows {
		return fmt.Errorf("csv import did not insert every row: %+v", jc)
	}
	fmt.Printf("xlsx import (%d rows inserted):   %8.2f s   server peak RSS after it: %s (goal < 300 MB)\n", rows, tx.Seconds(), rssX)
	fmt.Printf("CSV import  (%d rows inserted):   %8.2f s\n", rows, tc.Seconds())
	fmt.Printf("ratio xlsx / CSV:                        %8.2f   (goal ≤ 1.5)\n", tx.Seconds()/tc.Seconds())
	return exportBench(base, tokX, provX, pid)
}
