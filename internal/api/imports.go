package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/jobs"
	"communehr/internal/store"
	"communehr/internal/tabular"
)

// mountImports registers CSV imports under /v1/provinces/{province}/imports (issue 5).
func (s *Server) mountImports(r chi.Router) {
	r.Route("/imports", func(r chi.Router) {
		r.Get("/", handle(s.listImports))
		r.Post("/", handle(s.createImport))
		r.Get("/{id}", handle(s.getImport))
		r.Get("/{id}/errors.csv", handle(s.importErrorsCSV))
		r.Post("/{id}/cancel", handle(s.cancelImport))
	})
}

// mountImportTemplates registers GET /v1/import-templates/{kind}.csv (issue 5).
func (s *Server) mountImportTemplates(r chi.Router) {
	r.Get("/import-templates/{file}", handle(s.importTemplateFile))
}

type importErrorResponse struct {
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type importJobResponse struct {
	ID            string                `json:"id"`
	Kind          string                `json:"kind"`
	Mode          string                `json:"mode"`
	Status        string                `json:"status"`
	FailureReason *string               `json:"failure_reason"`
	RowsTotal     int                   `json:"rows_total"`
	RowsProcessed int                   `json:"rows_processed"`
	RowsInserted  int                   `json:"rows_inserted"`
	RowsUpdated   int                   `json:"rows_updated"`
	RowsUnchanged int                   `json:"rows_unchanged"`
	RowsFailed    int                   `json:"rows_failed"`
	ErrorsTotal   int                   `json:"errors_total"`
	Errors        []importErrorResponse `json:"errors"`
	StartedAt     time.Time             `json:"started_at"`
	FinishedAt    *time.Time            `json:"finished_at"`
}

func toImportJobResponse(j store.ImportJob, vi bool) importJobResponse {
	out := importJobResponse{ID: j.ID, Kind: j.Kind, Mode: j.Mode, Status: j.Status, FailureReason: j.FailureReason,
		RowsTotal: j.RowsTotal, RowsProcessed: j.RowsProcessed, RowsInserted: j.RowsInserted, RowsUpdated: j.RowsUpdated,
		RowsUnchanged: j.RowsUnchanged, RowsFailed: j.RowsFailed, ErrorsTotal: j.ErrorsTotal, StartedAt: j.StartedAt.UTC(), Errors: []importErrorResponse{}}
	if j.FinishedAt != nil {
		t := j.FinishedAt.UTC()
		out.FinishedAt = &t
	}
	for _, e := range j.Errors {
		out.Errors = append(out.Errors, importErrorResponse{Line: e.Line, Column: e.Column, Code: e.Code, Message: pick(vi, e.MessageEN, e.MessageVI)})
	}
	return out
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// importBody returns the CSV stream of the request: the body itself (text/csv) or the `file` part of a
// multipart form, read without buffering it whole.
func importBody(r *http.Request) (io.Reader, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && ct != "" {
		return nil, errUnsupportedCSV()
	}
	switch mt {
	case "", "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", xlsxMediaType:
		return r.Body, nil
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, errBadRequest("The multipart body cannot be read.", "Không đọc được nội dung multipart.")
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil, errInvalid("The form has no `file` field.", "Biểu mẫu không có trường `file`.",
					FieldError{Pointer: "form/file", Code: "required", MessageEN: "required", MessageVI: "bắt buộc"})
			}
			if err != nil {
				return nil, jsonProblem(err)
			}
			if part.FormName() == "file" {
				return part, nil
			}
		}
	}
	return nil, errUnsupportedCSV()
}

func errUnsupportedCSV() *Error {
	return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
		TitleEN: "Unsupported media type", TitleVI: "Kiểu nội dung không được hỗ trợ",
		DetailEN: "Send the file as CSV or as an Excel workbook (.xlsx), in the body or as the file of a form upload.",
		DetailVI: "Hãy gửi tệp CSV hoặc sổ tính Excel (.xlsx), trong nội dung yêu cầu hoặc dạng tệp đính kèm của biểu mẫu."}
}

