package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

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
}

// SetImporter gives the console the import pipeline (api.Config.ConsoleImports).
func (c *Console) SetImporter(i Importer) { c.imports = i }

var importKindNames = []string{"communes", "hamlets", "cadres", "assignments"}

// importsPage is the upload form and the history of the province's imports.
type importsPage struct {
	Kind, Mode string
	Problem    string // a refusal before any job exists, already in the officer's language
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
	var err error
	if data.Jobs, err = c.imports.List(r, principal(r), *officer(r.Context()).Province, 50); err != nil {
		c.serverError(w, r, err)
		return
	}
	c.render(w, r, status, "imports.html", &page{Data: data, Errors: errs})
}

// upload reads the multipart form as a stream (kind and mode come before the file, in the form's order)
// and hands the file part to the import pipeline unbuffered.
func (c *Console) upload(w http.ResponseWriter, r *http.Request) {
	if c.imports == nil {
		c.renderError(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	data := importsPage{Kind: "cadres", Mode: "validate"}
	errs := map[string]string{}
	mr, err := r.MultipartReader()
	if err != nil {
		errs["file"] = "imports.file_required"
		c.renderImports(w, r, http.StatusUnprocessableEntity, data, errs)
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			errs["file"] = "imports.file_required"
			if !errors.Is(err, io.EOF) {
				data.Problem = c.describe(r, err)
			}
			c.renderImports(w, r, http.StatusUnprocessableEntity, data, errs)
			return
		}
		switch part.FormName() {
		case "kind", "mode":
			v, _ := io.ReadAll(io.LimitReader(part, 32))
			if part.FormName() == "kind" {
				data.Kind = string(v)
			} else {
				data.Mode = string(v)
			}
			continue
		case "file":
		default:
			continue
		}
		known := false
		for _, k := range importKindNames {
			known = known || k == data.Kind
		}
		if !known {
			errs["kind"] = "form.choice_invalid"
		}
		if data.Mode != "validate" && data.Mode != "apply" {
			errs["mode"] = "form.choice_invalid"
		}
		if part.FileName() == "" {
			errs["file"] = "imports.file_required"
		}
		if len(errs) > 0 {
			c.renderImports(w, r, http.StatusUnprocessableEntity, data, errs)
			return
		}
		job, err := c.imports.Start(r, principal(r), *officer(r.Context()).Province, data.Kind, data.Mode, part)
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
		return
	}
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
func (c *Console) importErrors(w http.ResponseWriter, r *http.Request) {
	j, ok := c.job(w, r)
	if !ok {
		return
	}
	if err := c.imports.ErrorsCSV(w, r, principal(r), j.Province, j.ID); err != nil {
		c.serverError(w, r, err)
	}
}
