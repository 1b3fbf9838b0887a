package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"

	"communehr/internal/api"
	"communehr/internal/refdata"
	"communehr/internal/reorg"
)

// The reorganisation page (issue 14 item 8): choose the level, the date and the mapping (the 2025
// national merger from the reference data, or an uploaded CSV), preview before and after, answer what a
// split asks, and (editors) apply after a confirmation step. The planning is internal/reorg's, with the
// API's exit computation, so the page and POST …/reorganisations show the same figures.

// reorgForm is the request as the officer filled it in; answers are keyed "hamlet:CODE" and "post:ID".
type reorgForm struct {
	Level, EffectiveDate, Mapping, MappingCSV string
	Answers                                   map[string]string
}

// maxMappingBytes caps an uploaded mapping (the largest province's is about 40 KB).
const maxMappingBytes = 1 << 20

// reorgBase is where the page lives: /reorganisation for a province's officers, under
// /national/{province} for the Ministry (preview only).
func reorgBase(r *http.Request) (province, base string) {
	if p := officer(r.Context()).Province; p != nil {
		return *p, "/reorganisation"
	}
	code := chi.URLParam(r, "province")
	return code, "/national/" + code + "/reorganisation"
}

func (c *Console) reorgService() reorg.Service {
	return reorg.Service{Store: c.store, Exit: api.ReorgExit}
}

func (c *Console) showReorg(w http.ResponseWriter, r *http.Request) {
	province, base := reorgBase(r)
	if !provinceCode.MatchString(province) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	f := reorgForm{Level: "commune", EffectiveDate: refdata.Effective2025.Format("2006-01-02"), Mapping: "csv"}
	v := newReorgView(province, base, f)
	if v.National {
		f.Mapping, v.Form.Mapping = reorg.MappingNational2025, reorg.MappingNational2025
	}
	c.render(w, r, http.StatusOK, "reorganisation.html", &page{Data: v})
}

// readReorgForm reads the form (multipart when a mapping file is uploaded) into the planner's request;
// errs maps a field to its message key.
func readReorgForm(r *http.Request) (reorgForm, map[string]string) {
	errs := map[string]string{}
	f := reorgForm{Answers: map[string]string{}}
	if err := r.ParseMultipartForm(maxMappingBytes); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		errs["mapping_file"] = "reorg.file_too_large"
		return f, errs
	}
	f.Level, f.EffectiveDate = r.FormValue("level"), strings.TrimSpace(r.FormValue("effective_date"))
	f.Mapping, f.MappingCSV = r.FormValue("mapping"), r.FormValue("mapping_csv")
	if file, _, err := r.FormFile("mapping_file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(file, maxMappingBytes+1))
		file.Close()
		if err != nil || len(b) > maxMappingBytes {
			errs["mapping_file"] = "reorg.file_too_large"
		} else if len(b) > 0 {
			f.MappingCSV = string(b)
		}
	}
	for k, vs := range r.Form {
		if (strings.HasPrefix(k, "hamlet:") || strings.HasPrefix(k, "post:")) && len(vs) > 0 && vs[0] != "" {
			f.Answers[k] = vs[0]
		}
	}
	if f.Level != "commune" && f.Level != "hamlet" {
		errs["level"] = "form.choice_invalid"
	}
	if _, ok := parseDate(f.EffectiveDate); !ok {
		errs["effective_date"] = "form.date_required"
	}
	switch {
	case f.Mapping != reorg.MappingNational2025 && f.Mapping != "csv":
		errs["mapping"] = "form.choice_invalid"
	case f.Mapping == "csv" && strings.TrimSpace(f.MappingCSV) == "" && errs["mapping_file"] == "":
		errs["mapping_file"] = "reorg.file_required"
	}
	return f, errs
}

// masked is the form as the page carries it back to a viewer: the uploaded file and the answers with
// every 12-digit run masked (api.ViewerText: a viewer never receives a national ID, even one they typed).
func (f reorgForm) masked(mask func(string) string) reorgForm {
	f.MappingCSV = mask(f.MappingCSV)
	answers := make(map[string]string, len(f.Answers))
	for k, v := range f.Answers {
		answers[mask(k)] = mask(v)
	}
	f.Answers = answers
	return f
}

// maskedRefusal passes a planner's refusal through mask (any other error is returned as it is).
func maskedRefusal(err error, mask func(string) string) error {
	var inv *reorg.Invalid
	if errors.As(err, &inv) {
		return inv.Masked(mask)
	}
	return err
}

// request makes the planner's request from a checked form; a mapping that cannot be read is a
// *reorg.Invalid naming its lines.
func (f reorgForm) request(province string) (*reorg.Request, error) {
	eff, _ := parseDate(f.EffectiveDate)
	req := &reorg.Request{Province: province, Effective: eff, Level: f.Level, National: f.Mapping == reorg.MappingNational2025,
		Hamlets: map[string]string{}, Posts: map[string]string{}}
	for k, v := range f.Answers {
		kind, id, _ := strings.Cut(k, ":")
		if kind == "hamlet" {
			req.Hamlets[id] = v
		} else {
			req.Posts[id] = v
		}
	}
	if !req.National {
		if err := req.ReadCSV(strings.NewReader(f.MappingCSV)); err != nil {
			return nil, err
		}
	}
	return req, req.Validate()
}

