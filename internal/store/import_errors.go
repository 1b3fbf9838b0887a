package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Row errors of an import never accumulate in memory (issue 10, item 2). The parser writes the rows it
// refuses (cells as uploaded, errors) to a spool file while the valid rows are COPYed into the staging
// table; once that COPY is done the spool is COPYed into two temporary tables, and the set-based checks
// insert their errors into the same table in SQL. From there: the failed rows go to import_rejects with
// one INSERT … SELECT, the job keeps the first MaxJobErrors errors by line and the counts, and errors.csv
// is read back a page at a time. Only the lines of the rows refused by the SQL checks are held, as a
// bitset, to pick their cells out of the uploaded file again.

// RejectedRow is a row the parser refused: its line, its cells as uploaded (none for a row that is not
// valid CSV) and its errors; or, from ImportWork.Original, one line of the file with its cells only.
type RejectedRow struct {
	Line   int
	Fields []string
	Errors []RowError
}

// RejectIter is a pull iterator over rejected rows (a spool file read back, the uploaded file re-read).
type RejectIter interface {
	Next() bool
	Row() RejectedRow
	Err() error
	Close() error
}

const rowErrorTables = `CREATE TEMP TABLE import_row_errors (n bigint GENERATED ALWAYS AS IDENTITY, line int NOT NULL,
		col text, code text NOT NULL, message_en text NOT NULL, message_vi text NOT NULL) ON COMMIT DROP;
	CREATE TEMP TABLE import_row_fields (line int NOT NULL, fields text[] NOT NULL) ON COMMIT DROP`

// rejectCopy adapts a RejectIter to COPY: the cells (one row per rejected row) or the errors (one row
// per error).
type rejectCopy struct {
	it     RejectIter
	errors bool
	row    RejectedRow
	i      int
	cur    []any
}

func (c *rejectCopy) Next() bool {
	if !c.errors {
		if !c.it.Next() {
			return false
		}
		r := c.it.Row()
		fields := r.Fields
		if fields == nil {
			fields = []string{}
		}
		c.cur = []any{r.Line, fields}
		return true
	}
	for c.i >= len(c.row.Errors) {
		if !c.it.Next() {
			return false
		}
		c.row, c.i = c.it.Row(), 0
	}
	e := c.row.Errors[c.i]
	c.i++
	c.cur = []any{c.row.Line, e.Column, e.Code, e.MessageEN, e.MessageVI}
	return true
}

func (c *rejectCopy) Values() ([]any, error) { return c.cur, nil }
func (c *rejectCopy) Err() error             { return c.it.Err() }

// copyRejects COPYs the cells or the errors of an iterator into the temporary tables.
func copyRejects(ctx context.Context, tx *Tx, open func() (RejectIter, error), errors bool) error {
	if open == nil {
		return nil
	}
	it, err := open()
	if err != nil {
		return err
	}
	defer it.Close()
	table, cols := pgx.Identifier{"import_row_fields"}, []string{"line", "fields"}
	if errors {
		table, cols = pgx.Identifier{"import_row_errors"}, []string{"line", "col", "code", "message_en", "message_vi"}
	}
	if _, err := tx.CopyFrom(ctx, table, cols, &rejectCopy{it: it, errors: errors}); err != nil {
		return fmt.Errorf("copy row errors: %w", err)
	}
	return nil
}

// collectRowErrors gathers the parser's rejected rows and, when the file was read whole, the errors of
// the set-based checks into the temporary tables; it returns the number of errors and of failed lines.
func collectRowErrors(ctx context.Context, tx *Tx, w ImportWork, runChecks bool, kind string) (nerrs, failed int, err error) {
	if _, err := tx.Exec(ctx, rowErrorTables); err != nil {
		return 0, 0, err
	}
	if err := copyRejects(ctx, tx, w.ParseRejects, false); err != nil {
		return 0, 0, err
	}
	if err := copyRejects(ctx, tx, w.ParseRejects, true); err != nil {
		return 0, 0, err
	}
	if runChecks {
		if err := checkStage(ctx, tx, kind, w.Spec); err != nil {
			return 0, 0, err
		}
	}
	err = tx.QueryRow(ctx, `SELECT count(*), count(DISTINCT line) FROM import_row_errors`).Scan(&nerrs, &failed)
	return nerrs, failed, err
}

// checkStage runs the checks of an import of kind over import_stage (loaded), adding their errors to
// import_row_errors: the set-based checks of spec, then the rules shared with the records API. The
// combined sheet runs it for each of its parts (import_sheet.go).
func checkStage(ctx context.Context, tx *Tx, kind string, spec ImportSpec) error {
	if _, err := tx.Exec(ctx, `ANALYZE import_stage`); err != nil {
		return err
	}
	// Every join of the file with the register on equality, never a nested loop: right after a large
	// import the register's statistics are stale and a nested loop rescans the file once per row; and
	// the planner settings of import_specs.go (Prepare) from here on.
	if _, err := tx.Exec(ctx, importPlanning); err != nil {
		return err
	}
	// What the rows reference cannot be deleted until the import ends (import_integrity.go).
	if err := lockReferences(ctx, tx, kind); err != nil {
		return err
	}
	// Plans without nested loops, and the locks the records API takes too (posts: their hamlets).
	if err := spec.Prepare(ctx, tx); err != nil {
		return err
	}
	for _, q := range spec.Checks {
		var args []any
		if containsParam1(q) {
			args = append(args, tx.P.Province)
		}
		// Each check selects (line, column, code, message_en, message_vi).
		if _, err := tx.Exec(ctx, `INSERT INTO import_row_errors (line, col, code, message_en, message_vi) `+q, args...); err != nil {
			return fmt.Errorf("import check: %w", err)
		}
	}
	// The rules shared with the records API (import_rules.go).
	ruleErrs, err := ruleChecks(ctx, tx, kind)
	if err != nil || len(ruleErrs) == 0 {
		return err
	}
	_, _, err = addRowErrors(ctx, tx, ruleErrs)
	return err
}

