package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// allowanceCalc turns the register as of one date into Decree 33 funds and the allowances the province's
// schedule pays. Every amount comes from the rules engine; the per-post amount depends only on (post,
// hamlet category, concurrent), so it is computed once per combination and reused.
// It is safe for concurrent use (entitlement runs compute people on several goroutines).
type allowanceCalc struct {
	asOf     policy.Date
	base     decimal.Decimal
	schedule []policy.ScheduleRow
	mu       sync.Mutex // guards posts
	posts    map[postKey]postAmount
}

type postKey struct {
	position, category string
	concurrent         bool
}

type postAmount struct {
	line policy.Line
	ok   bool // false: the schedule has no row for the post
}

func newAllowanceCalc(asOf policy.Date, sched []store.ScheduleEntry) (*allowanceCalc, error) {
	base, _, err := policy.BaseSalary(asOf)
	if err != nil {
		var oor *policy.OutOfRangeError
		if errors.As(err, &oor) {
			return nil, queryError("as_of", "out_of_range", oor.Error(), oor.MessageVI())
		}
		return nil, err
	}
	c := &allowanceCalc{asOf: asOf, base: base, posts: map[postKey]postAmount{}}
	for _, e := range sched {
		c.schedule = append(c.schedule, policy.ScheduleRow{PositionCode: e.PositionCode,
			HamletFundCategory: e.HamletFundCategory, Coefficient: e.Coefficient})
	}
	return c, nil
}

// titleOr is a post's title from the catalogue, or its code when the title is not known.
func titleOr(title, code string) string {
	if title == "" {
		return code
	}
	return title
}

// hdndCitation is where the province's own amount for a post comes from (the HĐND resolution).
var hdndCitation = policy.Citation{Instrument: "Nghị định 33/2023/NĐ-CP", Article: "34", Clause: "3"}

// post returns the monthly allowance line of one post held on the date: the schedule's amount (a
// concurrent post at the concurrent rate, 100 %), or the assignment's own allowance_override.
func (c *allowanceCalc) post(ph store.PostHeld, category string) (policy.Line, string) {
	if ph.AllowanceOverride != nil {
		return policy.Line{Code: "override:" + ph.PositionCode,
			LabelVI: "Phụ cấp chức danh " + titleOr(ph.TitleVI, ph.PositionCode) + " (mức riêng ghi trên phân công)",
			LabelEN: "Allowance of post " + titleOr(ph.TitleEN, ph.PositionCode) + " (amount recorded on the assignment)",
			Formula: ph.AllowanceOverride.String(), Amount: *ph.AllowanceOverride,
			Citation: hdndCitation}, "override"
	}
	k := postKey{ph.PositionCode, category, ph.Concurrent}
	c.mu.Lock()
	defer c.mu.Unlock()
	pa, seen := c.posts[k]
	if !seen {
		res, err := policy.Allowance(policy.AllowanceInput{Schedule: c.schedule, AsOf: c.asOf,
			Posts: []policy.Post{{PositionCode: ph.PositionCode, HamletFundCategory: category, Concurrent: ph.Concurrent}}})
		if err == nil && len(res.Lines) == 1 {
			// The rules engine names the post by its code; the register knows its title (docs/legal-basis.md §9).
			line := res.Lines[0]
			line.LabelVI = strings.Replace(line.LabelVI, ph.PositionCode, titleOr(ph.TitleVI, ph.PositionCode), 1)
			line.LabelEN = strings.Replace(line.LabelEN, ph.PositionCode, titleOr(ph.TitleEN, ph.PositionCode), 1)
			pa = postAmount{line: line, ok: true}
		} else {
			pa = postAmount{line: policy.Line{Code: "no_schedule_row:" + ph.PositionCode,
				LabelVI: "Biểu mức phụ cấp của tỉnh không có dòng cho chức danh " + titleOr(ph.TitleVI, ph.PositionCode),
				LabelEN: "The province's schedule has no row for post " + titleOr(ph.TitleEN, ph.PositionCode),
				Formula: "0", Amount: decimal.Zero, Citation: hdndCitation}}
		}
		c.posts[k] = pa
	}
	if !pa.ok {
		return pa.line, "no_schedule_row"
	}
	return pa.line, "schedule"
}

