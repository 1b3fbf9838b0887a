package api

import (
	"errors"
	"io"
	"net/http"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// ImportService is the import pipeline of POST …/imports and GET …/imports/{id}/errors.csv offered to
// the web console, so that an officer's upload is spooled, parsed, validated and applied by the same
// code, on the same job runner, as an API client's: the console parses nothing itself.
type ImportService struct{ s *Server }

// Start runs an import of kind in mode ("validate" or "apply") from body, as p, for province: finished
// when the file is small (as the API's 201), running in the background for a large one (as its 202).
// A refusal before the job exists (unknown kind, file too large, queue full) is an error Describe words.
func (i *ImportService) Start(r *http.Request, p store.Principal, province, kind, mode string, body io.Reader) (store.ImportJob, error) {
	k, ok := importKinds[kind]
	if !ok || (mode != "apply" && mode != "validate") {
		return store.ImportJob{}, queryError("kind", "oneof", "must be communes, hamlets, cadres or assignments", "phải là communes, hamlets, cadres hoặc assignments")
	}
	sp, err := tabular.SpoolUpload(body)
	if err != nil {
		return store.ImportJob{}, jsonProblem(err)
	}
	_, job, err := i.s.startImport(r, p, province, k, mode, sp)
	return job, err
}

// Get reads a job as p sees it (a viewer's copy has identity numbers masked in its messages).
func (i *ImportService) Get(r *http.Request, p store.Principal, province, id string) (store.ImportJob, error) {
	j, err := i.s.store.GetImportJob(r.Context(), p, province, id)
	if err == nil {
		maskJobErrors(p, &j)
	}
	return j, err
}

// List reads a page of the province's jobs, newest first, as p sees them.
func (i *ImportService) List(r *http.Request, p store.Principal, province string, limit int) ([]store.ImportJob, error) {
	js, err := i.s.store.ListImportJobs(r.Context(), p, province, limit, "")
	for k := range js {
		maskJobErrors(p, &js[k])
	}
	return js, err
}

// ErrorsCSV writes the job's errors file, exactly as GET …/imports/{id}/errors.csv does.
func (i *ImportService) ErrorsCSV(w http.ResponseWriter, r *http.Request, p store.Principal, province, id string) error {
	return i.s.writeImportErrorsCSV(w, r, p, province, id)
}

// Template writes the import template of kind as an Excel workbook, in Vietnamese when vi (the API's
// GET /v1/import-templates/{kind}.xlsx?lang=vi or lang=en); ok is false for an unknown kind.
func (i *ImportService) Template(w http.ResponseWriter, r *http.Request, p store.Principal, kind string, vi bool) (ok bool, err error) {
	k, known := importKinds[kind]
	if !known {
		return false, nil
	}
	positions, err := i.s.store.ListPositions(r.Context(), p)
	if err != nil {
		return true, err
	}
	return true, writeTemplateXLSX(w, newTemplate(k, vi, positions), kind+".xlsx")
}

// Describe words a refusal of Start in the reader's language: its HTTP status and detail; ok is false
// for an unexpected error (a 500).
func Describe(err error, vi bool) (status int, detail string, ok bool) {
	var e *Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError, "", false
	}
	return e.Status, pick(vi, e.DetailEN, e.DetailVI), true
}
