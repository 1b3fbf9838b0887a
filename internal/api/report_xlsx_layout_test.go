package api

import (
	"net/http/httptest"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
)

// panes are a sheet's frozen panes (excelize.Panes without its selections).
type panes struct {
	Freeze              bool
	XSplit, YSplit      int
	TopLeftCell, Active string
}

// workbookLayout is what the two appraisal workbooks look like before any row: column widths, frozen
// panes, and the title's and header's styles.
type workbookLayout struct {
	widths               []float64
	panes                panes
	titleSize            float64
	headBorder, headFill string
}

func readLayout(t *testing.T, body []byte, cols int) workbookLayout {
	t.Helper()
	f := openXLSX(t, body)
	var l workbookLayout
	for i := 1; i <= cols; i++ {
		name, _ := excelize.ColumnNumberToName(i)
		w, err := f.GetColWidth("Sheet1", name)
		if err != nil {
			t.Fatal(err)
		}
		l.widths = append(l.widths, w)
	}
	p, err := f.GetPanes("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	l.panes = panes{p.Freeze, p.XSplit, p.YSplit, p.TopLeftCell, p.ActivePane}
	style := func(cell string) *excelize.Style {
		id, _ := f.GetCellStyle("Sheet1", cell)
		st, err := f.GetStyle(id)
		if err != nil || st == nil || st.Font == nil || !st.Font.Bold {
			t.Fatalf("%s: style %+v %v, want bold", cell, st, err)
		}
		return st
	}
	l.titleSize = style("A1").Font.Size
	head := style("B2")
	if head.Alignment == nil || !head.Alignment.WrapText || head.Alignment.Horizontal != "center" || head.Alignment.Vertical != "center" {
		t.Fatalf("header alignment %+v", head.Alignment)
	}
	for _, b := range head.Border {
		l.headBorder += b.Type + "/" + b.Color + ";"
	}
	if len(head.Fill.Color) > 0 {
		l.headFill = head.Fill.Color[0]
	}
	return l
}

// The appraisal list's and the decisions' appraisal list's workbooks keep their own layout while sharing
// how a workbook starts: the appraisal list freezes the names (two columns) under a bordered header, the
// decisions' list freezes the header rows only, with the shaded header of the allowance reports.
func TestAppraisalWorkbooksKeepTheirLayout(t *testing.T) {
	for _, lang := range []msg.Lang{msg.EN, msg.VI} {
		w := httptest.NewRecorder()
		if err := writeAppraisalXLSX(w, "a.xlsx", "title", nil, lang); err != nil {
			t.Fatal(err)
		}
		got := readLayout(t, w.Body.Bytes(), len(appraisalHeaders))
		want := workbookLayout{widths: []float64{6, 26, 12, 8, 28, 28, 26, 10, 12, 22, 10, 9, 14, 16, 10, 12, 16, 12, 16, 12, 16, 12, 16, 14, 16, 40},
			panes:     panes{true, 2, 2, "C3", "bottomRight"},
			titleSize: 13, headBorder: "bottom/000000;"}
		checkLayout(t, "appraisal "+string(lang), got, want)

		w = httptest.NewRecorder()
		if err := writeDecisionAppraisalXLSX(w, "d.xlsx", "title", nil, lang); err != nil {
			t.Fatal(err)
		}
		got = readLayout(t, w.Body.Bytes(), len(decisionHeaders))
		want = workbookLayout{widths: []float64{6, 26, 28, 12, 12, 12, 24, 16, 10, 10, 12, 16, 12, 16, 12, 16, 12, 16, 12, 16, 14, 16},
			panes:     panes{true, 0, 2, "A3", "bottomLeft"},
			titleSize: 13, headFill: "DDEBF7"}
		checkLayout(t, "decision appraisal "+string(lang), got, want)
	}
}

func checkLayout(t *testing.T, what string, got, want workbookLayout) {
	t.Helper()
	if len(got.widths) != len(want.widths) {
		t.Fatalf("%s: widths %v", what, got.widths)
	}
	for i := range want.widths {
		if got.widths[i] != want.widths[i] {
			t.Errorf("%s: column %d width %v, want %v", what, i+1, got.widths[i], want.widths[i])
		}
	}
	if got.panes != want.panes || got.titleSize != want.titleSize || got.headBorder != want.headBorder || got.headFill != want.headFill {
		t.Errorf("%s: panes %+v title %v border %q fill %q, want %+v %v %q %q", what, got.panes, got.titleSize, got.headBorder,
			got.headFill, want.panes, want.titleSize, want.headBorder, want.headFill)
	}
}