// hamletInput is the Decree 33 input of a hamlet: key security from the hamlet or its commune; border or
// island from the hamlet when recorded, else from the commune.
func hamletInput(h store.ReportHamlet, c *store.ReportCommune, asOf policy.Date) policy.HamletFundInput {
	in := policy.HamletFundInput{Kind: policy.HamletKind(h.Kind), Households: h.Households,
		KeySecurityOrder: h.KeySecurityOrder, ConvertedFromThon: h.ConvertedFromThon, AsOf: asOf}
	if c != nil {
		in.KeySecurityOrder = in.KeySecurityOrder || c.KeySecurityOrder
		in.BorderOrIsland = c.Border || c.Island
	}
	if h.BorderOrIsland != nil {
		in.BorderOrIsland = *h.BorderOrIsland
	}
	return in
}

// policyNote is the message of a rules-engine refusal, used where a report shows "no fund" instead of
// failing (e.g. the commune fund after commune posts ended on 2025-08-01).
func policyNote(err error, l msg.Lang) string {
	var (
		one  *policy.InputError
		oor  *policy.OutOfRangeError
		many policy.InputErrors
	)
	var t msg.Text
	switch {
	case errors.As(err, &one):
		t = msg.Text{VI: one.MessageVI, EN: one.MessageEN}
	case errors.As(err, &many) && len(many) > 0:
		t = msg.Text{VI: many[0].MessageVI, EN: many[0].MessageEN}
	case errors.As(err, &oor):
		t = msg.Text{VI: oor.MessageVI(), EN: oor.Error()}
	default:
		return err.Error()
	}
	return t.In(l)
}

// unitFigures is what every unit of the report shows.
type unitFigures struct {
	Fund        *decimal.Decimal `json:"fund"`
	FundNote    *string          `json:"fund_note"`
	Paid        decimal.Decimal  `json:"paid"`
	Difference  *decimal.Decimal `json:"difference"`
	OverFund    bool             `json:"over_fund"`
	PostsFilled int              `json:"posts_filled"`
}

func (u *unitFigures) finish() {
	if u.Fund != nil {
		d := u.Fund.Sub(u.Paid)
		u.Difference = &d
		u.OverFund = u.Paid.GreaterThan(*u.Fund)
	}
}

type hamletAllowance struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	Households int     `json:"households"`
	Category   *string `json:"category"`
	Criterion  *string `json:"criterion"`
	unitFigures
}

type communeAllowance struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Class int    `json:"class"`
	Quota *int   `json:"quota"`
	// QuotaIncrement and FundIncrement: the workers population and area add above the administrative-unit
	// standard, and their fund (Decree 33/2023 Art. 33 cl. 2, Art. 34 cl. 1), included in quota and fund.
	QuotaIncrement int          `json:"quota_increment"`
	FundIncrement  *policy.Line `json:"fund_increment"`
	unitFigures
	Hamlets []hamletAllowance `json:"hamlets"`
}

type allowanceTotals struct {
	Communes        int             `json:"communes"`
	Hamlets         int             `json:"hamlets"`
	CommuneFund     decimal.Decimal `json:"commune_fund"`
	HamletFund      decimal.Decimal `json:"hamlet_fund"`
	Fund            decimal.Decimal `json:"fund"`
	Paid            decimal.Decimal `json:"paid"`
	PaidWithoutFund decimal.Decimal `json:"paid_without_fund"`
	Difference      decimal.Decimal `json:"difference"`
	UnitsOverFund   int             `json:"units_over_fund"`
	PostsFilled     int             `json:"posts_filled"`
}

type allowanceReport struct {
	Province       string             `json:"province"`
	AsOf           policy.Date        `json:"as_of"`
	RulesetVersion string             `json:"ruleset_version"`
	BaseSalary     decimal.Decimal    `json:"base_salary"`
	Communes       []communeAllowance `json:"communes"`
	Totals         allowanceTotals    `json:"totals"`
	// LeftUnderDecision lists who left under an approved decision this month, up to as_of: no longer paid.
	LeftUnderDecision []leftUnderDecision `json:"left_under_decision"`
}

