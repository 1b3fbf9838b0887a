package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// allowanceCalc is the shared calculator of the register's allowances (package exits), used by the
// allowance report and by entitlements alike.
type allowanceCalc = exits.Calc

// newAllowanceCalc is exits.NewCalc with a date outside every base salary refused as a 422 on ?as_of.
func newAllowanceCalc(asOf policy.Date, sched []store.ScheduleEntry) (*allowanceCalc, error) {
	c, err := exits.NewCalc(asOf, sched)
	if err != nil {
		var oor *policy.OutOfRangeError
		if errors.As(err, &oor) {
			return nil, queryError("as_of", "out_of_range", oor.Error(), oor.MessageVI())
		}
		return nil, err
	}
	return c, nil
}

// hamletInput is the Decree 33 input of a hamlet (exits.HamletInput).
func hamletInput(h store.ReportHamlet, c *store.ReportCommune, asOf policy.Date) policy.HamletFundInput {
	return exits.HamletInput(h, c, asOf)
}

// policyNote is the message of a rules-engine refusal, used where a report shows "no fund" instead of
// failing (e.g. the commune fund after commune posts ended on 2025-08-01).
func policyNote(err error, l msg.Lang) string { return exits.PolicyNote(err, l) }

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
	// FlaggedPosts lists the posts recorded as held on as_of that are not paid: held outside their unit's
	// life, or past the legal end of commune-level posts. Never dropped silently (issue 11 item 3).
	FlaggedPosts []flaggedPost `json:"flagged_posts"`
}

// flaggedPost is a post recorded as held on the date that the report does not pay, and why.
type flaggedPost struct {
	AssignmentID string  `json:"assignment_id"`
	CadreID      string  `json:"cadre_id"`
	FullName     string  `json:"full_name"`
	PositionCode string  `json:"position_code"`
	TitleVI      string  `json:"title_vi"`
	TitleEN      string  `json:"title_en"`
	CommuneCode  *string `json:"commune_code"`
	HamletCode   *string `json:"hamlet_code"`
	StartDate    Date    `json:"start_date"`
	EndDate      *Date   `json:"end_date"`
	Reason       string  `json:"reason"` // outside_unit_life | past_legal_end | person_not_working
	Note         string  `json:"note"`
}

func newFlaggedPost(ph store.PostHeld, reason, note string) flaggedPost {
	return flaggedPost{AssignmentID: ph.AssignmentID, CadreID: ph.CadreID, FullName: ph.FullName, PositionCode: ph.PositionCode,
		TitleVI: ph.TitleVI, TitleEN: ph.TitleEN, CommuneCode: ph.CommuneCode, HamletCode: ph.HamletCode,
		StartDate: Date{Time: ph.StartDate}, EndDate: datePtr(ph.EndDate), Reason: reason, Note: note}
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
	b := &reportBuilder{asOf: asOf, calc: calc, l: l, items: items, funds: funds,
		postsEnd: policy.CommunePostsLastDay(d.CommunePostsEnd), communeIdx: map[string]int{},
		communes: map[string]*store.ReportCommune{}, hamletIdx: map[string]hamletRef{}, hamletCat: map[string]string{}}
	b.rep = allowanceReport{Province: province, AsOf: asOf, RulesetVersion: policy.RulesetVersion, BaseSalary: calc.Base(),
		Communes: make([]communeAllowance, 0, len(d.Communes)), LeftUnderDecision: toLeftUnderDecision(d.Left),
		FlaggedPosts: []flaggedPost{}}
	b.addCommunes(d.Communes)
	b.addHamlets(d.Hamlets)
	for _, ph := range d.Posts {
		b.addPost(ph)
	}
	b.addTotals()
	return b.rep, nil
}

// hamletRef is where a hamlet sits in the report: its commune's index and its own.
type hamletRef struct{ commune, idx int }