func (s *Server) createImport(w http.ResponseWriter, r *http.Request) error {
	kind, mode, err := importParams(r)
	if err != nil {
		return err
	}
	body, err := importBody(r)
	if err != nil {
		return err
	}
	sp, err := tabular.SpoolUpload(body)
	if err != nil {
		return jsonProblem(err) // 413 over the limit; otherwise a read error
	}
	// An .xlsx workbook (by its media type or its ZIP signature, as a multipart file named .xlsx is) is
	// converted to the CSV the pipeline reads, row N on line N (importxlsx.go).
	if sp, err = workbookUpload(r, sp, s.cfg.ImportMaxBytes); err != nil {
		return err
	}
	p := principalFrom(r.Context())
	province := chi.URLParam(r, "province")
	idemKey := r.Header.Get("Idempotency-Key")
	if done, err := s.claimImportKey(w, r, p, idemKey, kind, mode, sp); done || err != nil {
		sp.Close()
		return err
	}
	// Until the answer is recorded, a failure — an error or a panic (which the router turns into a 500) —
	// releases the key, so that the client's retry is served rather than told "still being processed"
	// for as long as the process lives (issue 10 item 7).
	answered := false
	defer func() {
		if !answered && idemKey != "" {
			_ = s.store.ReleaseIdempotencyKey(context.WithoutCancel(r.Context()), p, province, idemKey)
		}
	}()
	afterImportClaim()
	status, job, err := s.startImport(r, p, province, kind, mode, sp)
	if err != nil {
		return err
	}
	answered = true
	return s.answerImport(w, r, p, idemKey, status, job)
}

// afterImportClaim runs between an upload's claim of its Idempotency-Key and the start of its job: a test
// makes it panic there.
var afterImportClaim = func() {}

// importParams reads ?kind= and ?mode= (apply by default) of an upload.
func importParams(r *http.Request) (*importKind, string, error) {
	q := r.URL.Query()
	kind, ok := importKinds[q.Get("kind")]
	if !ok {
		return nil, "", queryError("kind", "oneof", "must be communes, hamlets, cadres, assignments or commune-sheet",
			"phải là communes, hamlets, cadres, assignments hoặc commune-sheet")
	}
	mode := q.Get("mode")
	if mode == "" {
		mode = "apply"
	}
	if mode != "apply" && mode != "validate" {
		return nil, "", queryError("mode", "oneof", "must be validate or apply", "phải là validate hoặc apply")
	}
	return kind, mode, nil
}

// claimImportKey claims the upload's Idempotency-Key (when it has one) for the hash of kind, mode, sheet
// and the whole file, computed while spooling. done: the first answer was replayed, nothing more to do;
// an error refuses the upload. Either way the caller closes the spool.
func (s *Server) claimImportKey(w http.ResponseWriter, r *http.Request, p store.Principal, idemKey string, kind *importKind, mode string, sp *spool) (done bool, err error) {
	if idemKey == "" {
		return false, nil
	}
	if err := checkIdempotencyKey(idemKey); err != nil {
		return false, err
	}
	h := append([]byte(kind.name+"|"+mode+"|"+r.URL.Query().Get("sheet")+"|"+sheetKey(kind, r.URL.Query())), sp.Sum...)
	rec, err := s.store.ClaimIdempotencyKey(r.Context(), p, chi.URLParam(r, "province"), idemKey, r.Method, r.URL.Path, h)
	switch {
	case errors.Is(err, store.ErrIdemMismatch):
		return false, errInvalid("This Idempotency-Key was already used with a different file.", "Idempotency-Key này đã được dùng với một tệp khác.",
			FieldError{Pointer: "header/Idempotency-Key", Code: "idempotency_key_reused", MessageEN: "already used with another file", MessageVI: "đã được dùng với tệp khác"})
	case errors.Is(err, store.ErrIdemInProgress):
		return false, errConflict("An upload with this Idempotency-Key is still being processed.", "Một tệp với Idempotency-Key này đang được xử lý.")
	case err != nil:
		return false, err
	case rec != nil:
		replay(w, rec)
		return true, nil
	}
	return false, nil
}