// leftUnderDecision is a person who left under an approved decision (issue 12): their posts ended on the
// last day worked, so from the exit date (the first day out) the reports no longer pay them.
type leftUnderDecision struct {
	CadreID        string     `json:"cadre_id"`
	FullName       string     `json:"full_name"`
	DecisionID     string     `json:"decision_id"`
	DecisionNumber string     `json:"decision_number"`
	DecisionDate   Date       `json:"decision_date"`
	SignerTitle    string     `json:"signer_title"`
	LastDayWorked  Date       `json:"last_day_worked"`
	ExitDate       Date       `json:"exit_date"`
	Policy         string     `json:"policy"`
	Posts          []leftPost `json:"posts"`
}

// leftPost is a post the person held on the last day worked.
type leftPost struct {
	AssignmentID string  `json:"assignment_id"`
	PositionCode string  `json:"position_code"`
	TitleVI      string  `json:"title_vi"`
	TitleEN      string  `json:"title_en"`
	CommuneCode  *string `json:"commune_code"`
	HamletCode   *string `json:"hamlet_code"`
	Concurrent   bool    `json:"concurrent"`
}

func toLeftUnderDecision(ls []store.LeftUnderDecision) []leftUnderDecision {
	out := make([]leftUnderDecision, 0, len(ls))
	for _, l := range ls {
		li := leftUnderDecision{CadreID: l.CadreID, FullName: l.FullName, DecisionID: l.DecisionID, DecisionNumber: l.DecisionNumber,
			DecisionDate: Date{Time: l.DecisionDate}, SignerTitle: l.SignerTitle, LastDayWorked: Date{Time: l.ExitDate.AddDate(0, 0, -1)},
			ExitDate: Date{Time: l.ExitDate}, Policy: l.Policy, Posts: make([]leftPost, 0, len(l.Posts))}
		for _, ph := range l.Posts {
			li.Posts = append(li.Posts, leftPost{AssignmentID: ph.AssignmentID, PositionCode: ph.PositionCode, TitleVI: ph.TitleVI,
				TitleEN: ph.TitleEN, CommuneCode: ph.CommuneCode, HamletCode: ph.HamletCode, Concurrent: ph.Concurrent})
		}
		out = append(out, li)
	}
	return out
}

// note says in plain words, in the reader's language, why a person is no longer paid.
func (l leftUnderDecision) note(lang msg.Lang) string {
	if lang == msg.VI {
		return msg.New("report.left_under_decision", l.DecisionNumber, viDate(l.DecisionDate.Time), viDate(l.LastDayWorked.Time),
			viDate(l.ExitDate.Time)).Render(msg.VI)
	}
	return msg.New("report.left_under_decision", l.DecisionNumber, l.DecisionDate.Format(dateLayout), l.LastDayWorked.Format(dateLayout),
		l.ExitDate.Format(dateLayout)).Render(msg.EN)
}

// postItem is one person's post in a unit's itemised report.
type postItem struct {
	AssignmentID string          `json:"assignment_id"`
	CadreID      string          `json:"cadre_id"`
	FullName     string          `json:"full_name"`
	PositionCode string          `json:"position_code"`
	TitleVI      string          `json:"title_vi"`
	TitleEN      string          `json:"title_en"`
	Concurrent   bool            `json:"concurrent"`
	Source       string          `json:"source"`
	Amount       decimal.Decimal `json:"amount"`
	Line         policy.Line     `json:"line"`
}

