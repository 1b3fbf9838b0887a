package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// The Decree 33/2023 funding table in the layout of Biểu số 2e of Circular 50/2023/TT-BTC (issue 13
// item 6; sources and what was not found: docs/legal-basis.md "Biểu số 2e"): the number of communes by
// class and of hamlets by Decree 33 category in the register on as_of, the monthly fund multiple under
// Decree 34/2019 and under Decree 33/2023, the monthly funds at the form's base salary (1,490,000 đ,
// "LƯƠNG 1,49") and the 2023 increase over the form's 5 months (August–December, "5T").
//
// GET /v1/provinces/{province}/reports/decree33-funding?as_of=…&format=csv|xlsx&lang=vi

// bieu2eBase and bieu2eMonths are the form's own constants, in cells of the workbook an officer may change.
var bieu2eBase, bieu2eMonths = decimal.NewFromInt(1490000), 5

// The dates the two multiples are read on: the last day of Decree 34/2019's funds and the first of Decree 33's.
var bieu2eBefore, bieu2eAfter = policy.MustDate("2023-07-31"), policy.MustDate("2023-08-01")

// bieu2eLine is one row of the table: a group (sum of the rows below it, kids) or a category.
type bieu2eLine struct {
	no, vi, en string
	kids       []int           // group: the indexes of its rows
	d34, d33   decimal.Decimal // category: the monthly fund multiples
	count      int
}

// decree34HamletHigh and decree34HamletLow are the hamlet fund multiples of Decree 92/2009 as amended by
// Decree 34/2019 (5.0 for rural hamlets of 350+ households or in key-security or border/island communes,
// 3.0 for other hamlets and every residential group): the form's column 2; the Decree 33 multiples come
// from the rules engine.
var decree34HamletHigh, decree34HamletLow = decimal.RequireFromString("5.0"), decimal.RequireFromString("3.0")

// bieu2eRows is the table's skeleton; the hamlet rows follow the criteria of Decree 33 Art. 34 cl. 2.
func bieu2eRows() ([]bieu2eLine, error) {
	c34, c33, err := communeMultiples()
	if err != nil {
		return nil, err
	}
	high, low, err := hamletMultiples()
	if err != nil {
		return nil, err
	}
	h, l := decree34HamletHigh, decree34HamletLow
	return []bieu2eLine{
		{no: "", vi: "TỔNG SỐ", en: "TOTAL", kids: []int{1, 5}},
		{no: "I", vi: "Xã, phường, thị trấn", en: "Communes, wards and townships", kids: []int{2, 3, 4}},
		{no: "1", vi: "Xã loại I", en: "Class I", d34: c34[0], d33: c33[0]},
		{no: "2", vi: "Xã loại II", en: "Class II", d34: c34[1], d33: c33[1]},
		{no: "3", vi: "Xã loại III", en: "Class III", d34: c34[2], d33: c33[2]},
		{no: "II", vi: "Thôn, tổ dân phố", en: "Hamlets and residential groups", kids: []int{6, 9, 14}},
		{no: "1", vi: "Thôn, tổ dân phố thuộc xã biên giới, hải đảo", en: "In border or island communes", kids: []int{7, 8}},
		{no: "", vi: "- Thôn", en: "- Rural hamlets", d34: h, d33: high},
		{no: "", vi: "- Tổ dân phố", en: "- Residential groups", d34: l, d33: high},
		{no: "2", vi: "Thôn, tổ dân phố có nhiều hộ gia đình, thuộc xã trọng điểm, phức tạp về an ninh, trật tự",
			en: "Large, or in communes key or complex in security and order", kids: []int{10, 11, 12, 13}},
		{no: "", vi: "- Thôn có từ 350 hộ gia đình trở lên, thôn thuộc xã trọng điểm, phức tạp về an ninh, trật tự",
			en: "- Rural hamlets of 350+ households or in key-security communes", d34: h, d33: high},
		{no: "", vi: "- Tổ dân phố có từ 500 hộ gia đình trở lên", en: "- Residential groups of 500+ households", d34: l, d33: high},
		{no: "", vi: "- Tổ dân phố thuộc xã trọng điểm, phức tạp về an ninh, trật tự", en: "- Residential groups in key-security communes",
			d34: l, d33: high},
		{no: "", vi: "- Tổ dân phố chuyển từ thôn có từ 350 hộ gia đình trở lên", en: "- Residential groups converted from 350+ household hamlets",
			d34: l, d33: high},
		{no: "3", vi: "Thôn, tổ dân phố còn lại", en: "Other hamlets and residential groups", kids: []int{15, 16}},
		{no: "", vi: "- Thôn còn lại", en: "- Other rural hamlets", d34: l, d33: low},
		{no: "", vi: "- Tổ dân phố còn lại", en: "- Other residential groups", d34: l, d33: low},
	}, nil
}

