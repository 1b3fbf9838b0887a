package api

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

func utf8Valid(s string) bool { return utf8.ValidString(s) }

type importJobList struct {
	Items      []importJobResponse `json:"items"`
	NextCursor *string             `json:"next_cursor"`
}

func (s *Server) listImports(w http.ResponseWriter, r *http.Request) error {
	limit, before, err := page(r)
	if err != nil {
		return err
	}
	jobs, err := s.store.ListImportJobs(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), limit, before)
	if err != nil {
		return err
	}
	out := importJobList{Items: make([]importJobResponse, 0, len(jobs))}
	last := ""
	for _, j := range jobs {
		maskJobErrors(principalFrom(r.Context()), &j)
		out.Items = append(out.Items, toImportJobResponse(j, vietnamese(r)))
		last = j.Cursor()
	}
	out.NextCursor = nextCursor(last, len(jobs), limit)
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request) error {
	j, err := s.store.GetImportJob(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	maskJobErrors(principalFrom(r.Context()), &j)
	return writeJSON(w, http.StatusOK, toImportJobResponse(j, vietnamese(r)))
}

// importErrorsCSV streams every failed row as uploaded plus an `error` column (UTF-8 with BOM, every cell
// of every row, the header included, neutralised as in the other CSV exports), to fix in Excel and upload
// again. The rows are read from the database a page at a time: memory stays flat whatever the file.
func (s *Server) importErrorsCSV(w http.ResponseWriter, r *http.Request) error {
	return s.writeImportErrorsCSV(w, r, principalFrom(r.Context()), chi.URLParam(r, "province"), chi.URLParam(r, "id"))
}

func (s *Server) writeImportErrorsCSV(w http.ResponseWriter, r *http.Request, p store.Principal, province, id string) error {
	j, err := s.store.GetImportJob(r.Context(), p, province, id)
	if err != nil {
		return err
	}
	// The first page is read before anything is written, so that a failure is still a clean problem.
	page, err := s.store.ImportRejectsAfter(r.Context(), p, province, id, 0, store.RejectPage)
	if err != nil {
		return err
	}
	e := newRejectsCSV(j, p)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="import-`+j.ID+`-errors.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	if j.Delimiter == ";" {
		cw.Comma = ';' // as uploaded: Excel in a Vietnamese locale reads ';'
	}
	_, _ = io.WriteString(w, "\uFEFF")
	out := make([]string, 0, len(e.header))
	for _, h := range e.header {
		out = append(out, csvCell(e.mask(h)))
	}
	_ = cw.Write(out)
	for {
		for _, rj := range page {
			_ = cw.Write(e.row(out[:0], rj))
		}
		if len(page) < store.RejectPage {
			break
		}
		cw.Flush()
		if page, err = s.store.ImportRejectsAfter(r.Context(), p, province, id, page[len(page)-1].Line, store.RejectPage); err != nil {
			// The status is sent: the download is cut short rather than passed off as the whole file.
			loggerFrom(r.Context()).ErrorContext(r.Context(), "errors.csv", "request_id", requestIDFrom(r.Context()), "error", err.Error())
			panic(http.ErrAbortHandler)
		}
	}
	cw.Flush()
	return nil
}

// rejectsCSV is how errors.csv writes a job's rejected rows: the upload's header with the error column
// (replaced when the file is itself a fixed errors.csv), identity numbers masked for a viewer.
type rejectsCSV struct {
	header []string
	errCol int // the error column of the upload, or -1: appended
	nidCol int // the national_id column to mask, or -1
	mask   func(string) string
}

func newRejectsCSV(j store.ImportJob, p store.Principal) *rejectsCSV {
	e := &rejectsCSV{header: append([]string{}, j.Header...), errCol: -1, nidCol: -1, mask: viewerText(p)}
	for i, h := range e.header {
		if tabular.Fold(h) == errorsColumn {
			e.errCol = i
		}
	}
	if e.errCol < 0 {
		e.header = append(e.header, errorsColumn)
	}
	// The rows are echoed as uploaded, identity numbers included: a viewer sees them masked, as in the
	// cadre views, in the national_id column whatever its content and in every other cell
	// and the messages wherever a 12-digit run appears; the editor who fixes the file gets them whole.
	if kind, ok := importKinds[j.Kind]; ok && masksNationalID(p) {
		if idx, _ := kind.mapHeader(j.Header); idx != nil {
			if i, ok := idx["national_id"]; ok {
				e.nidCol = i
			}
		}
	}
	return e
}

// row appends a rejected row's cells and its errors to out.
func (e *rejectsCSV) row(out []string, rj store.Reject) []string {
	for i, f := range rj.Fields {
		if i == e.nidCol {
			f = store.MaskNationalID(strings.TrimSpace(f))
		}
		out = append(out, csvCell(e.mask(f)))
	}
	msg := csvCell(e.mask(rj.Error))
	if e.errCol >= 0 {
		for len(out) <= e.errCol {
			out = append(out, "")
		}
		out[e.errCol] = msg
		return out
	}
	for len(out) < len(e.header)-1 {
		out = append(out, "")
	}
	return append(out, msg)
}

// importTemplate serves /v1/import-templates/{kind}.csv: UTF-8 with BOM (so Excel shows Vietnamese
// correctly), the header row and one example row.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "file")
	kind, ok := importKinds[strings.TrimSuffix(name, ".csv")]
	if !ok || !strings.HasSuffix(name, ".csv") {
		return errNotFound()
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	header := make([]string, len(kind.columns))
	example := make([]string, len(kind.columns))
	for i, c := range kind.columns {
		header[i], example[i] = c.name, c.example
	}
	_ = cw.Write(header)
	_ = cw.Write(example)
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
	return nil
}