// reportBuilder assembles one allowance report: units first, then each post paid in its unit, then totals.
type reportBuilder struct {
	rep        allowanceReport
	asOf       policy.Date
	calc       *allowanceCalc
	l          msg.Lang
	items      map[string][]postItem
	funds      map[string]any
	postsEnd   policy.CommunePostsEnd
	communeIdx map[string]int
	communes   map[string]*store.ReportCommune
	hamletIdx  map[string]hamletRef
	hamletCat  map[string]string
}

// addCommunes lists the communes in force with their Decree 33 fund (or why there is none).
func (b *reportBuilder) addCommunes(cs []store.ReportCommune) {
	for i := range cs {
		c := &cs[i]
		if !c.InForce {
			// A one-unit report reads its unit whatever its dates; a unit not in force on the date has no
			// fund and pays nothing, as in the province report, which never lists it (issue 6: "for every
			// commune and hamlet active on that date").
			continue
		}
		b.communes[c.Code] = c
		ca := communeAllowance{Code: c.Code, Name: c.Name, Kind: c.Kind, Class: c.Class, Hamlets: []hamletAllowance{}}
		cf, err := policy.CommuneFund(communeFundInput(*c, b.asOf))
		cf.Localize(b.l)
		if err != nil {
			note := policyNote(err, b.l)
			ca.FundNote = &note
		} else {
			ca.Fund, ca.Quota, ca.QuotaIncrement = &cf.MonthlyFund, &cf.Quota, cf.QuotaIncrement
			for i := range cf.Lines {
				if cf.Lines[i].Code == "commune_fund_increment" {
					ca.FundIncrement = &cf.Lines[i]
				}
			}
			if b.funds != nil {
				b.funds["c:"+c.Code] = cf
			}
		}
		b.communeIdx[c.Code] = len(b.rep.Communes)
		b.rep.Communes = append(b.rep.Communes, ca)
	}
}

// addHamlets lists, under their commune, the hamlets in force with their fund and category.
func (b *reportBuilder) addHamlets(hs []store.ReportHamlet) {
	for _, h := range hs {
		ci, ok := b.communeIdx[h.CommuneCode]
		if !ok || !h.InForce {
			continue // the hamlet, or its commune, is not in force on the date: no fund, and its posts are not listed
		}
		ha := hamletAllowance{Code: h.Code, Name: h.Name, Kind: h.Kind, Households: h.Households}
		hf, err := policy.HamletFund(hamletInput(h, b.communes[h.CommuneCode], b.asOf))
		hf.Localize(b.l)
		if err != nil {
			note := policyNote(err, b.l)
			ha.FundNote = &note
		} else {
			ha.Fund, ha.Category, ha.Criterion = &hf.MonthlyFund, &hf.Category, &hf.Criterion
			b.hamletCat[h.Code] = hf.Category
			if b.funds != nil {
				b.funds["h:"+h.Code] = hf
			}
		}
		b.hamletIdx[h.Code] = hamletRef{ci, len(b.rep.Communes[ci].Hamlets)}
		b.rep.Communes[ci].Hamlets = append(b.rep.Communes[ci].Hamlets, ha)
	}
}

// addPost pays one post held on the date in its unit, or flags it when it cannot be paid.
func (b *reportBuilder) addPost(ph store.PostHeld) {
	if ph.PersonOut != nil {
		b.flag(ph, "person_not_working", personOutNote(ph))
		return
	}
	if !ph.UnitInForce {
		b.flag(ph, "outside_unit_life", msg.New("report.flag.outside_unit_life"))
		return
	}
	if ph.Level == "commune" && b.asOf.After(b.postsEnd.LastDay) {
		last := b.postsEnd.LastDay
		b.flag(ph, "past_legal_end", msg.New("report.flag.past_legal_end",
			msg.Text{VI: viDate(toTime(last).Time), EN: last.String()}, b.postsEnd.Citation))
		return
	}
	fig, key, cat := b.unitOf(ph)
	if fig == nil {
		return
	}
	line, source := b.calc.Post(ph, cat)
	fig.Paid = fig.Paid.Add(line.Amount)
	fig.PostsFilled++
	if b.items != nil {
		b.items[key] = append(b.items[key], postItem{AssignmentID: ph.AssignmentID, CadreID: ph.CadreID, FullName: ph.FullName,
			PositionCode: ph.PositionCode, TitleVI: ph.TitleVI, TitleEN: ph.TitleEN, Concurrent: ph.Concurrent,
			Source: source, Amount: line.Amount, Line: line})
	}
}