// answerImport writes the job (201 finished or 202 running/queued) with its Location, and records the
// answer for the Idempotency-Key when there is one.
func (s *Server) answerImport(w http.ResponseWriter, r *http.Request, p store.Principal, idemKey string, status int, job store.ImportJob) error {
	loc := strings.TrimSuffix(r.URL.Path, "/") + "/" + job.ID
	w.Header().Set("Location", loc)
	var buf bytes.Buffer
	resp := toImportJobResponse(job, vietnamese(r))
	if err := writeJSON(&bufferWriter{h: w.Header(), b: &buf}, status, resp); err != nil {
		return err
	}
	if idemKey != "" {
		_ = s.store.FinishIdempotencyKey(context.WithoutCancel(r.Context()), p, chi.URLParam(r, "province"), idemKey,
			store.IdemRecord{Status: status, ContentType: "application/json; charset=utf-8", Location: loc, Body: buf.Bytes()})
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// bufferWriter lets writeJSON encode into a buffer with the real headers.
type bufferWriter struct {
	h http.Header
	b *bytes.Buffer
}

func (b *bufferWriter) Header() http.Header         { return b.h }
func (b *bufferWriter) Write(p []byte) (int, error) { return b.b.Write(p) }
func (b *bufferWriter) WriteHeader(int)             {}

// startImport runs the job on the job runner (issue 10): in the request for files up to syncMaxRows rows
// (201, finished: the handler waits for its job), in the background for larger ones, with
// `Prefer: respond-async`, or when the job has to wait in the queue (202, running or queued; poll Location). Either way it takes a slot of the
// runner (or waits queued for one), so imports can never hold more connections than the jobs' pool has;
// a full queue is a 429.
func (s *Server) startImport(r *http.Request, p store.Principal, province string, kind *importKind, mode string, sp *spool) (int, store.ImportJob, error) {
	job := store.ImportJob{Province: province, ID: newUUID(), Kind: kind.name, Mode: mode}
	if e := rowError(tabular.SniffEncoding(sp.Sniffed)); e != nil {
		sp.Close()
		job, err := s.store.FailImport(r.Context(), p, job, *e)
		return http.StatusCreated, job, err
	}
	rc, err := s.importRowContext(r.Context(), p, province, sp)
	if err != nil {
		sp.Close()
		return 0, job, err
	}
	if err := s.prepareSheet(r.Context(), r.URL.Query(), p, province, kind, rc); err != nil { // import_sheet.go
		sp.Close()
		return 0, job, err
	}
	async := sp.Lines > syncMaxRows || strings.Contains(r.Header.Get("Prefer"), "respond-async")
	tk, err := s.reserveJob(province)
	if err != nil {
		sp.Close()
		return 0, job, err
	}
	if tk.Queued() {
		// A job that has to wait answers 202 queued, however small: no request waits in the queue.
		async = true
		if job, err = s.store.QueueImport(r.Context(), p, job); err != nil {
			tk.Abandon()
			sp.Close()
			return 0, job, err
		}
	}
	l := s.launchImport(tk, p, job, kind, rc, sp, async)
	if async {
		return l.answerAsync(r, tk.Queued())
	}
	return s.awaitImport(r, l)
}

// importRowContext is what every row of an import is checked against: the province, today, the posts
// of the national catalogue, and whether numbers are written the Vietnamese way (a ';'-separated file).
func (s *Server) importRowContext(ctx context.Context, p store.Principal, province string, sp *spool) (*rowContext, error) {
	positions, err := s.positionMap(ctx, p)
	if err != nil {
		return nil, err
	}
	return &rowContext{province: province, today: s.store.CadreReferenceDate(), positions: positions,
		viNumbers: tabular.DetectDelimiter(sp.Text()) == ';'}, nil
}

// importResult is how a job on the runner ended.
type importResult struct {
	job store.ImportJob
	err error
}

// importLaunch is an import handed to the runner: its job as queued, where its end arrives (done) and,
// for a job answered asynchronously, where it reports having started.
type importLaunch struct {
	job     store.ImportJob
	done    chan importResult
	started chan store.ImportJob // nil when the request waits for the end
}

// launchImport starts the job on the ticket's slot: run it, or, when the runner drops it (shutdown, the
// queue's limit), end it as the store says and report that.
func (s *Server) launchImport(tk *jobs.Ticket, p store.Principal, job store.ImportJob, kind *importKind, rc *rowContext, sp *spool, async bool) *importLaunch {
	l := &importLaunch{job: job, done: make(chan importResult, 1)}
	if async {
		l.started = make(chan store.ImportJob, 1)
	}
	province := job.Province
	tk.Start(&jobs.Job{Province: province, ID: job.ID,
		Run: func(ctx context.Context) {
			defer sp.Close()
			j, err := s.runImport(ctx, p, job, kind, rc, sp, l.started)
			if err != nil && async && !errors.Is(err, store.ErrJobCancelled) && !errors.Is(err, store.ErrJobNotQueued) {
				s.logger.Error("import job failed", "job_id", job.ID, "request_id", p.RequestID, "error", err.Error())
			}
			l.done <- importResult{j, err}
		},
		Drop: func(cause error) {
			defer sp.Close()
			status, reason := store.JobEndCause(cause)
			_, err := s.store.EndJob(context.Background(), p, "import", province, job.ID, status, reason)
			if err == nil {
				err = cause
			}
			j := job
			j.Status, j.FailureReason = status, reason
			l.done <- importResult{j, err}
		},
		Keepalive: func() { _ = s.store.TouchQueuedJob(context.Background(), p, "import", province, job.ID) }})
	return l
}

// answerAsync answers 202 as soon as the job is queued or has started (or has already ended).
func (l *importLaunch) answerAsync(r *http.Request, queued bool) (int, store.ImportJob, error) {
	if queued {
		return http.StatusAccepted, l.job, nil
	}
	select {
	case j := <-l.started:
		return http.StatusAccepted, j, nil
	case res := <-l.done:
		if res.err != nil {
			return 0, l.job, res.err
		}
		return http.StatusAccepted, res.job, nil
	case <-r.Context().Done():
		return 0, l.job, r.Context().Err()
	}
}

// awaitImport waits in the request for the job's end (201), or cancels it when the client goes away.
func (s *Server) awaitImport(r *http.Request, l *importLaunch) (int, store.ImportJob, error) {
	province, id := l.job.Province, l.job.ID
	var res importResult
	select {
	case res = <-l.done:
		// Answer once the job's slot is free again, so that the client's next upload finds it free.
		<-s.runner.Done(province, id)
	case <-r.Context().Done():
		// The client is gone: the import stops and rolls back (it reads cancelled).
		s.runner.Cancel(province, id, store.ErrJobCancelled)
		<-l.done
		return 0, l.job, r.Context().Err()
	}
	switch {
	case errors.Is(res.err, store.ErrJobInterrupted):
		return 0, res.job, errShuttingDown()
	case errors.Is(res.err, store.ErrJobCancelled):
		return http.StatusCreated, res.job, nil // cancelled by its editor: the job says so
	}
	return http.StatusCreated, res.job, res.err
}

func (s *Server) positionMap(ctx context.Context, p store.Principal) (map[string]store.Position, error) {
	list, err := s.store.ListPositions(ctx, p)
	if err != nil {
		return nil, err
	}
	m := make(map[string]store.Position, len(list))
	for _, pos := range list {
		m[pos.Code] = pos
	}
	return m, nil
}

// runImport parses the spooled file and hands the rows to the store. started, when not nil, receives
// the job as soon as it is visible (running).
func (s *Server) runImport(ctx context.Context, p store.Principal, job store.ImportJob, kind *importKind, rc *rowContext, sp *spool, started chan<- store.ImportJob) (store.ImportJob, error) {
	src, err := sp.Open()
	if err != nil {
		return job, err
	}
	delim := tabular.DetectDelimiter(sp.Text())
	job.Delimiter = string(delim)
	tr := tabular.NewReader(src, delim)
	header, _, err := tr.Read()
	if err != nil {
		if started != nil {
			defer func() { started <- job }()
		}
		return s.store.FailImport(ctx, p, job, store.RowError{Line: 1, Code: "no_header",
			MessageEN: "the file is empty or its header row cannot be read", MessageVI: "tệp trống hoặc không đọc được dòng tiêu đề"})
	}
	for i := range header {
		// The header is stored with the job and echoed in its errors: bytes PostgreSQL refuses in text
		// and jsonb (not UTF-8, NUL) are replaced, so that the file fails with unknown_column rather than
		// the upload with a 500.
		header[i] = tabular.CleanCell(tabular.StorableText(header[i]))
	}
	job.Header = header
	idx, herrs := kind.mapHeader(header)
	if len(herrs) > 0 {
		if started != nil {
			defer func() { started <- job }()
		}
		return s.store.FailImport(ctx, p, job, herrs...) // the first 1,000, and the count
	}
	rejects, err := newRejectSpool()
	if err != nil {
		return job, err
	}
	defer rejects.Close()
	rows := &csvRows{tr: tr, kind: kind, rc: rc, idx: idx, header: header, rejects: rejects}
	defer rows.Close()
	spec := store.ImportSpecs[kind.name]
	work := store.ImportWork{Spec: spec, Rows: store.StageCopySource(spec, rows), Columns: kind.columnHeaders(idx, header),
		ParseRejects: rejects.open,
		RowsTotal:    func() int { return rows.total },
		FileError:    func() *store.RowError { return rows.fileErr },
		Progress:     func() int { return int(rows.read.Load()) },
		Original:     func(want func(int) bool) (store.RejectIter, error) { return originalLines(sp, delim, want) },
		Started: func(j store.ImportJob) {
			if started != nil {
				started <- j
			}
		}}
	return s.store.RunImport(ctx, p, job, work)
}