// plan reads the form and previews it; ok is false when a page was already written (a form error,
// a refusal of the planner shown in the officer's language, or a server error).
func (c *Console) plan(w http.ResponseWriter, r *http.Request) (*reorgView, *reorg.Request, bool) {
	province, base := reorgBase(r)
	if !provinceCode.MatchString(province) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return nil, nil, false
	}
	f, errs := readReorgForm(r)
	mask := api.ViewerText(principal(r))
	v := newReorgView(province, base, f.masked(mask))
	if len(errs) > 0 {
		c.render(w, r, http.StatusUnprocessableEntity, "reorganisation.html", &page{Data: v, Errors: errs})
		return nil, nil, false
	}
	req, err := f.request(province)
	if err == nil {
		v.Sum, err = c.reorgService().Preview(r.Context(), principal(r), req, language(r) == "vi")
	}
	if c.refused(w, r, v, maskedRefusal(err, mask)) {
		return nil, nil, false
	}
	v.Sum = v.Sum.Masked(mask)
	titles, err := c.positionTitles(r)
	if err != nil {
		c.serverError(w, r, err)
		return nil, nil, false
	}
	v.fill(c.views.catalogs[language(r)], language(r), titles)
	return v, req, true
}

// positionTitles names the posts in the officer's language.
func (c *Console) positionTitles(r *http.Request) (map[string]string, error) {
	ps, err := c.store.ListPositions(r.Context(), principal(r))
	titles := make(map[string]string, len(ps))
	for _, p := range ps {
		titles[p.Code] = p.TitleVI
		if language(r) == "en" && p.TitleEN != "" {
			titles[p.Code] = p.TitleEN
		}
	}
	return titles, err
}

// refused shows a planner's refusal (422, its messages in the officer's language) or a server error; it
// reports whether it wrote a page.
func (c *Console) refused(w http.ResponseWriter, r *http.Request, v *reorgView, err error) bool {
	var inv *reorg.Invalid
	switch {
	case err == nil:
		return false
	case errors.As(err, &inv):
		v.Refusal = plainDates(pickText(r, inv.DetailEN, inv.DetailVI))
		for _, f := range inv.Fields {
			v.Problems = append(v.Problems, problemText(c.views.catalogs[language(r)], pickText(r, f.EN, f.VI), f))
		}
		c.render(w, r, http.StatusUnprocessableEntity, "reorganisation.html", &page{Data: v})
	case errors.Is(err, reorg.ErrNoReferenceData):
		c.render(w, r, http.StatusUnprocessableEntity, "reorganisation.html", &page{Data: v, Errors: map[string]string{"mapping": "reorg.no_reference"}})
	case errors.Is(err, reorg.ErrBusy):
		v.Refusal = c.views.catalogs[language(r)]["reorg.busy"]
		c.render(w, r, http.StatusConflict, "reorganisation.html", &page{Data: v})
	default:
		c.serverError(w, r, err)
	}
	return true
}

// problemText words one of the planner's reasons for an officer: the line and column of the uploaded
// file it is about, or the label of the form's field, dates as dd/mm/yyyy, never the request's pointer.
// A reason about a unit, a hamlet or a post names it itself.
func problemText(cat catalog, text string, f reorg.Field) string {
	text = plainDates(text)
	if line, col, ok := f.Cell(); ok {
		if col == "" {
			return fmt.Sprintf(cat["reorg.cell_line"], line) + ": " + text
		}
		return fmt.Sprintf(cat["reorg.cell"], line, col) + ": " + text
	}
	parts := strings.Split(strings.TrimPrefix(f.Pointer, "/"), "/")
	label := ""
	switch {
	case f.Pointer == "/effective_date":
		label = "reorg.effective_date"
	case f.Pointer == "/level":
		label = "reorg.level"
	case parts[0] == "mapping" && len(parts) != 2: // the mapping as a whole, or an entry's value
		label = "reorg.mapping"
	}
	if label == "" {
		return text
	}
	return cat[label] + ": " + text
}

var isoDate = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)

// plainDates writes the planner's ISO dates as an officer reads them (dd/mm/yyyy).
func plainDates(s string) string { return isoDate.ReplaceAllString(s, "$3/$2/$1") }

func pickText(r *http.Request, en, vi string) string {
	if language(r) == "vi" {
		return vi
	}
	return en
}

func (c *Console) previewReorg(w http.ResponseWriter, r *http.Request) {
	if v, _, ok := c.plan(w, r); ok {
		c.render(w, r, http.StatusOK, "reorganisation.html", &page{Data: v})
	}
}

// applyReorg is the apply in two steps: without confirm=yes it shows the preview again as a
// confirmation (every answer kept); with it, the apply runs as the officer (audited in their name).
func (c *Console) applyReorg(w http.ResponseWriter, r *http.Request) {
	v, req, ok := c.plan(w, r)
	if !ok {
		return
	}
	if len(v.Sum.NeedsAnswer) > 0 || r.FormValue("confirm") != "yes" {
		v.Confirm = len(v.Sum.NeedsAnswer) == 0
		c.render(w, r, http.StatusOK, "reorganisation.html", &page{Data: v})
		return
	}
	sum, err := c.reorgService().Apply(r.Context(), principal(r), req, language(r) == "vi")
	if c.refused(w, r, v, err) {
		return
	}
	v.Sum, v.Applied = sum, true
	titles, _ := c.positionTitles(r)
	v.fill(c.views.catalogs[language(r)], language(r), titles)
	c.render(w, r, http.StatusOK, "reorganisation.html", &page{Data: v})
}

// sortedKeys lists a map's keys in order (the answers kept as hidden fields).
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
