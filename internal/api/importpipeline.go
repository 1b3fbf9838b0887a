package api

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// csvRows is the source of the COPY (store.StageSource): it reads, cleans and validates one record at a time; invalid rows are
// written to a spool file (cells as uploaded, errors with their line and column) and skipped, so that one
// pass reports every bad row with memory that does not grow with them. Reading stays on one goroutine
// (CSV is sequential) while validation, the costly part, runs on convWorkers goroutines over batches; the
// staging order does not matter (the upsert orders by line), nor the spool's (the store orders by line).
type csvRows struct {
	tr     *tabular.Reader
	kind   *importKind
	rc     *rowContext
	idx    map[string]int
	header []string

	once    sync.Once
	results chan convBatch
	stop    chan struct{}
	batch   convBatch
	pos     int
	cur     stagedRow

	rejects *rejectSpool
	carried string // the kind's carry state (read on the reading goroutine only)
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
	err  *store.RowError // a record that is not valid CSV
}

type convBatch struct {
	rows    []stagedRow
	rejects []store.RejectedRow
}

// stagedRow is a valid row and its line.
type stagedRow struct {
	line int
	row  store.StageRow
}

// start launches the conversion: one goroutine reads the records in batches, convWorkers goroutines
// validate them, and c.results is closed when they are all done (or stopped).
func (c *csvRows) start() {
	c.results = make(chan convBatch, convWorkers*2)
	c.stop = make(chan struct{})
	raw := make(chan []rawRow, convWorkers*2)
	go c.readBatches(raw)
	var wg sync.WaitGroup
	for i := 0; i < convWorkers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.convertBatches(raw)
		}()
	}
	go func() {
		wg.Wait()
		close(c.results)
	}()
}

// readBatches reads every record, carrying the kind's state from row to row, and sends them to raw in
// batches of convBatchSize; raw is closed at the end of the file or when the conversion is stopped.
func (c *csvRows) readBatches(raw chan<- []rawRow) {
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
		if rerr == nil && c.kind.carry != nil {
			c.kind.carry(c.idx, &c.carried, rec)
		}
		buf = append(buf, rawRow{line, rec, rerr})
		if len(buf) == convBatchSize && !flush() {
			return
		}
	}
	flush()
}

// convertBatches validates the batches read from raw and sends each result to c.results, until raw is
// closed or the conversion is stopped.
func (c *csvRows) convertBatches(raw <-chan []rawRow) {
	for rows := range raw {
		out := c.convertBatch(rows)
		select {
		case c.results <- out:
		case <-c.stop:
			return
		}
	}
}

// convertBatch validates a batch of records: the valid ones become staging rows (with their line), the
// others rejected rows with their errors.
func (c *csvRows) convertBatch(rows []rawRow) convBatch {
	var out convBatch
	for _, r := range rows {
		if r.err != nil {
			out.rejects = append(out.rejects, store.RejectedRow{Line: r.line, Fields: []string{}, Errors: []store.RowError{*r.err}})
		} else if v, errs := c.convert(r.line, r.rec); len(errs) == 0 {
			out.rows = append(out.rows, stagedRow{r.line, v})
		} else {
			// The cells as uploaded, for errors.csv (convert leaves rec as read).
			fields := make([]string, len(r.rec))
			for i, f := range r.rec {
				fields[i] = tabular.StorableText(f)
			}
			out.rejects = append(out.rejects, store.RejectedRow{Line: r.line, Fields: fields, Errors: errs})
		}
	}
	return out
}

// readOne reads the next non-blank record; a malformed record comes back as a row error, a fault that
// stops reading sets fileErr and ends the file.
func (c *csvRows) readOne() ([]string, int, *store.RowError, bool) {
	rec, line, bad, fatal, ok := c.tr.Next()
	if !ok {
		c.fileErr = rowError(fatal)
		return nil, 0, nil, false
	}
	c.total++
	c.read.Add(1)
	return rec, line, rowError(bad), true
}