// buildReport computes the province report; items, when not nil, collects the itemised posts by unit
// ("c:"+commune code or "h:"+hamlet code), and funds the full fund results by the same keys.
func buildReport(province string, asOf policy.Date, d store.AllowanceData, items map[string][]postItem, funds map[string]any, l msg.Lang) (allowanceReport, error) {
	calc, err := newAllowanceCalc(asOf, d.Schedule)
	if err != nil {
		return allowanceReport{}, err
	}
	rep := allowanceReport{Province: province, AsOf: asOf, RulesetVersion: policy.RulesetVersion, BaseSalary: calc.base,
		Communes: make([]communeAllowance, 0, len(d.Communes)), LeftUnderDecision: toLeftUnderDecision(d.Left)}
	communeIdx := map[string]int{}
	communes := map[string]*store.ReportCommune{}
	for i := range d.Communes {
		c := &d.Communes[i]
		if !c.InForce {
			// A one-unit report reads its unit whatever its dates; a unit not in force on the date has no
			// fund and pays nothing, as in the province report, which never lists it (issue 6: "for every
			// commune and hamlet active on that date").
			continue
		}
		communes[c.Code] = c
		ca := communeAllowance{Code: c.Code, Name: c.Name, Kind: c.Kind, Class: c.Class, Hamlets: []hamletAllowance{}}
		cf, err := policy.CommuneFund(communeFundInput(*c, asOf))
		cf.Localize(l)
		if err != nil {
			note := policyNote(err, l)
			ca.FundNote = &note
		} else {
			ca.Fund, ca.Quota, ca.QuotaIncrement = &cf.MonthlyFund, &cf.Quota, cf.QuotaIncrement
			for i := range cf.Lines {
				if cf.Lines[i].Code == "commune_fund_increment" {
					ca.FundIncrement = &cf.Lines[i]
				}
			}
			if funds != nil {
				funds["c:"+c.Code] = cf
			}
		}
		communeIdx[c.Code] = len(rep.Communes)
		rep.Communes = append(rep.Communes, ca)
	}
	type hamletRef struct{ commune, idx int }
	hamletIdx := map[string]hamletRef{}
	hamletCat := map[string]string{}
	for _, h := range d.Hamlets {
		ci, ok := communeIdx[h.CommuneCode]
		if !ok || !h.InForce {
			continue // the hamlet, or its commune, is not in force on the date: no fund, and its posts are not listed
		}
		ha := hamletAllowance{Code: h.Code, Name: h.Name, Kind: h.Kind, Households: h.Households}
		hf, err := policy.HamletFund(hamletInput(h, communes[h.CommuneCode], asOf))
		hf.Localize(l)
		if err != nil {
			note := policyNote(err, l)
			ha.FundNote = &note
		} else {
			ha.Fund, ha.Category, ha.Criterion = &hf.MonthlyFund, &hf.Category, &hf.Criterion
			hamletCat[h.Code] = hf.Category
			if funds != nil {
				funds["h:"+h.Code] = hf
			}
		}
		hamletIdx[h.Code] = hamletRef{ci, len(rep.Communes[ci].Hamlets)}
		rep.Communes[ci].Hamlets = append(rep.Communes[ci].Hamlets, ha)
	}
	for _, ph := range d.Posts {
		var (
			fig *unitFigures
			key string
			cat string
		)
		switch {
		case ph.HamletCode != nil:
			ref, ok := hamletIdx[*ph.HamletCode]
			if !ok {
				continue
			}
			fig, key, cat = &rep.Communes[ref.commune].Hamlets[ref.idx].unitFigures, "h:"+*ph.HamletCode, hamletCat[*ph.HamletCode]
		case ph.CommuneCode != nil:
			ci, ok := communeIdx[*ph.CommuneCode]
			if !ok {
				continue
			}
			fig, key = &rep.Communes[ci].unitFigures, "c:"+*ph.CommuneCode
		}
		line, source := calc.post(ph, cat)
		fig.Paid = fig.Paid.Add(line.Amount)
		fig.PostsFilled++
		if items != nil {
			items[key] = append(items[key], postItem{AssignmentID: ph.AssignmentID, CadreID: ph.CadreID, FullName: ph.FullName,
				PositionCode: ph.PositionCode, TitleVI: ph.TitleVI, TitleEN: ph.TitleEN, Concurrent: ph.Concurrent,
				Source: source, Amount: line.Amount, Line: line})
		}
	}
	t := &rep.Totals
	add := func(u *unitFigures, fund *decimal.Decimal) {
		u.finish()
		t.Paid = t.Paid.Add(u.Paid)
		t.PostsFilled += u.PostsFilled
		if u.Fund == nil {
			t.PaidWithoutFund = t.PaidWithoutFund.Add(u.Paid)
		} else {
			*fund = fund.Add(*u.Fund)
		}
		if u.OverFund {
			t.UnitsOverFund++
		}
	}
	for i := range rep.Communes {
		c := &rep.Communes[i]
		t.Communes++
		add(&c.unitFigures, &t.CommuneFund)
		for j := range c.Hamlets {
			t.Hamlets++
			add(&c.Hamlets[j].unitFigures, &t.HamletFund)
		}
	}
	t.Fund = t.CommuneFund.Add(t.HamletFund)
	t.Difference = t.Fund.Sub(t.Paid.Sub(t.PaidWithoutFund))
	return rep, nil
}

// asOfParam reads ?as_of (today by default) as a policy date.
func (s *Server) asOfParam(r *http.Request) (policy.Date, error) {
	d, err := queryDate(r, "as_of")
	if err != nil {
		return policy.Date{}, err
	}
	if d == nil {
		return policy.NewDate(s.store.Today().Date()), nil
	}
	return policy.NewDate(d.Date()), nil
}

