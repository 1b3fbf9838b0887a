package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

//go:embed templates translations static
var files embed.FS

// layoutViews are the pages drawn inside templates/layout.html (each defines "title" and "content");
// standaloneViews are whole documents of their own (the printable decision).
var (
	layoutViews     = []string{"login.html", "password.html", "dashboard.html", "people.html", "communes.html", "commune.html", "hamlets.html", "hamlet.html", "national.html", "schedule.html", "imports.html", "import.html", "reports.html", "report_commune.html", "runs.html", "run.html", "national_province.html", "reorganisation.html", "person.html", "decision.html", "error.html"}
	standaloneViews = []string{"print.html"}
)

// views holds one parsed template set per language and view; the language is bound into the t function
// at parse time, so that no request can render with another request's language.
type views struct {
	sets     map[string]map[string]*template.Template
	catalogs map[string]catalog
}

func mustParseViews() *views {
	v := &views{sets: map[string]map[string]*template.Template{}, catalogs: mustLoadCatalogs()}
	assets := mustLoadAssets()
	for _, lang := range languages {
		v.sets[lang] = map[string]*template.Template{}
		funcs := v.funcs(lang, assets)
		for _, name := range layoutViews {
			v.sets[lang][name] = template.Must(template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials.html", "templates/"+name))
		}
		for _, name := range standaloneViews {
			v.sets[lang][name] = template.Must(template.New(name).Funcs(funcs).ParseFS(files, "templates/"+name))
		}
	}
	return v
}

// funcs are the template functions of one language. A missing key shows as the key itself (and the
// catalogue test fails on it).
func (v *views) funcs(lang string, a *assets) template.FuncMap {
	cat := v.catalogs[lang]
	t := func(key string) string {
		if s, ok := cat[key]; ok {
			return s
		}
		return key
	}
	return template.FuncMap{
		"t":            t,
		"tf":           func(key string, args ...any) string { return fmt.Sprintf(t(key), args...) },
		"date":         formatDate,
		"money":        formatMoney,
		"num":          formatNumber,
		"asset":        a.url,
		"mask":         store.MaskNationalID,
		"lang":         func() string { return lang },
		"add":          func(a, b int) int { return a + b },
		"sub":          func(a, b int) int { return a - b },
		"formula":      formulaVI,
		"reasons":      func() []string { return reasons },
		"runReasons":   func() []string { return runReasons },
		"communeKinds": func() []string { return communeKinds },
		"hamletKinds":  func() []string { return hamletKinds },
		"importKinds":  func() []string { return importKindNames },
		"datetime":     formatDateTime,
		"runPercent":   runPercent,
		"communeTotal": communeTotal,
		"hamletTotal":  hamletTotal,
		"postTotal":    postTotal,
		// why explains an option of the rules engine in the officer's language: chosen, less favourable
		// than the chosen one (by how much), or not eligible (with the engine's reason).
		"why": func(o policy.ExitOption, res policy.BestExitResult) string {
			var chosen decimal.Decimal
			for _, x := range res.Options {
				if x.Policy == res.Chosen {
					chosen = x.Total
				}
			}
			switch {
			case o.Policy == res.Chosen:
				return t("why.chosen")
			case !o.Eligible:
				return t("why.ineligible") + " (" + o.Reason + ")"
			case o.Total.Equal(chosen):
				return fmt.Sprintf(t("why.equal"), t("policy."+res.Chosen))
			}
			return fmt.Sprintf(t("why.less"), t("policy."+res.Chosen), formatMoney(chosen.Sub(o.Total)))
		},
		"parse": func(s string) time.Time { t, _ := parseDate(s); return t },
		"fields": func(f computeForm, errs map[string]string) fieldsData {
			return fieldsData{Form: f, Errors: errs}
		},
	}
}

// fieldsData is what the exit form's fields partial shows: the values and the errors.
type fieldsData struct {
	Form   computeForm
	Errors map[string]string
}

// layout is what every page shows around its content.
type layout struct {
	Lang     string
	Officer  *store.User
	CanWrite bool // a province editor: write buttons are drawn
	Flash    string
	Path     string
	ReqID    string
}

// page is a view's data: the layout, the view's own data, and, for a form shown again, the values and the
// error message key of each field.
type page struct {
	layout
	Data   any
	Form   url.Values
	Errors map[string]string
}

// render executes view into a buffer, then writes it with status: a template error is a clean 500.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, view string, p *page) {
	if p == nil {
		p = &page{}
	}
	p.Lang = language(r)
	p.Officer = officer(r.Context())
	p.CanWrite = p.Officer != nil && p.Officer.Role == store.RoleProvinceEditor
	p.Path = r.URL.Path // the language switch returns here (not to the query: it may hold a searched CCCD)
	p.ReqID = requestID(r)
	if ck, err := r.Cookie(flashCookie); err == nil && r.Method == http.MethodGet {
		if _, known := c.views.catalogs["vi"]["flash."+ck.Value]; known {
			p.Flash = "flash." + ck.Value
		}
		clearCookie(w, r, flashCookie)
	}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	var buf bytes.Buffer
	tmpl := c.views.sets[p.Lang][view]
	if tmpl == nil {
		c.logger.Error("console: no such view", "view", view)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	name := "base"
	if tmpl.Lookup("base") == nil {
		name = view
	}
	if err := tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		c.logger.Error("console: render", "view", view, "err", err.Error(), "request_id", p.ReqID)
		http.Error(w, "Internal Server Error "+p.ReqID, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is the data of error.html: a message key.
type errorPage struct{ Message string }

// renderError shows a translated message and the request id, with status.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	c.render(w, r, status, "error.html", &page{Data: errorPage{Message: key}})
}

// serverError logs err with the request id and shows a page that names the id, never the error.
// Heavy work refused because too much of it runs at once (store.ErrBusy) is a 429 asking to retry, not
// an internal error.
func (c *Console) serverError(w http.ResponseWriter, r *http.Request, err error) {
	var busy *store.BusyError
	if errors.As(err, &busy) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(busy.RetryAfter.Seconds()))))
		c.renderError(w, r, http.StatusTooManyRequests, "error.busy")
		return
	}
	c.logger.Error("console: internal error", "err", err.Error(), "request_id", requestID(r), "path", r.URL.Path)
	c.renderError(w, r, http.StatusInternalServerError, "error.internal")
}

// redirectFlash redirects (303) after a successful write, with a message shown once on the next page.
func redirectFlash(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		setCookie(w, r, flashCookie, flash, 0)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