// addRowErrors adds errors found in Go (the shared rules, rows that did not land as read) to the
// temporary table and returns the new counts of errors and failed lines.
func addRowErrors(ctx context.Context, tx *Tx, errs []RowError) (nerrs, failed int, err error) {
	rows := make([][]any, len(errs))
	for i, e := range errs {
		var col any
		if e.Column != "" {
			col = e.Column
		}
		rows[i] = []any{e.Line, col, e.Code, e.MessageEN, e.MessageVI}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_row_errors"}, []string{"line", "col", "code", "message_en", "message_vi"},
		pgx.CopyFromRows(rows)); err != nil {
		return 0, 0, fmt.Errorf("copy row errors: %w", err)
	}
	err = tx.QueryRow(ctx, `SELECT count(*), count(DISTINCT line) FROM import_row_errors`).Scan(&nerrs, &failed)
	return nerrs, failed, err
}

// writeRejects stores the failed rows of the job (cells as uploaded, errors joined) and returns the first
// MaxJobErrors errors by line.
func writeRejects(ctx context.Context, tx *Tx, job ImportJob, w ImportWork) ([]RowError, error) {
	// The rows refused by the SQL checks: their cells are read again from the uploaded file.
	rows, err := tx.Query(ctx, `SELECT DISTINCT e.line FROM import_row_errors e
		WHERE NOT EXISTS (SELECT 1 FROM import_row_fields f WHERE f.line = e.line)`)
	if err != nil {
		return nil, err
	}
	var lines bitset
	var line int
	_, err = pgx.ForEachRow(rows, []any{&line}, func() error { lines.set(line); return nil })
	if err != nil {
		return nil, err
	}
	if lines.n > 0 && w.Original != nil {
		if err := copyRejects(ctx, tx, func() (RejectIter, error) { return w.Original(lines.has) }, false); err != nil {
			return nil, err
		}
	}
	if _, err := tx.Exec(ctx, `ANALYZE import_row_errors; ANALYZE import_row_fields`); err != nil {
		return nil, err
	}
	// The errors of a line are joined in the order found, fed sorted to a plain string_agg: PostgreSQL
	// before 16 runs an aggregate's own ORDER BY as one small sort per group, twice as slow here.
	if _, err := tx.Exec(ctx, `INSERT INTO import_rejects (province_code, job_id, line, fields, error)
		SELECT $1, $2::uuid, e.line, coalesce(f.fields, '{}'), e.error
		FROM (SELECT line, string_agg(coalesce(col, '') || ': ' || message_vi || ' / ' || message_en, '; ') AS error
			FROM (SELECT * FROM import_row_errors ORDER BY line, n) s GROUP BY line) e
		LEFT JOIN import_row_fields f USING (line)`, job.Province, job.ID); err != nil {
		return nil, translate(fmt.Errorf("import rejects: %w", err))
	}
	rows, err = tx.Query(ctx, `SELECT line, coalesce(col, ''), code, message_en, message_vi FROM import_row_errors ORDER BY line, n LIMIT $1`, MaxJobErrors)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[RowError])
}

// replaceValidateRejects deletes the rejects of the province's earlier validate-only jobs: a new upload
// replaces them (the README's retention).
func replaceValidateRejects(ctx context.Context, tx *Tx, job ImportJob) error {
	_, err := tx.Exec(ctx, `DELETE FROM import_rejects r USING import_jobs j
		WHERE r.province_code = $1 AND j.province_code = r.province_code AND j.id = r.job_id
		AND j.mode = 'validate' AND j.id <> $2::uuid`, job.Province, job.ID)
	return err
}

// PurgeImportRejects deletes the rejects of jobs that finished more than age ago, in every province (the
// server's janitor; a SECURITY DEFINER function, as no province principal may delete them).
func (s *Store) PurgeImportRejects(ctx context.Context, age time.Duration) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT purge_import_rejects($1::interval)`, fmt.Sprintf("%d seconds", int64(age/time.Second))).Scan(&n)
	return n, err
}

// bitset is a set of line numbers: one bit a line.
type bitset struct {
	w []uint64
	n int
}

func (b *bitset) set(i int) {
	for i/64 >= len(b.w) {
		b.w = append(b.w, make([]uint64, len(b.w)+1)...)
	}
	if b.w[i/64]&(1<<(i%64)) == 0 {
		b.n++
	}
	b.w[i/64] |= 1 << (i % 64)
}

func (b *bitset) has(i int) bool { return i >= 0 && i/64 < len(b.w) && b.w[i/64]&(1<<(i%64)) != 0 }

func containsParam1(q string) bool {
	for i := 0; i+1 < len(q); i++ {
		if q[i] == '$' && q[i+1] == '1' && (i+2 == len(q) || q[i+2] < '0' || q[i+2] > '9') {
			return true
		}
	}
	return false
}
