package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/schedules"
	"communehr/internal/store"
)

// schedulePage is the province's allowance schedule (HĐND resolution) in force on a day, and the editor
// of a version: one coefficient field per post of the national catalogue, and for each paid hamlet post
// one per hamlet fund category (empty: the post has no row).
type schedulePage struct {
	AsOf       string
	Found      bool
	Current    store.Schedule
	Titles     map[string]string // post code → title in the officer's language
	Fields     []scheduleField
	Overshoots []string // exceeds_hamlet_fund, explained in the officer's language
}

type scheduleField struct {
	Name, ID, Label, Category, Value, Error string
	Hamlet                                  bool
}

var coefficientText = regexp.MustCompile(`^[0-9]{1,2}([.,][0-9]{1,4})?$`)

// scheduleCategories: "" (the row for every hamlet) and the two hamlet fund categories.
var scheduleCategories = []string{"", policy.CategoryHigh, policy.CategoryLow}

func fieldName(code, cat string) string {
	if cat == "" {
		return "c_" + code
	}
	return "c_" + code + "_" + strings.ReplaceAll(cat, ".", "")
}

// scheduleFields lays out the editor's fields for the catalogue, filled from values.
func scheduleFields(positions []store.Position, lang string, value func(name string) string) []scheduleField {
	var out []scheduleField
	for _, p := range positions {
		title := p.TitleVI
		if lang == "en" {
			title = p.TitleEN
		}
		for _, cat := range scheduleCategories {
			if cat != "" && !p.PaidHamletPost {
				continue
			}
			n := fieldName(p.Code, cat)
			out = append(out, scheduleField{Name: n, ID: n, Label: title, Category: cat, Value: value(n), Hamlet: p.PaidHamletPost})
		}
	}
	return out
}

func (c *Console) loadSchedulePage(r *http.Request, day time.Time) (schedulePage, []store.Position, error) {
	p, province := principal(r), *officer(r.Context()).Province
	data := schedulePage{AsOf: day.Format("2006-01-02"), Titles: map[string]string{}}
	positions, err := c.store.ListPositions(r.Context(), p)
	if err != nil {
		return data, nil, err
	}
	for _, ps := range positions {
		data.Titles[ps.Code] = ps.TitleVI
		if language(r) == "en" {
			data.Titles[ps.Code] = ps.TitleEN
		}
	}
	data.Current, err = c.store.ScheduleAsOf(r.Context(), p, province, day)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return data, nil, err
	default:
		data.Found = true
	}
	return data, positions, nil
}

func (c *Console) showSchedule(w http.ResponseWriter, r *http.Request) {
	day, _ := c.asOfOrToday(r)
	data, positions, err := c.loadSchedulePage(r, day)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	current := map[string]string{}
	for _, row := range data.Current.Rows {
		current[fieldName(row.PositionCode, row.HamletFundCategory)] = row.Coefficient.String()
	}
	data.Fields = scheduleFields(positions, language(r), func(n string) string { return current[n] })
	form := map[string][]string{}
	if data.Found {
		form["resolution"] = []string{data.Current.Resolution}
		form["effective_from"] = []string{data.Current.EffectiveFrom.Format("2006-01-02")}
		if data.Current.EffectiveTo != nil {
			form["effective_to"] = []string{data.Current.EffectiveTo.Format("2006-01-02")}
		}
	}
	c.render(w, r, http.StatusOK, "schedule.html", &page{Data: data, Form: form})
}

// saveSchedule checks the version with package schedules (as PUT …/allowance-schedule does) and stores
// it with store.PutSchedule; a refusal shows the form again with each field's error and, for a schedule
// over the hamlet fund, by how much in base salaries and in đồng.
func (c *Console) saveSchedule(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	sch, okFrom, errs := scheduleVersion(f)
	sch.Province = *officer(r.Context()).Province
	day := c.today()
	if okFrom {
		day = sch.EffectiveFrom
	}
	data, positions, err := c.loadSchedulePage(r, day)
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	data.Fields = scheduleFields(positions, language(r), func(n string) string { return strings.TrimSpace(f.Get(n)) })
	var fieldOf map[int]int
	sch.Rows, fieldOf = scheduleRows(data.Fields)
	unreadable := false
	for _, fd := range data.Fields {
		unreadable = unreadable || fd.Error != ""
	}
	bad := len(errs) > 0 || unreadable
	if len(sch.Rows) == 0 && !unreadable {
		errs["rows"] = "schedule.no_rows"
		bad = true
	}
	// The rules are checked even when the resolution, a date or another coefficient is wrong.
	if c.checkScheduleRules(r, &data, sch, positions, fieldOf, unreadable, errs) {
		bad = true
	}
	if bad {
		c.render(w, r, http.StatusUnprocessableEntity, "schedule.html", &page{Data: data, Form: f, Errors: errs})
		return
	}
	if _, _, err := c.store.PutSchedule(r.Context(), principal(r), sch); err != nil {
		c.serverError(w, r, err)
		return
	}
	redirectFlash(w, r, "/schedule?as_of="+sch.EffectiveFrom.Format("2006-01-02"), "schedule_saved")
}

