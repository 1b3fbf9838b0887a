package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

// mountImports registers CSV imports under /v1/provinces/{province}/imports (issue 5).
func (s *Server) mountImports(r chi.Router) {
	r.Route("/imports", func(r chi.Router) {
		r.Get("/", handle(s.listImports))
		r.Post("/", handle(s.createImport))
		r.Get("/{id}", handle(s.getImport))
		r.Get("/{id}/errors.csv", handle(s.importErrorsCSV))
	})
}

// mountImportTemplates registers GET /v1/import-templates/{kind}.csv (issue 5).
func (s *Server) mountImportTemplates(r chi.Router) {
	r.Get("/import-templates/{file}", handle(s.importTemplate))
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
	Errors        []importErrorResponse `json:"errors"`
	StartedAt     time.Time             `json:"started_at"`
	FinishedAt    *time.Time            `json:"finished_at"`
}

func toImportJobResponse(j store.ImportJob, vi bool) importJobResponse {
	out := importJobResponse{ID: j.ID, Kind: j.Kind, Mode: j.Mode, Status: j.Status, FailureReason: j.FailureReason,
		RowsTotal: j.RowsTotal, RowsProcessed: j.RowsProcessed, RowsInserted: j.RowsInserted, RowsUpdated: j.RowsUpdated,
		RowsUnchanged: j.RowsUnchanged, RowsFailed: j.RowsFailed, StartedAt: j.StartedAt.UTC(), Errors: []importErrorResponse{}}
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
	case "", "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel":
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
		DetailEN: "Send the file as text/csv or as the `file` field of multipart/form-data.",
		DetailVI: "Hãy gửi tệp dạng text/csv hoặc trường `file` của multipart/form-data."}
}

