package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"communehr/internal/api"
	"communehr/internal/store"
)

// Importer is the API's import pipeline (api.ImportService): the console uploads, validates, applies and
// reads imports through it, never parsing a file itself.
type Importer interface {
	Start(r *http.Request, p store.Principal, province, kind, mode string, body io.Reader) (store.ImportJob, error)
	Get(r *http.Request, p store.Principal, province, id string) (store.ImportJob, error)
	List(r *http.Request, p store.Principal, province string, limit int) ([]store.ImportJob, error)
	ErrorsCSV(w http.ResponseWriter, r *http.Request, p store.Principal, province, id string) error
	Template(w http.ResponseWriter, r *http.Request, p store.Principal, kind string, vi bool) (bool, error)
}

// SetImporter gives the console the import pipeline (api.Config.ConsoleImports).
func (c *Console) SetImporter(i Importer) { c.imports = i }

var importKindNames = []string{"communes", "hamlets", "cadres", "assignments", "commune-sheet"}

// sheetKind is the kind of one commune's people and posts in one sheet: the only kind the commune
// chooser is for.
const sheetKind = "commune-sheet"

// importsPage is the upload form and the history of the province's imports.
type importsPage struct {
	Kind, Mode string
	Commune    string          // the commune a commune sheet is for ("": its rows say, in a "Mã xã" column)
	Communes   []store.Commune // the province's communes in force today, for the chooser
	Problem    string          // a refusal before any job exists, already in the officer's language
	Jobs       []store.ImportJob
}

func (c *Console) showImports(w http.ResponseWriter, r *http.Request) {
	c.renderImports(w, r, http.StatusOK, importsPage{Kind: "cadres", Mode: "validate"}, nil)
}

func (c *Console) renderImports(w http.ResponseWriter, r *http.Request, status int, data importsPage, errs map[string]string) {
	if c.imports == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p, province := principal(r), *officer(r.Context()).Province
	var err error
	if data.Jobs, err = c.imports.List(r, p, province, 50); err != nil {
		c.serverError(w, r, err)
		return
	}
	if data.Communes == nil {
		if data.Communes, err = c.communesToday(r); err != nil {
			c.serverError(w, r, err)
			return
		}
	}
	c.render(w, r, status, "imports.html", &page{Data: data, Errors: errs})
}

// upload reads the multipart form as a stream (kind, mode and commune come before the file, in the
// form's order) and hands the file part to the import pipeline unbuffered.
func (c *Console) upload(w http.ResponseWriter, r *http.Request) {
	if c.imports == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	data := importsPage{Kind: "cadres", Mode: "validate"}
	errs := map[string]string{}
	part, err := uploadFields(r, &data)
	if err != nil || part == nil {
		errs["file"] = "imports.file_required"
		if err != nil && !errors.Is(err, io.EOF) {
			data.Problem = c.describe(r, err)
		}
		c.renderImports(w, r, http.StatusUnprocessableEntity, data, errs)
		return
	}
	if data.Communes, err = c.communesToday(r); err != nil {
		c.serverError(w, r, err)
		return
	}
	if checkUpload(data, part.FileName(), errs); len(errs) > 0 {
		c.renderImports(w, r, http.StatusUnprocessableEntity, data, errs)
		return
	}
	job, err := c.imports.Start(sheetRequest(r, data), principal(r), *officer(r.Context()).Province, data.Kind, data.Mode, part)
	if err != nil {
		status, detail, ok := api.Describe(err, language(r) == "vi")
		if !ok {
			c.serverError(w, r, err)
			return
		}
		data.Problem = detail
		c.renderImports(w, r, status, data, errs)
		return
	}
	http.Redirect(w, r, "/imports/"+job.ID, http.StatusSeeOther)
}

// uploadFields reads the form's fields into data up to its file part, which it returns unread.
func uploadFields(r *http.Request, data *importsPage) (*multipart.Part, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, err
		}
		switch part.FormName() {
		case "file":
			return part, nil
		case "kind", "mode", "commune":
			b, _ := io.ReadAll(io.LimitReader(part, 32))
			v := strings.TrimSpace(string(b))
			switch part.FormName() {
			case "kind":
				data.Kind = v
			case "mode":
				data.Mode = v
			default:
				data.Commune = v
			}
		}
	}
}