// communeMultiples are the commune funds per class, as multiples of the base salary, the day before and
// the day Decree 33 took effect (the rules engine's tables: 16.0/13.7/11.4, then 21.0/18.0/15.0).
func communeMultiples() (d34, d33 [3]decimal.Decimal, err error) {
	for i := range 3 {
		for _, on := range []policy.Date{bieu2eBefore, bieu2eAfter} {
			cf, err := policy.CommuneFund(policy.CommuneFundInput{Class: i + 1, AsOf: on})
			if err != nil {
				return d34, d33, err
			}
			base, _, err := policy.BaseSalary(on)
			if err != nil {
				return d34, d33, err
			}
			m := cf.MonthlyFund.DivRound(base, 4)
			if on == bieu2eBefore {
				d34[i] = m
			} else {
				d33[i] = m
			}
		}
	}
	return d34, d33, nil
}

// hamletMultiples are Decree 33's two hamlet funds (6.0 and 4.5), from the rules engine.
func hamletMultiples() (high, low decimal.Decimal, err error) {
	base, _, err := policy.BaseSalary(bieu2eAfter)
	if err != nil {
		return high, low, err
	}
	for _, households := range []int{350, 0} {
		hf, err := policy.HamletFund(policy.HamletFundInput{Kind: policy.Thon, Households: households, AsOf: bieu2eAfter})
		if err != nil {
			return high, low, err
		}
		if households > 0 {
			high = hf.MonthlyFund.DivRound(base, 4)
		} else {
			low = hf.MonthlyFund.DivRound(base, 4)
		}
	}
	return high, low, nil
}

// bieu2eHamletRow is the row a hamlet counts in, by its Decree 33 criterion and its kind.
func bieu2eHamletRow(criterion, kind string) int {
	tdp := kind == string(policy.ToDanPho)
	switch criterion {
	case "border_or_island_commune":
		return map[bool]int{false: 7, true: 8}[tdp]
	case "thon_350_households":
		return 10
	case "to_dan_pho_500_households":
		return 11
	case "key_security_order_commune":
		return map[bool]int{false: 10, true: 12}[tdp]
	case "to_dan_pho_converted_from_thon_350_households":
		return 13
	}
	return map[bool]int{false: 15, true: 16}[tdp]
}

// countBieu2e counts the register's units in force on asOf into the rows.
func countBieu2e(rows []bieu2eLine, d store.AllowanceData, asOf policy.Date) {
	communes := map[string]*store.ReportCommune{}
	for i := range d.Communes {
		c := &d.Communes[i]
		if !c.InForce {
			continue
		}
		communes[c.Code] = c
		if c.Class >= 1 && c.Class <= 3 {
			rows[1+c.Class].count++
		}
	}
	for _, h := range d.Hamlets {
		c, ok := communes[h.CommuneCode]
		if !ok || !h.InForce {
			continue
		}
		cat, err := policy.HamletFundCategory(exits.HamletInput(h, c, asOf))
		if err != nil {
			continue
		}
		rows[bieu2eHamletRow(cat.Criterion, h.Kind)].count++
	}
	for i := len(rows) - 1; i >= 0; i-- { // groups after their rows (kids have higher indexes)
		if rows[i].kids != nil {
			rows[i].count = 0
			for _, k := range rows[i].kids {
				rows[i].count += rows[k].count
			}
		}
	}
}