// scheduleVersion reads the version's resolution and dates from the form, with an error code for each
// field that is missing or unreadable; okFrom tells whether the first day could be read.
func scheduleVersion(f url.Values) (sch store.Schedule, okFrom bool, errs map[string]string) {
	errs = map[string]string{}
	resolution := strings.Join(strings.Fields(f.Get("resolution")), " ")
	if resolution == "" || len([]rune(resolution)) > 100 || !printable(resolution) {
		errs["resolution"] = "form.text_required"
	}
	from, okFrom := parseDate(strings.TrimSpace(f.Get("effective_from")))
	if !okFrom {
		errs["effective_from"] = "form.date_required"
	}
	var to *time.Time
	if v := strings.TrimSpace(f.Get("effective_to")); v != "" {
		t, ok := parseDate(v)
		if !ok {
			errs["effective_to"] = "form.date_invalid"
		}
		to = &t
	}
	return store.Schedule{Resolution: resolution, EffectiveFrom: from, EffectiveTo: to}, okFrom, errs
}

// scheduleRows reads the coefficients filled in: a row per readable one (fieldOf maps a row to its
// field), an error on each field that cannot be read.
func scheduleRows(fields []scheduleField) (rows []store.ScheduleRow, fieldOf map[int]int) {
	fieldOf = map[int]int{} // row → field index
	for i := range fields {
		fd := &fields[i]
		if fd.Value == "" {
			continue
		}
		if !coefficientText.MatchString(fd.Value) {
			fd.Error = "schedule.coefficient_invalid"
			continue
		}
		v, err := decimal.NewFromString(strings.ReplaceAll(fd.Value, ",", "."))
		if err != nil {
			fd.Error = "schedule.coefficient_invalid"
			continue
		}
		code := strings.TrimPrefix(fd.Name, "c_")
		if fd.Category != "" {
			code = strings.TrimSuffix(code, "_"+strings.ReplaceAll(fd.Category, ".", ""))
		}
		fieldOf[len(rows)] = i
		rows = append(rows, store.ScheduleRow{PositionCode: code, HamletFundCategory: fd.Category, Coefficient: v})
	}
	return rows, fieldOf
}

// checkScheduleRules checks the version with package schedules and puts each problem on the page: a sum
// over the hamlet fund explained (unless a coefficient could not be read, when the sum is not known), a
// coefficient out of range on its field, an end before the start on its date. It reports whether there
// was any.
func (c *Console) checkScheduleRules(r *http.Request, data *schedulePage, sch store.Schedule, positions []store.Position,
	fieldOf map[int]int, unreadable bool, errs map[string]string) bool {
	bad := false
	for _, p := range schedules.Check(sch.Rows, sch.EffectiveFrom, sch.EffectiveTo, positions) {
		switch {
		case p.Overshoot != nil && unreadable:
			continue // the sum is not known while a coefficient cannot be read
		case p.Overshoot != nil:
			data.Overshoots = append(data.Overshoots, c.explainOvershoot(r, *p.Overshoot, sch.EffectiveFrom, data.Titles))
		case p.Row >= 0:
			data.Fields[fieldOf[p.Row]].Error = "schedule.coefficient_range"
		case p.Field == "effective_to":
			errs["effective_to"] = "schedule.to_before_from"
		}
		bad = true
	}
	return bad
}

// explainOvershoot words a schedule over the hamlet fund: which posts, their sum, the fund, and what the
// excess is each month at the base salary in force on the version's first day.
func (c *Console) explainOvershoot(r *http.Request, o schedules.Overshoot, from time.Time, titles map[string]string) string {
	cat := c.views.catalogs[language(r)]
	parts := make([]string, 0, len(o.Parts))
	for _, p := range o.Parts {
		parts = append(parts, titles[p.Position.Code]+" "+formatCoefficient(p.Coefficient, language(r)))
	}
	s := fmt.Sprintf(cat["schedule.overshoot"], formatCoefficient(decimal.RequireFromString(o.Category), language(r)),
		strings.Join(parts, " + "), formatCoefficient(o.Sum, language(r)), formatCoefficient(o.Over, language(r)),
		formatCoefficient(o.Fund, language(r)))
	if base, _, err := policy.BaseSalary(policy.NewDate(from.Date())); err == nil {
		s += " " + fmt.Sprintf(cat["schedule.overshoot_money"], formatDate(from), formatMoney(base), formatMoney(o.Over.Mul(base).Round(0)))
	}
	return s
}

// formatCoefficient writes a coefficient with a decimal comma in Vietnamese ("1,5"), a point in English.
func formatCoefficient(d decimal.Decimal, lang string) string {
	s := d.String()
	if lang == "vi" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}