func (c *csvRows) Next() bool {
	c.once.Do(c.start)
	for c.pos >= len(c.batch.rows) {
		b, ok := <-c.results
		if !ok {
			return false
		}
		for _, r := range b.rejects {
			c.rejects.add(r)
		}
		if c.rejects.err != nil {
			return false // Err reports it and the COPY fails
		}
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

// convert validates one record (safe to call from several goroutines: it only reads shared state); rec
// itself is left as read.
func (c *csvRows) convert(line int, rec []string) (store.StageRow, []store.RowError) {
	size := 0
	for _, f := range rec {
		size += len(f)
	}
	rowErr := func(col, code, en, vi string) []store.RowError {
		return []store.RowError{{Line: line, Column: col, Code: code, MessageEN: en, MessageVI: vi}}
	}
	switch {
	case size > tabular.MaxRowBytes:
		return nil, rowErr("", "row_too_long", fmt.Sprintf("the row is longer than %d bytes", tabular.MaxRowBytes), fmt.Sprintf("dòng dài quá %d byte", tabular.MaxRowBytes))
	case len(rec) != len(c.header):
		return nil, rowErr("", "field_count", fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(c.header)),
			fmt.Sprintf("dòng có %d ô, dòng tiêu đề có %d", len(rec), len(c.header)))
	}
	clean := make([]string, len(rec))
	for i, f := range rec {
		if !utf8Valid(f) {
			return nil, rowErr(c.header[i], "invalid_utf8", "the cell is not valid UTF-8; save the file as CSV UTF-8",
				"ô không đúng mã UTF-8; hãy lưu tệp dạng CSV UTF-8")
		}
		if strings.IndexByte(f, 0) >= 0 { // PostgreSQL refuses NUL in text: a row error, not a failed COPY
			return nil, rowErr(c.header[i], "nul_character", "the cell holds a NUL character", "ô chứa ký tự NUL")
		}
		clean[i] = tabular.CleanCell(f)
	}
	cell := func(name string) string {
		if i, ok := c.idx[name]; ok {
			return clean[i]
		}
		return ""
	}
	v, ferrs := c.kind.row(c.rc, cell)
	var errs []store.RowError
	for _, fe := range ferrs {
		field := strings.TrimPrefix(fe.Pointer, "/")
		col := field
		if i, ok := c.idx[field]; ok {
			col = c.header[i] // the file's own header, e.g. "Họ và tên"
		}
		en, vi := fe.MessageEN, fe.MessageVI
		if width := digitCodes[c.kind.name][field]; width > 0 {
			if v := cell(field); isDigits(v) && len(v) < width {
				en += fmt.Sprintf(" (%d digits here, %d expected: Excel drops leading zeros; format the column as Text before saving)", len(v), width)
				vi += fmt.Sprintf(" (ở đây có %d chữ số, cần %d: Excel bỏ các số 0 ở đầu; hãy định dạng cột là Text (Văn bản) trước khi lưu)", len(v), width)
			}
		}
		errs = append(errs, store.RowError{Line: line, Column: col, Code: fe.Code, MessageEN: en, MessageVI: vi})
	}
	return v, errs
}

// digitCodes are the fixed-width numeric codes of each import kind, whose leading zeros Excel drops when it
// takes them for numbers ("00004" → 4, "001080012345" → 1080012345): a too-short one gets a hint.
var digitCodes = map[string]map[string]int{
	"communes":    {"code": 5, "successor_code": 5},
	"hamlets":     {"commune_code": 5},
	"cadres":      {"national_id": 12},
	"assignments": {"national_id": 12, "commune_code": 5},
}

// Row is the current row (store.StageSource).
func (c *csvRows) Row() (int, store.StageRow) { return c.cur.line, c.cur.row }
func (c *csvRows) Err() error                 { return c.rejects.err }
