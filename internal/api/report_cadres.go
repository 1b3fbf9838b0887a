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
	r.Get("/reports/exit-appraisal", handle(s.exitAppraisal))
	r.Get("/reports/decree33-funding", handle(s.decree33Funding))
	r.Get("/reports/decision-appraisal", handle(s.decisionAppraisal))
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
	x := &cadreExport{s: s, r: r, p: p, province: chi.URLParam(r, "province"), mask: masksNationalID(p), vi: vietnamese(r)}
	if x.first, err = s.store.ListCadres(r.Context(), p, x.province, store.CadreFilter{Limit: exportCadresPage}); err != nil {
		return err
	}
	x.header = make([]string, len(exportCadreCols))
	for i, c := range exportCadreCols {
		x.header[i] = c
		if x.vi {
			x.header[i] = templateHeader("cadres", c)
		}
	}
	if format == "xlsx" {
		return x.writeXLSX(w)
	}
	delim := ','
	if ew, ok := w.(*exportWriter); ok {
		delim = ew.prefs.delim
	}
	return x.writeCSV(w, delim)
}

// cadreExport is one export of the province's people: read page by page, written as CSV or xlsx.
type cadreExport struct {
	s        *Server
	r        *http.Request
	p        store.Principal
	province string
	mask, vi bool
	header   []string
	first    []store.Cadre
}

// each calls fn for every person, page by page.
func (x *cadreExport) each(fn func(store.Cadre) error) error {
	page := x.first
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
		if page, err = x.s.store.ListCadres(x.r.Context(), x.p, x.province,
			store.CadreFilter{Limit: exportCadresPage, After: page[len(page)-1].ID}); err != nil {
			return err
		}
	}
}

// label is a code's Vietnamese label in a Vietnamese export, the code otherwise.
func (x *cadreExport) label(col, v string) string {
	if !x.vi {
		return v
	}
	for _, l := range enumLabels["cadres."+col] {
		if l.code == v {
			return l.vi
		}
	}
	return v
}

// nid is the identity number, masked for a key that sees it masked.
func (x *cadreExport) nid(c store.Cadre) string {
	if x.mask {
		return store.MaskNationalID(c.NationalID)
	}
	return c.NationalID
}

// writeCSV streams the people as CSV (BOM, the delimiter asked for, dates as the reader writes them).
func (x *cadreExport) writeCSV(w http.ResponseWriter, delim rune) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "cadres-"+x.province+".csv"))
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.Comma = delim
	_ = cw.Write(x.header)
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		if x.vi {
			return t.Format("02/01/2006")
		}
		return t.Format("2006-01-02")
	}
	err := x.each(func(c store.Cadre) error {
		b := c.BirthDate
		return cw.Write([]string{x.nid(c), csvCell(c.FullName), x.label("gender", c.Gender), day(&b), strconv.Itoa(c.SIMonths),
			x.label("status", c.Status), day(c.LeftOn)})
	})
	cw.Flush()
	if err == nil {
		err = bw.Flush()
	}
	return err // after the header is sent, a failure can only cut the file short (logged)
}

// writeXLSX builds the workbook (a title row, a frozen styled header, identity numbers as text, dates as
// dates) and sends it whole.
func (x *cadreExport) writeXLSX(w http.ResponseWriter) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := x.xlsxHead(f, sw); err != nil {
		return err
	}
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	dateFmt := pick(x.vi, "yyyy-mm-dd", "dd/mm/yyyy")
	date, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	row := 2
	err = x.each(func(c store.Cadre) error {
		row++
		var left any
		if c.LeftOn != nil {
			left = excelize.Cell{StyleID: date, Value: *c.LeftOn}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, []any{excelize.Cell{StyleID: text, Value: x.nid(c)}, c.FullName, x.label("gender", c.Gender),
			excelize.Cell{StyleID: date, Value: c.BirthDate}, c.SIMonths, x.label("status", c.Status), left})
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "cadres-"+x.province+".xlsx"))
	w.WriteHeader(http.StatusOK)
	return f.Write(w)
}

// xlsxHead writes the column widths, the frozen panes, the title (row 1) and the header (row 2).
func (x *cadreExport) xlsxHead(f *excelize.File, sw *excelize.StreamWriter) error {
	headStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	for i, wd := range []float64{16, 30, 10, 12, 12, 16, 12} {
		_ = sw.SetColWidth(i+1, i+1, wd)
	}
	_ = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	title := pick(x.vi, "People of province "+x.province, "Danh sách người hoạt động không chuyên trách, tỉnh "+x.province)
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: titleStyle, Value: title}}); err != nil {
		return err
	}
	hr := make([]any, len(x.header))
	for i, h := range x.header {
		hr[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	return sw.SetRow("A2", hr)
}