func (s *Server) createImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind, ok := importKinds[q.Get("kind")]
	if !ok {
		return queryError("kind", "oneof", "must be communes, hamlets, cadres or assignments", "phải là communes, hamlets, cadres hoặc assignments")
	}
	mode := q.Get("mode")
	if mode == "" {
		mode = "apply"
	}
	if mode != "apply" && mode != "validate" {
		return queryError("mode", "oneof", "must be validate or apply", "phải là validate hoặc apply")
	}
	body, err := importBody(r)
	if err != nil {
		return err
	}
	sp, err := spoolUpload(body)
	if err != nil {
		return jsonProblem(err) // 413 over the limit; otherwise a read error
	}
	p := principalFrom(r.Context())
	province := chi.URLParam(r, "province")

	// Idempotency-Key: the hash of kind, mode and the whole file, computed while spooling.
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey != "" {
		h := append([]byte(kind.name+"|"+mode+"|"), sp.sum...)
		rec, err := s.store.ClaimIdempotencyKey(r.Context(), p, province, idemKey, r.Method, r.URL.Path, h)
		switch {
		case errors.Is(err, store.ErrIdemMismatch):
			sp.Close()
			return errInvalid("This Idempotency-Key was already used with a different file.", "Idempotency-Key này đã được dùng với một tệp khác.",
				FieldError{Pointer: "header/Idempotency-Key", Code: "idempotency_key_reused", MessageEN: "already used with another file", MessageVI: "đã được dùng với tệp khác"})
		case errors.Is(err, store.ErrIdemInProgress):
			sp.Close()
			return errConflict("An upload with this Idempotency-Key is still being processed.", "Một tệp với Idempotency-Key này đang được xử lý.")
		case err != nil:
			sp.Close()
			return err
		case rec != nil:
			sp.Close()
			if rec.Location != "" {
				w.Header().Set("Location", rec.Location)
			}
			w.Header().Set("Content-Type", rec.ContentType)
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(rec.Status)
			_, _ = w.Write(rec.Body)
			return nil
		}
	}
	status, job, err := s.startImport(r, p, province, kind, mode, sp)
	if err != nil {
		if idemKey != "" {
			_ = s.store.ReleaseIdempotencyKey(context.WithoutCancel(r.Context()), p, province, idemKey)
		}
		return err
	}
	loc := strings.TrimSuffix(r.URL.Path, "/") + "/" + job.ID
	w.Header().Set("Location", loc)
	var buf bytes.Buffer
	resp := toImportJobResponse(job, vietnamese(r))
	if err := writeJSON(&bufferWriter{h: w.Header(), b: &buf}, status, resp); err != nil {
		return err
	}
	if idemKey != "" {
		_ = s.store.FinishIdempotencyKey(context.WithoutCancel(r.Context()), p, province, idemKey,
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

// startImport runs the job: in the request for files up to syncMaxRows rows (201, finished), in the
// background for larger ones or with `Prefer: respond-async` (202, running; poll Location).
func (s *Server) startImport(r *http.Request, p store.Principal, province string, kind *importKind, mode string, sp *spool) (int, store.ImportJob, error) {
	job := store.ImportJob{Province: province, ID: newUUID(), Kind: kind.name, Mode: mode}
	if e := sniffEncoding(sp.sniffed); e != nil {
		sp.Close()
		job, err := s.store.FailImport(r.Context(), p, job, *e)
		return http.StatusCreated, job, err
	}
	positions, err := s.positionMap(r.Context(), p)
	if err != nil {
		sp.Close()
		return 0, job, err
	}
	rc := &rowContext{province: province, today: s.store.CadreReferenceDate(), positions: positions}
	async := sp.lines > syncMaxRows || strings.Contains(r.Header.Get("Prefer"), "respond-async")
	if !async {
		defer sp.Close()
		job, err := s.runImport(r.Context(), p, job, kind, rc, sp, nil)
		return http.StatusCreated, job, err
	}
	started := make(chan store.ImportJob, 1)
	ctx := s.jobs.ctx
	s.jobs.wg.Add(1)
	go func() {
		defer s.jobs.wg.Done()
		defer sp.Close()
		_, err := s.runImport(ctx, p, job, kind, rc, sp, started)
		if err != nil {
			s.logger.Error("import job failed", "job_id", job.ID, "request_id", p.RequestID, "error", err.Error())
		}
	}()
	select {
	case j := <-started:
		return http.StatusAccepted, j, nil
	case <-r.Context().Done():
		return 0, job, r.Context().Err()
	}
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
	src, err := sp.open()
	if err != nil {
		return job, err
	}
	delim := detectDelimiter(bytes.TrimPrefix(sp.sniffed, []byte{0xEF, 0xBB, 0xBF}))
	cr, ll := newCSVReader(src, delim)
	header, err := cr.Read()
	if err != nil {
		if started != nil {
			defer func() { started <- job }()
		}
		return s.store.FailImport(ctx, p, job, store.RowError{Line: 1, Code: "no_header",
			MessageEN: "the file is empty or its header row cannot be read", MessageVI: "tệp trống hoặc không đọc được dòng tiêu đề"})
	}
	for i := range header {
		header[i] = cleanCell(header[i])
	}
	job.Header = header
	idx, herrs := kind.mapHeader(header)
	if len(herrs) > 0 {
		if started != nil {
			defer func() { started <- job }()
		}
		job, err := s.store.FailImport(ctx, p, job, herrs[0])
		if err == nil && len(herrs) > 1 {
			job.Errors = herrs
		}
		return job, err
	}
	rows := &csvRows{cr: cr, ll: ll, kind: kind, rc: rc, idx: idx, header: header}
	defer rows.Close()
	work := store.ImportWork{Spec: store.ImportSpecs[kind.name], Rows: rows,
		RowErrors: func() []store.RowError { return rows.errs },
		RowsTotal: func() int { return rows.total },
		FileError: func() *store.RowError { return rows.fileErr },
		Progress:  func() int { return int(rows.read.Load()) },
		Original:  func(lines map[int]bool) (map[int][]string, error) { return originalLines(sp, delim, lines) },
		Started: func(j store.ImportJob) {
			if started != nil {
				started <- j
			}
		}}
	return s.store.RunImport(ctx, p, job, work)
}

// csvRows is the COPY source: it reads, cleans and validates one record at a time; invalid rows are
// recorded (with their line and column) and skipped, so that one pass reports every bad row. Reading
// stays on one goroutine (CSV is sequential) while validation, the costly part, runs on convWorkers
// goroutines over batches; the staging order does not matter (the upsert orders by line) and the errors
// are sorted by line at the end.
type csvRows struct {
	cr     *csv.Reader
	ll     *lineLimitReader
	kind   *importKind
	rc     *rowContext
	idx    map[string]int
	header []string

	once    sync.Once
	results chan convBatch
	stop    chan struct{}
	batch   convBatch
	pos     int
	cur     []any

	errs    []store.RowError
	total   int
	read    atomic.Int64
	fileErr *store.RowError
}

const (
	convWorkers   = 2
	convBatchSize = 512
)

type rawRow struct {
	line int
	rec  []string
}

type convBatch struct {
	rows [][]any
	errs []store.RowError
}

func (c *csvRows) start() {
	c.results = make(chan convBatch, convWorkers*2)
	c.stop = make(chan struct{})
	raw := make(chan []rawRow, convWorkers*2)
	var readErrs []store.RowError
	go func() {
		defer close(raw)
		buf := make([]rawRow, 0, convBatchSize)
		flush := func() bool {
			if len(buf) == 0 {
				return true
			}
			select {
			case raw <- buf:
				buf = make([]rawRow, 0, convBatchSize)
				return true
			case <-c.stop:
				return false
			}
		}
		for {
			rec, line, rerr, ok := c.readOne()
			if !ok {
				break
			}
			if rerr != nil {
				readErrs = append(readErrs, *rerr)
				continue
			}
			buf = append(buf, rawRow{line, rec})
			if len(buf) == convBatchSize && !flush() {
				return
			}
		}
		flush()
	}()
	var wg sync.WaitGroup
	for i := 0; i < convWorkers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rows := range raw {
				var out convBatch
				for _, r := range rows {
					if v, errs := c.convert(r.line, r.rec); len(errs) == 0 {
						out.rows = append(out.rows, append([]any{r.line}, v...))
					} else {
						out.errs = append(out.errs, errs...)
					}
				}
				select {
				case c.results <- out:
				case <-c.stop:
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		// The reader is done too (raw is closed and drained): its errors join the last batch.
		select {
		case c.results <- convBatch{errs: readErrs}:
		case <-c.stop:
		}
		close(c.results)
	}()
}

// readOne reads the next non-blank record; a malformed record comes back as a row error, a fault that
// stops reading sets fileErr and ends the file.
func (c *csvRows) readOne() ([]string, int, *store.RowError, bool) {
	for {
		rec, err := c.cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, 0, nil, false
		}
		if err != nil {
			var pe *csv.ParseError
			// FieldPos is only defined for a record that was read; a parse error carries its own line.
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			switch {
			case c.ll.tooLong || errors.Is(err, errLineTooLong):
				// encoding/csv passes the reader's error through without a position: the line is the
				// reader's own count.
				line = c.ll.lines + 1
				c.fileErr = &store.RowError{Line: line, Code: "line_too_long",
					MessageEN: fmt.Sprintf("a line near line %d is longer than %d bytes; the file cannot be read", line, maxLineBytes),
					MessageVI: fmt.Sprintf("một dòng gần dòng %d dài quá %d byte; không thể đọc tệp", line, maxLineBytes)}
				return nil, 0, nil, false
			case pe != nil:
				c.total++
				c.read.Add(1)
				return nil, line, &store.RowError{Line: pe.StartLine, Code: "csv_syntax",
					MessageEN: "the row is not valid CSV: " + pe.Err.Error(), MessageVI: "dòng không đúng định dạng CSV: " + pe.Err.Error()}, true
			default:
				c.fileErr = &store.RowError{Line: line, Code: "read_error", MessageEN: "the file could not be read: " + err.Error(),
					MessageVI: "không đọc được tệp: " + err.Error()}
				return nil, 0, nil, false
			}
		}
		line, _ := c.cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		c.total++
		c.read.Add(1)
		return rec, line, nil, true
	}
}

func (c *csvRows) Next() bool {
	c.once.Do(c.start)
	for c.pos >= len(c.batch.rows) {
		b, ok := <-c.results
		if !ok {
			sort.SliceStable(c.errs, func(i, j int) bool { return c.errs[i].Line < c.errs[j].Line })
			return false
		}
		c.errs = append(c.errs, b.errs...)
		c.batch, c.pos = b, 0
	}
	c.cur = c.batch.rows[c.pos]
	c.pos++
	return true
}

// Close stops the pipeline when the consumer gives up early (the COPY failed).
func (c *csvRows) Close() {
	c.once.Do(func() {})
	if c.stop != nil {
		select {
		case <-c.stop:
		default:
			close(c.stop)
		}
	}
}

// convert validates one record (safe to call from several goroutines: it only reads shared state).
func (c *csvRows) convert(line int, rec []string) ([]any, []store.RowError) {
	size := 0
	for _, f := range rec {
		size += len(f)
	}
	rowErr := func(col, code, en, vi string) []store.RowError {
		return []store.RowError{{Line: line, Column: col, Code: code, MessageEN: en, MessageVI: vi}}
	}
	switch {
	case size > maxRowBytes:
		return nil, rowErr("", "row_too_long", fmt.Sprintf("the row is longer than %d bytes", maxRowBytes), fmt.Sprintf("dòng dài quá %d byte", maxRowBytes))
	case len(rec) != len(c.header):
		return nil, rowErr("", "field_count", fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(c.header)),
			fmt.Sprintf("dòng có %d ô, dòng tiêu đề có %d", len(rec), len(c.header)))
	}
	for i, f := range rec {
		if !utf8Valid(f) {
			return nil, rowErr(c.header[i], "invalid_utf8", "the cell is not valid UTF-8; save the file as CSV UTF-8",
				"ô không đúng mã UTF-8; hãy lưu tệp dạng CSV UTF-8")
		}
		rec[i] = cleanCell(f)
	}
	cell := func(name string) string {
		if i, ok := c.idx[name]; ok {
			return rec[i]
		}
		return ""
	}
	v, ferrs := c.kind.row(c.rc, cell)
	var errs []store.RowError
	for _, fe := range ferrs {
		col := strings.TrimPrefix(fe.Pointer, "/")
		if i, ok := c.idx[col]; ok {
			col = c.header[i] // the file's own header, e.g. "Họ và tên"
		}
		errs = append(errs, store.RowError{Line: line, Column: col, Code: fe.Code, MessageEN: fe.MessageEN, MessageVI: fe.MessageVI})
	}
	return v, errs
}

func (c *csvRows) Values() ([]any, error) { return c.cur, nil }
func (c *csvRows) Err() error             { return nil }

// originalLines reads the spooled file again for the given lines, as uploaded, for errors.csv.
func originalLines(sp *spool, delim rune, lines map[int]bool) (map[int][]string, error) {
	src, err := sp.open()
	if err != nil {
		return nil, err
	}
	cr, _ := newCSVReader(src, delim)
	out := map[int][]string{}
	for len(out) < len(lines) {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if lines[pe.StartLine] {
				out[pe.StartLine] = []string{}
			}
			continue
		}
		if err != nil {
			break
		}
		line, _ := cr.FieldPos(0)
		if lines[line] {
			for i := range rec {
				if !utf8Valid(rec[i]) {
					rec[i] = strings.ToValidUTF8(rec[i], "\uFFFD")
				}
			}
			out[line] = rec
		}
	}
	return out, nil
}
