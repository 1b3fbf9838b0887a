package api

import (
	"bytes"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// FuzzImportRows feeds arbitrary bytes through the CSV reader, the header mapping and the row validation
// of every import kind: nothing may panic, and every row either yields staging values of the right width
// or an error with its line.
func FuzzImportRows(f *testing.F) {
	f.Add([]byte(communesCSV), uint8(0))
	f.Add([]byte("national_id,full_name,gender,birth_date\n001080000001,Nguyễn Văn An,male,1980-05-17\n"), uint8(2))
	f.Add([]byte("Số định danh;Họ và tên;Giới tính;Ngày sinh\r\n001180000002;Lê Thị Hoa;Nữ;17/05/1980\r\n"), uint8(2))
	f.Add([]byte("code,commune_code,name,kind,households,effective_from\n\"00100-01\",00100,\"Thôn \"\"Đông\"\"\",thon,420,2025-07-01\n"), uint8(1))
	f.Add([]byte("national_id,position_code,hamlet_code,start_date\n001080000001,bi_thu_chi_bo,H1,2024-01-01\n"), uint8(3))
	f.Add([]byte("code,name\n\"unterminated,x\n"), uint8(0))
	f.Add([]byte("\xff\xfe\x00garbage"), uint8(1))
	kinds := []string{"communes", "hamlets", "cadres", "assignments"}
	positions := map[string]store.Position{
		"bi_thu_chi_bo":   {Code: "bi_thu_chi_bo", Level: "hamlet", PaidHamletPost: true},
		"pho_bi_thu_doan": {Code: "pho_bi_thu_doan", Level: "commune"},
	}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kind := importKinds[kinds[int(k)%len(kinds)]]
		_ = tabular.SniffEncoding(data)
		tr := tabular.NewReader(bytes.NewReader(data), tabular.DetectDelimiter(data))
		header, _, err := tr.Read()
		if err != nil {
			return
		}
		for i := range header {
			header[i] = tabular.CleanCell(header[i])
		}
		idx, herrs := kind.mapHeader(header)
		if len(herrs) > 0 {
			return
		}
		rejects, err := newRejectSpool()
		if err != nil {
			t.Fatal(err)
		}
		defer rejects.Close()
		rows := &csvRows{tr: tr, kind: kind, idx: idx, header: header, rejects: rejects,
			rc: &rowContext{province: "01", today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), positions: positions}}
		spec := store.ImportSpecs[kind.name]
		src := store.StageCopySource(spec, rows)
		for src.Next() {
			v, _ := src.Values()
			if len(v) != len(spec.StageCols) {
				t.Fatalf("%s row has %d values, staging has %d columns", kind.name, len(v), len(spec.StageCols))
			}
		}
		if err := src.Err(); err != nil {
			t.Fatal(err)
		}
		it, err := rejects.open()
		if err != nil {
			t.Fatal(err)
		}
		for it.Next() {
			for _, e := range it.Row().Errors {
				if e.Line < 2 || e.Code == "" || e.MessageEN == "" || e.MessageVI == "" {
					t.Fatalf("row error %+v", e)
				}
			}
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	})
}
