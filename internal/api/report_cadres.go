package api

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// mountExports registers the list exports under /v1/provinces/{province}/exports (issue 13 item 4).
func (s *Server) mountExports(r chi.Router) {
	r.Get("/exports/cadres", handle(s.exportCadres))
	r.Get("/exports/payroll/{commune}", handle(s.exportPayroll))
}

// exportCadresPage is how many people are read from the database at a time: memory stays bounded
// whatever the province's size.
const exportCadresPage = 2000

var exportCadreCols = []string{"national_id", "full_name", "gender", "birth_date", "si_months", "status", "left_on"}

// exportCadres writes the province's people as CSV or as an xlsx workbook (format=, or Accept), with the
// columns of the people import, so the file can be edited and uploaded again; lang=vi writes the
// template's Vietnamese headers and labels. Both stream: the workbook through excelize's StreamWriter
// (rows spill to a temporary file), the CSV straight to the client. A viewer sees identity numbers masked.
func (s *Server) exportCadres(w http.ResponseWriter, r *http.Request) error {
	format, err := tableFormat(r)
	if err != nil {
		return err
	}
	p := principalFrom(r.Context())
	province := chi.URLParam(r, "province")
	mask := masksNationalID(p)
	vi := vietnamese(r)
	delim := ','
	if ew, ok := w.(*exportWriter); ok {
		delim = ew.prefs.delim
	}
	first, err := s.store.ListCadres(r.Context(), p, province, store.CadreFilter{Limit: exportCadresPage})
	if err != nil {
		return err
	}
	header := make([]string, len(exportCadreCols))
	for i, c := range exportCadreCols {
		header[i] = c
		if vi {
			header[i] = templateHeader("cadres", c)
		}
	}
	// each calls fn for every person, page by page.
	each := func(fn func(store.Cadre) error) error {
		page := first
		for {
			for _, c := range page {
				if err := fn(c); err != nil {
					return err
				}
			}
			if len(page) < exportCadresPage {
				return nil
			}
			var err error
			if page, err = s.store.ListCadres(r.Context(), p, province,
				store.CadreFilter{Limit: exportCadresPage, After: page[len(page)-1].ID}); err != nil {
				return err
			}
		}
	}
	label := func(col, v string) string {
		if !vi {
			return v
		}
		for _, l := range enumLabels["cadres."+col] {
			if l.code == v {
				return l.vi
			}
		}
		return v
	}
	nid := func(c store.Cadre) string {
		if mask {
			return store.MaskNationalID(c.NationalID)
		}
		return c.NationalID
	}
	name := "cadres-" + province
	if format != "xlsx" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".csv"))
		w.WriteHeader(http.StatusOK)
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString("\uFEFF")
		cw := csv.NewWriter(bw)
		cw.Comma = delim
		_ = cw.Write(header)
		day := func(t *time.Time) string {
			if t == nil {
				return ""
			}
			if vi {
				return t.Format("02/01/2006")
			}
			return t.Format("2006-01-02")
		}
		err := each(func(c store.Cadre) error {
			b := c.BirthDate
			return cw.Write([]string{nid(c), csvCell(c.FullName), label("gender", c.Gender), day(&b), strconv.Itoa(c.SIMonths),
				label("status", c.Status), day(c.LeftOn)})
		})
		cw.Flush()
		if err == nil {
			err = bw.Flush()
		}
		return err // after the header is sent, a failure can only cut the file short (logged)
	}

	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	headStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	dateFmt := "yyyy-mm-dd"
	if vi {
		dateFmt = "dd/mm/yyyy"
	}
	date, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	for i, wd := range []float64{16, 30, 10, 12, 12, 16, 12} {
		_ = sw.SetColWidth(i+1, i+1, wd)
	}
	_ = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	title := pick(vi, "People of province "+province, "Danh sách người hoạt động không chuyên trách, tỉnh "+province)
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: titleStyle, Value: title}}); err != nil {
		return err
	}
	hr := make([]any, len(header))
	for i, h := range header {
		hr[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := sw.SetRow("A2", hr); err != nil {
		return err
	}
	row := 2
	err = each(func(c store.Cadre) error {
		row++
		var left any
		if c.LeftOn != nil {
			left = excelize.Cell{StyleID: date, Value: *c.LeftOn}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, []any{excelize.Cell{StyleID: text, Value: nid(c)}, c.FullName, label("gender", c.Gender),
			excelize.Cell{StyleID: date, Value: c.BirthDate}, c.SIMonths, label("status", c.Status), left})
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".xlsx"))
	w.WriteHeader(http.StatusOK)
	return f.Write(w)
}