func toTime(d policy.Date) Date { t, _ := ParseDate(d.String()); return t }

func (s *Server) provinceAllowances(w http.ResponseWriter, r *http.Request) error {
	asOf, err := s.asOfParam(r)
	if err != nil {
		return err
	}
	csvOut, err := wantCSV(r)
	if err != nil {
		return err
	}
	province := chi.URLParam(r, "province")
	d, err := s.store.AllowanceData(r.Context(), principalFrom(r.Context()), province, toTime(asOf).Time, store.UnitScope{})
	if err != nil {
		return err
	}
	rep, err := buildReport(province, asOf, d, nil, nil, langOf(r))
	if err != nil {
		return err
	}
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	contentLanguage(w, r)
	if csvOut {
		return writeCSV(w, "allowances-"+province+"-"+asOf.String()+".csv", allowanceCSVHeader, allowanceCSVRows(rep, langOf(r)))
	}
	return writeJSON(w, http.StatusOK, rep)
}

var allowanceCSVHeader = []string{"level", "commune_code", "hamlet_code", "name", "kind", "class", "households",
	"category", "fund", "paid", "difference", "over_fund", "posts_filled", "fund_note"}

func allowanceCSVRows(rep allowanceReport, lang msg.Lang) [][]string {
	dec := func(d *decimal.Decimal) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	var rows [][]string
	for _, c := range rep.Communes {
		rows = append(rows, []string{"commune", c.Code, "", c.Name, c.Kind, strconv.Itoa(c.Class), "", "", dec(c.Fund),
			c.Paid.String(), dec(c.Difference), strconv.FormatBool(c.OverFund), strconv.Itoa(c.PostsFilled), str(c.FundNote)})
		for _, h := range c.Hamlets {
			rows = append(rows, []string{"hamlet", c.Code, h.Code, h.Name, h.Kind, "", strconv.Itoa(h.Households),
				str(h.Category), dec(h.Fund), h.Paid.String(), dec(h.Difference), strconv.FormatBool(h.OverFund),
				strconv.Itoa(h.PostsFilled), str(h.FundNote)})
		}
	}
	t := rep.Totals
	rows = append(rows, []string{"total", "", "", rep.Province, "", "", "", "", t.Fund.String(), t.Paid.String(),
		t.Difference.String(), strconv.FormatBool(t.UnitsOverFund > 0), strconv.Itoa(t.PostsFilled), ""})
	// The "left under decision" section: one row per post the person held on the last day worked (one row
	// when none is in the report's scope), the person's name in name and the decision in fund_note.
	for _, l := range rep.LeftUnderDecision {
		for _, lp := range leftPostsOrNone(l) {
			rows = append(rows, []string{"left_under_decision", str(lp.CommuneCode), str(lp.HamletCode), l.FullName, "", "", "",
				"", "", "", "", "", "", l.note(lang)})
		}
	}
	return rows
}

// unitAllowanceReport is one commune's or hamlet's fund, itemised per person and post.
type unitAllowanceReport struct {
	Province       string            `json:"province"`
	AsOf           policy.Date       `json:"as_of"`
	RulesetVersion string            `json:"ruleset_version"`
	Level          string            `json:"level"`
	Code           string            `json:"code"`
	Name           string            `json:"name"`
	CommuneCode    string            `json:"commune_code"`
	FundResult     any               `json:"fund_result"`
	Posts          []postItem        `json:"posts"`
	Hamlets        []hamletAllowance `json:"hamlets,omitempty"`
	// LeftUnderDecision: who held a post of this unit and left under an approved decision this month, up to as_of.
	LeftUnderDecision []leftUnderDecision `json:"left_under_decision"`
	unitFigures
}

func leftPostsOrNone(l leftUnderDecision) []leftPost {
	if len(l.Posts) == 0 {
		return []leftPost{{}}
	}
	return l.Posts
}

