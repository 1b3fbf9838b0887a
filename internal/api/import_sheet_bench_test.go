package api

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

// BenchmarkCommuneSheet imports SHEET_PEOPLE people (default 5,000) with two commune posts each as one
// commune sheet (2 rows a person), then the same data as a people file and a posts file, each twice (new,
// then unchanged), and reports the seconds of each:
//
//	TEST_DATABASE_URL=… SHEET_PEOPLE=20000 go test ./internal/api -run '^$' -bench CommuneSheet -benchtime 1x
func BenchmarkCommuneSheet(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("SHEET_PEOPLE"))
	if n <= 0 {
		n = 5000
	}
	e := newEnv(b)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	sheet, people, posts := sheetBenchFiles(n)
	up := func(q, body string) float64 {
		t0 := time.Now()
		var j importJobResponse
		e.upload(ed, q, []byte(body)).json(b, &j)
		if j.Status != "succeeded" {
			b.Fatalf("%s: %+v", q, j)
		}
		return time.Since(t0).Seconds()
	}
	up("kind=communes", communesCSV)
	clear := func() {
		if _, err := e.admin.Exec(context.Background(), `DELETE FROM assignments; DELETE FROM cadres`); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < b.N; i++ {
		clear()
		s, s2 := up("kind=commune-sheet&commune=00100", sheet), up("kind=commune-sheet&commune=00100", sheet)
		clear()
		c, a := up("kind=cadres", people), up("kind=assignments", posts)
		c2, a2 := up("kind=cadres", people), up("kind=assignments", posts)
		b.ReportMetric(s, "sheet-s")
		b.ReportMetric(s2, "sheet-again-s")
		b.ReportMetric(c+a, "two-files-s")
		b.ReportMetric(c2+a2, "two-files-again-s")
	}
}

// sheetBenchFiles writes n people with two commune posts each as a sheet, a people file and a posts file.
func sheetBenchFiles(n int) (string, string, string) {
	var sheet, people, posts strings.Builder
	sheet.WriteString("national_id,full_name,gender,birth_date,position_code,start_date\n")
	people.WriteString("national_id,full_name,gender,birth_date\n")
	posts.WriteString("national_id,position_code,commune_code,start_date\n")
	for i := 0; i < n; i++ {
		nid := fmt.Sprintf("0010800%05d", i)
		sheet.WriteString(nid + ",Nguyễn Văn An,male,1980-05-17,van_phong_dang_uy,2024-01-01\n" + nid + ",,,,phu_trach_truyen_thanh,2024-01-01\n")
		people.WriteString(nid + ",Nguyễn Văn An,male,1980-05-17\n")
		posts.WriteString(nid + ",van_phong_dang_uy,00100,2024-01-01\n" + nid + ",phu_trach_truyen_thanh,00100,2024-01-01\n")
	}
	return sheet.String(), people.String(), posts.String()
}