// amounts are a row's columns 4, 5 and 6: the monthly funds under each decree and the increase.
func (rows bieu2eLines) amounts(i int) (f34, f33, diff decimal.Decimal) {
	r := rows[i]
	if r.kids == nil {
		n := decimal.NewFromInt(int64(r.count))
		f34, f33 = n.Mul(r.d34).Mul(bieu2eBase).Round(0), n.Mul(r.d33).Mul(bieu2eBase).Round(0)
		return f34, f33, f33.Sub(f34).Mul(decimal.NewFromInt(int64(bieu2eMonths)))
	}
	for _, k := range r.kids {
		a, b, c := rows.amounts(k)
		f34, f33, diff = f34.Add(a), f33.Add(b), diff.Add(c)
	}
	return f34, f33, diff
}

type bieu2eLines []bieu2eLine

// decree33Funding answers the table as CSV (the default) or an xlsx workbook with the form's formulas.
func (s *Server) decree33Funding(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfParam(r)
	if err != nil {
		return err
	}
	if asOf.Before(bieu2eAfter) {
		return queryError("as_of", "out_of_range", "must be on or after 2023-08-01 (Decree 33/2023)",
			"phải từ ngày 01/08/2023 (Nghị định 33/2023/NĐ-CP)")
	}
	format, err := tableFormat(r)
	if err != nil {
		return err
	}
	province := chi.URLParam(r, "province")
	d, err := s.store.AllowanceData(r.Context(), principalFrom(r.Context()), province, toTime(asOf).Time, store.UnitScope{})
	if err != nil {
		return err
	}
	rows, err := bieu2eRows()
	if err != nil {
		return err
	}
	countBieu2e(rows, d, asOf)
	lang := langOf(r)
	contentLanguage(w, r)
	name := "bieu-2e-" + province + "-" + asOf.String()
	if format == "xlsx" {
		return writeBieu2eXLSX(w, name+".xlsx", bieu2eLines(rows), asOf, lang)
	}
	return writeBieu2eCSV(w, name+".csv", bieu2eLines(rows), lang)
}

// bieu2eHeaders are the form's column headers (vi, en) and their numbering row.
var bieu2eHeaders = [][2]string{{"STT", "No."}, {"CHỈ TIÊU", "Item"},
	{"TỔNG ĐƠN VỊ HÀNH CHÍNH CẤP XÃ, THÔN", "Number of communes, hamlets"},
	{"MỨC KHOÁN QUỸ PHỤ CẤP 1 THÁNG THEO NGHỊ ĐỊNH 34/2019/NĐ-CP", "Monthly fund multiple, Decree 34/2019"},
	{"MỨC KHOÁN QUỸ PHỤ CẤP 1 THÁNG THEO NGHỊ ĐỊNH 33/2023/NĐ-CP", "Monthly fund multiple, Decree 33/2023"},
	{"KHOÁN QUỸ PHỤ CẤP 01 THÁNG THEO NGHỊ ĐỊNH 34 (LƯƠNG 1,49)", "Monthly fund, Decree 34 (base 1,490,000)"},
	{"KHOÁN QUỸ PHỤ CẤP 01 THÁNG THEO NGHỊ ĐỊNH 33 (LƯƠNG 1,49)", "Monthly fund, Decree 33 (base 1,490,000)"},
	{"CHÊNH LỆCH KINH PHÍ KHOÁN QUỸ PHỤ CẤP NĂM 2023", "Fund increase in 2023"}}

var bieu2eNumbers = []string{"A", "B", "1", "2", "3", "4=1x2x1,49", "5=1x3x1,49", "6=(5-4)x5T"}

func writeBieu2eCSV(w http.ResponseWriter, filename string, rows bieu2eLines, lang msg.Lang) error {
	num := func(d decimal.Decimal) string {
		if lang == msg.VI {
			return viNumber(d.String())
		}
		return d.String()
	}
	records := [][]string{headers(bieu2eHeaders, lang), bieu2eNumbers}
	for i, r := range rows {
		f34, f33, diff := rows.amounts(i)
		rec := []string{r.no, pick(lang == msg.VI, r.en, r.vi), strconv.Itoa(r.count), "", "", num(f34), num(f33), num(diff)}
		if r.kids == nil {
			rec[3], rec[4] = num(r.d34), num(r.d33)
		}
		records = append(records, rec)
	}
	return sendCSV(w, filename, records)
}
