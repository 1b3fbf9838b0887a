package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"communehr/internal/msg"
	"communehr/internal/policy"
)

// The Biểu 2e workbook: the form's title, the base salary and months in cells of their own (C3, C4), the
// header and its numbering row, then the table with the form's formulas: 4 = 1 × 2 × base, 5 = 1 × 3 × base,
// 6 = (5 − 4) × months, each group the SUM of its rows.

const bieu2eFirstRow = 7

func writeBieu2eXLSX(w http.ResponseWriter, filename string, rows bieu2eLines, asOf policy.Date, lang msg.Lang) error {
	return sendSheet(w, filename, func(f *excelize.File, sw *excelize.StreamWriter) error {
		st := newXLSXStyles(f, lang)
		for i, wd := range []float64{6, 60, 14, 16, 16, 18, 18, 20} {
			_ = sw.SetColWidth(i+1, i+1, wd)
		}
		asOfText := msg.Text{VI: viDate(toTime(asOf).Time), EN: asOf.String()}
		top := [][]any{
			{excelize.Cell{StyleID: st.title, Value: msg.New("bieu2e.title").Render(lang)}, nil, nil, nil, nil, nil, nil,
				excelize.Cell{StyleID: st.title, Value: pick(lang == msg.VI, "Form 2e", "Biểu số 2e")}},
			{msg.New("bieu2e.subtitle", asOfText).Render(lang)},
			{nil, pick(lang == msg.VI, "Base salary used (VND)", "Mức lương cơ sở dùng để tính (đồng)"),
				excelize.Cell{StyleID: st.money, Value: bieu2eBase.InexactFloat64()}},
			{nil, pick(lang == msg.VI, "Months of 2023 counted", "Số tháng tính chênh lệch năm 2023"), bieu2eMonths},
		}
		head := headers(bieu2eHeaders, lang)
		hr, nr := make([]any, len(head)), make([]any, len(head))
		for i := range head {
			hr[i], nr[i] = excelize.Cell{StyleID: st.head, Value: head[i]}, excelize.Cell{StyleID: st.head, Value: bieu2eNumbers[i]}
		}
		top = append(top, hr, nr)
		for i, row := range top {
			if err := sw.SetRow("A"+strconv.Itoa(i+1), row); err != nil {
				return err
			}
		}
		for i := range rows {
			if err := sw.SetRow("A"+strconv.Itoa(bieu2eFirstRow+i), rows.xlsxCells(i, st, lang)); err != nil {
				return err
			}
		}
		return nil
	})
}

// xlsxCells is row i: a category's count and multiples as values and its funds as the form's formulas; a
// group's every number the SUM of its rows. The cached values are the service's.
func (rows bieu2eLines) xlsxCells(i int, st xlsxStyles, lang msg.Lang) []any {
	r, n := rows[i], strconv.Itoa(bieu2eFirstRow+i)
	f34, f33, diff := rows.amounts(i)
	label := pick(lang == msg.VI, r.en, r.vi)
	if r.kids == nil {
		return []any{r.no, label, r.count, r.d34.InexactFloat64(), r.d33.InexactFloat64(),
			excelize.Cell{StyleID: st.money, Value: f34.InexactFloat64(), Formula: "ROUND(C" + n + "*D" + n + "*$C$3,0)"},
			excelize.Cell{StyleID: st.money, Value: f33.InexactFloat64(), Formula: "ROUND(C" + n + "*E" + n + "*$C$3,0)"},
			excelize.Cell{StyleID: st.money, Value: diff.InexactFloat64(), Formula: "(G" + n + "-F" + n + ")*$C$4"}}
	}
	sum := func(col string) string {
		refs := make([]string, len(r.kids))
		for j, k := range r.kids {
			refs[j] = col + strconv.Itoa(bieu2eFirstRow+k)
		}
		return fmt.Sprintf("SUM(%s)", strings.Join(refs, ","))
	}
	return []any{excelize.Cell{StyleID: st.total, Value: r.no}, excelize.Cell{StyleID: st.total, Value: label},
		excelize.Cell{StyleID: st.total, Value: r.count, Formula: sum("C")}, nil, nil,
		excelize.Cell{StyleID: st.total, Value: f34.InexactFloat64(), Formula: sum("F")},
		excelize.Cell{StyleID: st.total, Value: f33.InexactFloat64(), Formula: sum("G")},
		excelize.Cell{StyleID: st.total, Value: diff.InexactFloat64(), Formula: sum("H")}}
}
