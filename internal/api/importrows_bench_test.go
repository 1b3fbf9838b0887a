package api

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// BenchmarkStageRows reads, validates and turns into COPY values stageBenchRows rows of a kind, as an
// import does before PostgreSQL sees them (no database): the Go side of staging, per row. Compare runs
// with benchstat:
//
//	go test ./internal/api -run '^$' -bench StageRows -count 6
func BenchmarkStageRows(b *testing.B) {
	positions := map[string]store.Position{"pho_bi_thu_doan": {Code: "pho_bi_thu_doan", Level: "commune"}}
	for _, c := range []struct {
		kind, header string
		row          func(i int) string
	}{
		{"cadres", "national_id,full_name,gender,birth_date,si_months,status,si_total_months,decree29_paid,merged_unit_surplus",
			func(i int) string {
				return fmt.Sprintf("0010800%05d,Nguyễn Văn An,male,1980-05-17,120,active,130,false,true", i)
			}},
		{"assignments", "national_id,position_code,commune_code,start_date,end_date,allowance_override",
			func(i int) string {
				return fmt.Sprintf("0010800%05d,pho_bi_thu_doan,00100,2024-01-01,2025-06-30,1250000", i)
			}},
		{"communes", "code,name,kind,class,population,area_km2,effective_from,border",
			func(i int) string { return fmt.Sprintf("%05d,Xã Số %d,xa,2,12000,45.25,2025-07-01,true", i, i) }},
	} {
		var sb strings.Builder
		sb.WriteString(c.header + "\n")
		for i := range stageBenchRows {
			sb.WriteString(c.row(i) + "\n")
		}
		data := []byte(sb.String())
		b.Run(c.kind, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if n := stageBenchRun(b, importKinds[c.kind], data, positions); n != stageBenchRows {
					b.Fatalf("%d of %d rows staged", n, stageBenchRows)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*stageBenchRows), "ns/row")
		})
	}
}

const stageBenchRows = 10000

// stageBenchRun stages data's rows as an import does and returns how many gave COPY values.
func stageBenchRun(b *testing.B, kind *importKind, data []byte, positions map[string]store.Position) int {
	tr := tabular.NewReader(bytes.NewReader(data), ',')
	header, _, err := tr.Read()
	if err != nil {
		b.Fatal(err)
	}
	idx, herrs := kind.mapHeader(header)
	if len(herrs) > 0 {
		b.Fatal(herrs)
	}
	rejects, err := newRejectSpool()
	if err != nil {
		b.Fatal(err)
	}
	defer rejects.Close()
	rows := &csvRows{tr: tr, kind: kind, idx: idx, header: header, rejects: rejects,
		rc: &rowContext{province: "01", today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), positions: positions}}
	defer rows.Close()
	src := store.StageCopySource(store.ImportSpecs[kind.name], rows)
	n := 0
	for src.Next() {
		if v, _ := src.Values(); len(v) > 0 {
			n++
		}
	}
	if err := src.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}