// checkUpload words what is wrong with the form before the file is read (data.Communes are the choices).
func checkUpload(data importsPage, file string, errs map[string]string) {
	if !slices.Contains(importKindNames, data.Kind) {
		errs["kind"] = "form.choice_invalid"
	}
	if data.Mode != "validate" && data.Mode != "apply" {
		errs["mode"] = "form.choice_invalid"
	}
	if data.Kind == sheetKind && data.Commune != "" &&
		!slices.ContainsFunc(data.Communes, func(u store.Commune) bool { return u.Code == data.Commune }) {
		errs["commune"] = "form.choice_invalid"
	}
	if file == "" {
		errs["file"] = "imports.file_required"
	}
}

// communesToday is the province's communes in force today, the commune chooser's choices.
func (c *Console) communesToday(r *http.Request) ([]store.Commune, error) {
	today := c.today()
	return c.store.ListCommunes(r.Context(), principal(r), *officer(r.Context()).Province,
		store.CommuneFilter{ActiveOn: &today, Limit: 5000})
}

// sheetRequest is r with the commune a commune sheet is for as the API's `commune` parameter, which is
// how the import pipeline is told it; the chooser means nothing for the other kinds.
func sheetRequest(r *http.Request, data importsPage) *http.Request {
	if data.Kind != sheetKind || data.Commune == "" {
		return r
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = url.Values{"commune": {data.Commune}}.Encode()
	return r2
}

func (c *Console) describe(r *http.Request, err error) string {
	_, detail, _ := api.Describe(err, language(r) == "vi")
	return detail
}

// importPage is one job: its counts, its progress while it runs, and its errors by line and column.
type importPage struct {
	Job     store.ImportJob
	Running bool
	Percent int
}

func (c *Console) job(w http.ResponseWriter, r *http.Request) (store.ImportJob, bool) {
	id := chi.URLParam(r, "id")
	if c.imports == nil || !validID(id) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return store.ImportJob{}, false
	}
	j, err := c.imports.Get(r, principal(r), *officer(r.Context()).Province, id)
	if errors.Is(err, store.ErrNotFound) {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return j, false
	}
	if err != nil {
		c.serverError(w, r, err)
		return j, false
	}
	return j, true
}

func percent(j store.ImportJob) int {
	if j.Status != "running" && j.Status != "queued" {
		return 100
	}
	if j.RowsTotal <= 0 {
		return 0
	}
	return min(99, j.RowsProcessed*100/j.RowsTotal)
}

func (c *Console) showImport(w http.ResponseWriter, r *http.Request) {
	j, ok := c.job(w, r)
	if !ok {
		return
	}
	running := j.Status == "running" || j.Status == "queued"
	c.render(w, r, http.StatusOK, "import.html", &page{Data: importPage{Job: j, Running: running, Percent: percent(j)}})
}

// importProgress is what the page's script polls while a job runs.
func (c *Console) importProgress(w http.ResponseWriter, r *http.Request) {
	j, ok := c.job(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"status": j.Status, "rows_processed": j.RowsProcessed,
		"rows_total": j.RowsTotal, "percent": percent(j), "done": j.Status != "running" && j.Status != "queued"})
}

// importErrors downloads the errors file through the API's own writer, with the officer's session.
// importTemplate downloads the Excel template of a kind (a workbook named {kind}.xlsx) in the officer's language: the
// headers it writes are accepted on upload.
func (c *Console) importTemplate(w http.ResponseWriter, r *http.Request) {
	ok, err := c.imports.Template(w, r, principal(r), chi.URLParam(r, "kind"), language(r) == "vi")
	switch {
	case err != nil:
		c.serverError(w, r, err)
	case !ok:
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
	}
}

func (c *Console) importErrors(w http.ResponseWriter, r *http.Request) {
	j, ok := c.job(w, r)
	if !ok {
		return
	}
	if err := c.imports.ErrorsCSV(w, r, principal(r), j.Province, j.ID); err != nil {
		c.serverError(w, r, err)
	}
}