// flag lists a post recorded as held that the report does not pay, with why in the reader's language.
func (b *reportBuilder) flag(ph store.PostHeld, reason string, why msg.Message) {
	b.rep.FlaggedPosts = append(b.rep.FlaggedPosts, newFlaggedPost(ph, reason, why.Render(b.l)))
}

// unitOf is the figures of the unit a post is paid in, its key and its hamlet category (nil when the unit
// is not in the report).
func (b *reportBuilder) unitOf(ph store.PostHeld) (*unitFigures, string, string) {
	switch {
	case ph.HamletCode != nil:
		ref, ok := b.hamletIdx[*ph.HamletCode]
		if !ok {
			return nil, "", ""
		}
		return &b.rep.Communes[ref.commune].Hamlets[ref.idx].unitFigures, "h:" + *ph.HamletCode, b.hamletCat[*ph.HamletCode]
	case ph.CommuneCode != nil:
		ci, ok := b.communeIdx[*ph.CommuneCode]
		if !ok {
			return nil, "", ""
		}
		return &b.rep.Communes[ci].unitFigures, "c:" + *ph.CommuneCode, ""
	}
	return nil, "", ""
}

// addTotals finishes every unit's figures and adds them up for the province.
func (b *reportBuilder) addTotals() {
	t := &b.rep.Totals
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
	for i := range b.rep.Communes {
		c := &b.rep.Communes[i]
		t.Communes++
		add(&c.unitFigures, &t.CommuneFund)
		for j := range c.Hamlets {
			t.Hamlets++
			add(&c.Hamlets[j].unitFigures, &t.HamletFund)
		}
	}
	t.Fund = t.CommuneFund.Add(t.HamletFund)
	t.Difference = t.Fund.Sub(t.Paid.Sub(t.PaidWithoutFund))
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
	var items map[string][]postItem
	if wantsXLSX(w) {
		items = map[string][]postItem{}
	}
	rep, err := buildReport(province, asOf, d, items, nil, langOf(r))
	if err != nil {
		return err
	}
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	contentLanguage(w, r)
	if items != nil {
		return writeProvinceAllowancesXLSX(w, "allowances-"+province+"-"+asOf.String()+".xlsx", rep, items, langOf(r))
	}
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
		out := unitOf(rep, d, level, code, items, funds, langOf(r))
		w.Header().Set("Ruleset-Version", policy.RulesetVersion)
		contentLanguage(w, r)
		if wantsXLSX(w) {
			return writeUnitAllowancesXLSX(w, "allowances-"+province+"-"+code+"-"+asOf.String()+".xlsx", out, rep.BaseSalary, langOf(r))
		}
		if csvOut {
			return writeCSV(w, "allowances-"+province+"-"+code+"-"+asOf.String()+".csv", unitCSVHeader, unitCSVRows(out, langOf(r)))
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

// unitOf is one unit's part of the report: its figures, hamlets, fund result and posts (a unit not in
// force on the date gets a note instead).
func unitOf(rep allowanceReport, d store.AllowanceData, level, code string, items map[string][]postItem, funds map[string]any,
	l msg.Lang) unitAllowanceReport {
	out := unitAllowanceReport{Province: rep.Province, AsOf: rep.AsOf, RulesetVersion: policy.RulesetVersion, Level: level, Code: code,
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
		note := msg.New("report.unit_not_in_force").Render(l)
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
	return out
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
	return exits.CommuneFundInput(c, asOf)
}