func (s *Server) unitAllowances(level string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		asOf, err := s.asOfParam(r)
		if err != nil {
			return err
		}
		csvOut, err := wantCSV(r)
		if err != nil {
			return err
		}
		province, code := chi.URLParam(r, "province"), chi.URLParam(r, "code")
		scope := store.UnitScope{CommuneCode: code}
		if level == "hamlet" {
			scope = store.UnitScope{HamletCode: code}
		}
		d, err := s.store.AllowanceData(r.Context(), principalFrom(r.Context()), province, toTime(asOf).Time, scope)
		if err != nil {
			return err
		}
		items, funds := map[string][]postItem{}, map[string]any{}
		rep, err := buildReport(province, asOf, d, items, funds, langOf(r))
		if err != nil {
			return err
		}
		out := unitAllowanceReport{Province: province, AsOf: asOf, RulesetVersion: policy.RulesetVersion, Level: level, Code: code,
			LeftUnderDecision: rep.LeftUnderDecision}
		key := "c:" + code
		if level == "hamlet" {
			key = "h:" + code
		}
		for _, c := range rep.Communes {
			if level == "commune" && c.Code == code {
				out.Name, out.CommuneCode, out.unitFigures, out.Hamlets = c.Name, c.Code, c.unitFigures, c.Hamlets
			}
			for _, h := range c.Hamlets {
				if level == "hamlet" && h.Code == code {
					out.Name, out.CommuneCode, out.unitFigures = h.Name, c.Code, h.unitFigures
				}
			}
		}
		if out.Name == "" {
			// The unit exists but is not in force on the date (or its commune is not).
			note := "The unit is not in force on as_of / Đơn vị không còn hiệu lực vào ngày as_of"
			out.FundNote = &note
			if level == "commune" && len(d.Communes) > 0 {
				out.Name = d.Communes[0].Name
			}
			if level == "hamlet" && len(d.Hamlets) > 0 {
				out.Name, out.CommuneCode = d.Hamlets[0].Name, d.Hamlets[0].CommuneCode
			}
		}
		out.FundResult = funds[key]
		out.Posts = items[key]
		if out.Posts == nil {
			out.Posts = []postItem{}
		}
		w.Header().Set("Ruleset-Version", policy.RulesetVersion)
		contentLanguage(w, r)
		if csvOut {
			return writeCSV(w, "allowances-"+province+"-"+code+"-"+asOf.String()+".csv", unitCSVHeader, unitCSVRows(out, langOf(r)))
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

var unitCSVHeader = []string{"assignment_id", "cadre_id", "full_name", "position_code", "title_vi", "concurrent",
	"source", "amount", "formula", "citation"}

func unitCSVRows(u unitAllowanceReport, lang msg.Lang) [][]string {
	var rows [][]string
	for _, p := range u.Posts {
		c := p.Line.Citation
		rows = append(rows, []string{p.AssignmentID, p.CadreID, p.FullName, p.PositionCode, p.TitleVI,
			strconv.FormatBool(p.Concurrent), p.Source, p.Amount.String(), p.Line.Formula,
			c.VI()})
	}
	fund := ""
	if u.Fund != nil {
		fund = u.Fund.String()
	}
	rows = append(rows, []string{"", "", "paid", "", "", "", "", u.Paid.String(), "", ""},
		[]string{"", "", "fund", "", "", "", "", fund, "", ""})
	for _, l := range u.LeftUnderDecision {
		for _, lp := range leftPostsOrNone(l) {
			title := lp.TitleVI
			rows = append(rows, []string{lp.AssignmentID, l.CadreID, l.FullName, lp.PositionCode, title,
				strconv.FormatBool(lp.Concurrent), "left_under_decision", "", "", l.note(lang)})
		}
	}
	return rows
}

// communeFundInput is the commune fund's input for a commune of the register: its class and, for the
// Decree 33/2023 increments, its kind, population, area and the flags that pick its standard. A special
// zone (dac_khu) has no standard in the resolution: no increment inputs are given for it.
func communeFundInput(c store.ReportCommune, asOf policy.Date) policy.CommuneFundInput {
	in := policy.CommuneFundInput{Class: c.Class, AsOf: asOf}
	if c.Kind != policy.UnitCommune && c.Kind != policy.UnitWard && c.Kind != policy.UnitTownship {
		return in
	}
	if c.Population == nil && c.AreaKm2 == nil {
		return in
	}
	in.Kind, in.Population, in.AreaKm2 = c.Kind, c.Population, c.AreaKm2
	in.Mountainous, in.WardOfUrbanDistrict = c.Mountainous, c.WardOfUrbanDistrict
	return in
}
