package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Import jobs. A job's data work is one transaction that holds two advisory locks until it ends: the
// job's own (so that a reader who can take it knows the importing session died: the job is interrupted)
// and the province's (so that imports into one province run one at a time and never deadlock). The job
// row itself is committed separately at the start so that progress is visible, and its final state is
// written inside the data transaction, so data and outcome commit together.

// importNoJIT turns off just-in-time compilation for an import's transaction. The statements of a large
// file are planned with costs in the millions, past jit_inline_above_cost and jit_optimize_above_cost, so
// PostgreSQL compiled each with LLVM, inlining and optimising: seconds per statement at 200,000 rows and
// nothing at 50,000 (below the thresholds), so the time per row jumped with the file's size (the posts'
// holders check: 1.4 → 7.7 µs of database processor per row), for statements that run once and are
// bound by sorts, hashes and writes, which the compiled code does not speed up (issue 10 item 3).
const importNoJIT = `set_config('jit', 'off', true)`

const (
	lockClassImportJob      = 4711
	lockClassImportProvince = 4712
)

// ImportJob is the job resource.
type ImportJob struct {
	Province      string
	ID            string
	Kind          string
	Mode          string
	Status        string
	FailureReason *string
	RowsTotal     int
	RowsProcessed int
	RowsInserted  int
	RowsUpdated   int
	RowsUnchanged int
	RowsFailed    int
	ErrorsTotal   int // row errors in all; Errors holds the first MaxJobErrors
	Errors        []RowError
	Header        []string
	Delimiter     string // "," or ";", as the uploaded file had it
	KeyID         *int64
	StartedAt     time.Time
	FinishedAt    *time.Time
}

// RowError is one problem with one CSV row (line 1 is the header).
type RowError struct {
	Line      int    `json:"line"`
	Column    string `json:"column"`
	Code      string `json:"code"`
	MessageEN string `json:"message_en"`
	MessageVI string `json:"message_vi"`
}

// MaxJobErrors is how many row errors a job keeps (issue 5: the first 1,000).
const MaxJobErrors = 1000

const importJobCols = `province_code, id::text, kind, mode, status, failure_reason, rows_total, rows_processed, rows_inserted,
	rows_updated, rows_unchanged, rows_failed, errors_total, errors, header, delimiter, api_key_id, started_at, finished_at`

func scanImportJob(r pgx.CollectableRow) (ImportJob, error) {
	var j ImportJob
	var errs []byte
	err := r.Scan(&j.Province, &j.ID, &j.Kind, &j.Mode, &j.Status, &j.FailureReason, &j.RowsTotal, &j.RowsProcessed,
		&j.RowsInserted, &j.RowsUpdated, &j.RowsUnchanged, &j.RowsFailed, &j.ErrorsTotal, &errs, &j.Header, &j.Delimiter, &j.KeyID, &j.StartedAt, &j.FinishedAt)
	if err == nil {
		err = json.Unmarshal(errs, &j.Errors)
	}
	return j, err
}

// markInterrupted fails the jobs of a province whose server is gone: running, and its importing session's
// advisory lock can be taken; or queued, and not confirmed by its server for queuedStale (migration 0010).
const markInterrupted = `UPDATE import_jobs SET status = 'failed', failure_reason = 'interrupted', finished_at = clock_timestamp()
	WHERE province_code = $1 AND ($2::uuid IS NULL OR id = $2::uuid)
	AND ((status = 'running' AND pg_try_advisory_xact_lock(` + "4711" + `, hashtext(id::text)))
	OR (status = 'queued' AND queued_seen_at < now() - interval '` + queuedStale + `'))`

// GetImportJob returns one job (marking it interrupted first when its session died).
func (s *Store) GetImportJob(ctx context.Context, p Principal, province, id string) (ImportJob, error) {
	var out ImportJob
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if !validUUID(id) {
			return ErrNotFound
		}
		if _, err := tx.Exec(ctx, markInterrupted, province, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE province_code = $1 AND id = $2::uuid`, province, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, scanImportJob)
		return translate(err)
	})
	return out, err
}

// ListImportJobs returns the province's jobs, newest first; before is a cursor (started_at|id).
func (s *Store) ListImportJobs(ctx context.Context, p Principal, province string, limit int, before string) ([]ImportJob, error) {
	var out []ImportJob
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, markInterrupted, province, nil); err != nil {
			return err
		}
		cond, args := startedBefore(before, []any{province, limit})
		rows, err := tx.Query(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE province_code = $1`+cond+
			` ORDER BY started_at DESC, id DESC LIMIT $2`, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanImportJob)
		return err
	})
	return out, err
}

// Cursor is the list cursor of a job.
func (j ImportJob) Cursor() string { return j.StartedAt.Format(time.RFC3339Nano) + "|" + j.ID }

// startedBefore turns the cursor of a background job (ImportJob.Cursor, EntitlementRun.Cursor: started_at|id)
// into the keyset condition of the next, older page, appending its two arguments to args; a cursor that
// does not parse is ignored (the first page).
func startedBefore(before string, args []any) (string, []any) {
	if at, id, ok := strings.Cut(before, "|"); ok && validUUID(id) {
		if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
			return fmt.Sprintf(` AND (started_at, id) < ($%d, $%d::uuid)`, len(args)+1, len(args)+2), append(args, t, id)
		}
	}
	return "", args
}

// Reject is a failed row as uploaded.
type Reject struct {
	Line   int
	Fields []string
	Error  string
}

func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// ImportWork is what the HTTP layer supplies to run an import: the parsed and validated rows (invalid
// rows are reported through ParseRejects and not yielded), and the original fields of given lines for
// errors.csv.
type ImportWork struct {
	Spec ImportSpec
	Rows pgx.CopyFromSource
	// ParseRejects opens the rows refused while parsing (after Rows is exhausted; it may be opened twice).
	ParseRejects func() (RejectIter, error)
	RowsTotal    func() int       // data rows read, after Rows is exhausted
	FileError    func() *RowError // a fault that stops reading (bad encoding, a line too long); nil when none
	// Original reads the uploaded file again and yields, in file order, the lines for which want is true
	// with their cells as uploaded.
	Original func(want func(line int) bool) (RejectIter, error)
	Progress func() int      // rows read so far (called from the progress ticker)
	Started  func(ImportJob) // called once the job row is visible (running)
	// Columns names each API column as the file's header has it (or its Vietnamese label when the file
	// has no such column), for the errors a set-based check reports by API column (import_sheet.go).
	Columns map[string]string
}

// RunImport runs one import job to its end and returns the finished job. The job row is made running first
// (inserted, or moved from queued) and finished inside the data transaction. A job stopped before its end
// (its context cancelled: by its editor, by the shutdown; or an error) rolls back and is recorded
// cancelled, failed/interrupted or failed/internal; the returned error is then the context's cause or the
// error, and the job carries its final state when it could be recorded.
//
// Connections: the data transaction holds one connection of the jobs' pool; the job row and the progress
// are written on a second, short-lived one of the same pool (see Options.JobConns): never on the
// requests' pool.
func (s *Store) RunImport(ctx context.Context, p Principal, job ImportJob, w ImportWork) (ImportJob, error) {
	if job.Header == nil {
		job.Header = []string{}
	}
	if p.Role != RoleProvinceEditor {
		return job, ErrNotFound
	}
	out, err := s.runImportConn(ctx, p, job, w)
	if err == nil || errors.Is(err, ErrJobNotQueued) {
		return out, err
	}
	// The data connection is released (rolled back): record how the job ended, on the jobs' pool.
	status, reason := jobEnd(ctx)
	if finished, e := s.EndJobAt(ctx, p, "import", job.Province, job.ID, status, reason); e == nil && finished != nil {
		out.Status, out.FailureReason, out.FinishedAt = status, reason, finished
	}
	if cause := context.Cause(ctx); ctx.Err() != nil && cause != nil {
		err = cause
	}
	return out, err
}

func (s *Store) runImportConn(ctx context.Context, p Principal, job ImportJob, w ImportWork) (ImportJob, error) {
	conn, err := s.jobPool.Acquire(ctx)
	if err != nil {
		return job, err
	}
	defer conn.Release()
	ptx, err := conn.Begin(ctx)
	if err != nil {
		return job, err
	}
	defer func() { _ = ptx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := ptx.Exec(ctx, `SELECT set_config('app.province', $1, true), set_config('app.role', $2, true),
		set_config('app.key_id', $3, true), pg_advisory_xact_lock($4, hashtext($5)), `+importNoJIT+`, `+setLocalAppRole,
		p.Province, p.Role, fmt.Sprint(p.KeyID), lockClassImportJob, job.ID); err != nil {
		return job, fmt.Errorf("begin import: %w", err)
	}

	// The job row, committed on its own (on a second connection of the jobs' pool, which always has one
	// more than the jobs that may run) so that GET shows it running while the data loads; the job's
	// advisory lock is already held, so no reader can take it for dead.
	err = s.inTxOn(ctx, s.jobPool, p, func(jtx *Tx) error {
		if job.Status == "queued" {
			tag, err := jtx.Exec(ctx, `UPDATE import_jobs SET status = 'running', delimiter = $3, header = $4
				WHERE province_code = $1 AND id = $2::uuid AND status = 'queued'`, job.Province, job.ID, delimiterOf(job), job.Header)
			if err == nil && tag.RowsAffected() == 0 {
				err = ErrJobNotQueued
			}
			if err != nil {
				return err
			}
			return auditJobStatus(ctx, jtx, job, "queued", "running", nil, nil)
		}
		err := jtx.QueryRow(ctx, `INSERT INTO import_jobs (province_code, id, kind, mode, status, header, delimiter, api_key_id, request_id, started_at)
			VALUES ($1, $2::uuid, $3, $4, 'running', $5, $6, $7, $8, clock_timestamp()) RETURNING started_at`,
			job.Province, job.ID, job.Kind, job.Mode, job.Header, delimiterOf(job), p.KeyID, p.RequestID).Scan(&job.StartedAt)
		if err != nil {
			return err
		}
		return auditJobCreate(ctx, jtx, job, "running")
	})
	if err != nil {
		return job, translate(err)
	}
	// The data transaction's clock (its audit rows' time) is read once the job row is written, so that
	// the job's creation comes first in the audit log and its end after it.
	tx := &Tx{Tx: ptx, P: p, Now: s.now().UTC()}
	job.Status = "running"
	if w.Started != nil {
		w.Started(job)
	}

	// Imports into one province run one at a time.
	if _, err := ptx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClassImportProvince, p.Province); err != nil {
		return job, err
	}
	stop := s.progressTicker(ctx, p, job, w.Progress)
	run := runImportData
	if w.Spec.Run != nil {
		run = w.Spec.Run
	}
	outcome, runErr := run(ctx, tx, job, w)
	stop()
	if runErr != nil {
		return job, runErr
	}
	if err := finishJob(ctx, tx, &job, outcome); err != nil {
		return job, err
	}
	if err := ptx.Commit(ctx); err != nil {
		return job, translate(err)
	}
	return job, nil
}

// progressTicker writes rows_processed every second while the import runs (best effort, on the jobs'
// pool: a tick that cannot get a connection within progressTimeout is skipped).
func (s *Store) progressTicker(ctx context.Context, p Principal, job ImportJob, read func() int) func() {
	if read == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				s.jobProgress(ctx, p, `UPDATE import_jobs SET rows_processed = $3 WHERE province_code = $1 AND id = $2::uuid AND status = 'running'`,
					job.Province, job.ID, read())
			}
		}
	}()
	return func() { close(done); <-finished }
}

type importOutcome struct {
	total, inserted, updated, unchanged int
	nerrs, failed                       int        // row errors and failed lines in all
	errs                                []RowError // the first MaxJobErrors of them, by line
	fileErr                             *RowError
	internal                            *RowError // the counts did not add up (import_integrity.go)
}

func runImportData(ctx context.Context, tx *Tx, job ImportJob, w ImportWork) (importOutcome, error) {
	var out importOutcome
	// A new upload replaces the rejects of the province's earlier validate-only jobs (kept whatever
	// becomes of this one).
	if err := replaceValidateRejects(ctx, tx, job); err != nil {
		return out, err
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT import_data`); err != nil {
		return out, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_stage (`+w.Spec.StageDDL+`) ON COMMIT DROP`); err != nil {
		return out, fmt.Errorf("staging table: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"}, w.Spec.StageCols, w.Rows); err != nil {
		return out, fmt.Errorf("copy into staging: %w", err)
	}
	out.total = w.RowsTotal()
	out.fileErr = w.FileError()
	var err error
	if out.nerrs, out.failed, err = collectRowErrors(ctx, tx, w, out.fileErr == nil, job.Kind); err != nil {
		return out, err
	}
	if out.fileErr == nil && out.nerrs == 0 {
		// The write has a savepoint of its own: rows that did not land as read undo it, and the temporary
		// tables of the row errors stay to report them.
		if _, err := tx.Exec(ctx, `SAVEPOINT import_write`); err != nil {
			return out, err
		}
		if err := auditImportRecords(ctx, tx, job); err != nil {
			return out, err
		}
		var lost []RowError
		out.inserted, out.updated, out.unchanged, lost, err = applyStage(ctx, tx, job.Kind, w.Spec, out.total)
		switch {
		case errors.Is(err, errCountsDiffer):
			out.internal = &RowError{Line: 1, Column: "", Code: "internal",
				MessageEN: "the import could not account for every row of the file; nothing was written, upload the file again",
				MessageVI: "không đối chiếu được mọi dòng của tệp; chưa có gì được ghi, hãy tải tệp lên lại"}
		case err != nil:
			return out, err
		}
		if out.internal == nil && len(lost) == 0 {
			if job.Mode == "apply" {
				if err := tx.Audit(ctx, job.Province, "import", w.Spec.Entity, job.ID, nil, map[string]any{
					"kind": job.Kind, "rows_total": out.total, "rows_inserted": out.inserted,
					"rows_updated": out.updated, "rows_unchanged": out.unchanged}); err != nil {
					return out, err
				}
				_, err := tx.Exec(ctx, `RELEASE SAVEPOINT import_data`)
				return out, err
			}
			// Validation only: nothing of the file stays.
			_, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT import_data`)
			return out, err
		}
		if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT import_write`); err != nil {
			return out, err
		}
		out.inserted, out.updated, out.unchanged = 0, 0, 0
		if len(lost) > 0 {
			if out.nerrs, out.failed, err = addRowErrors(ctx, tx, lost); err != nil {
				return out, err
			}
		}
	}
	// A failed import: no upsert ran, so nothing of the file was written besides the temporary tables
	// (dropped at commit); the failed rows are kept for errors.csv.
	if out.nerrs > 0 {
		// The checks in SQL report the register's column names: name them as the file does (issue 13 item 5).
		if err := sheetColumns(ctx, tx, w.Columns); err != nil {
			return out, err
		}
		if out.errs, err = writeRejects(ctx, tx, job, w); err != nil {
			return out, err
		}
	}
	_, err = tx.Exec(ctx, `RELEASE SAVEPOINT import_data`)
	return out, err
}

func finishJob(ctx context.Context, tx *Tx, job *ImportJob, o importOutcome) error {
	job.RowsTotal, job.RowsProcessed = o.total, o.total
	job.RowsFailed = o.failed
	errs := o.errs
	job.ErrorsTotal = o.nerrs
	if o.fileErr != nil {
		errs = append([]RowError{*o.fileErr}, errs...)
		job.ErrorsTotal++
	}
	if o.internal != nil {
		errs = append([]RowError{*o.internal}, errs...)
	}
	if len(errs) > MaxJobErrors {
		errs = errs[:MaxJobErrors]
	}
	boundRowErrors(errs)
	job.Errors = errs
	if job.Errors == nil {
		job.Errors = []RowError{}
	}
	switch {
	case o.internal != nil:
		job.Status, job.FailureReason = "failed", strPtr("internal")
	case o.fileErr != nil:
		job.Status, job.FailureReason = "failed", strPtr("invalid_file")
	case o.nerrs > 0:
		job.Status, job.FailureReason = "failed", strPtr("invalid_rows")
	default:
		job.Status = "succeeded"
		job.RowsInserted, job.RowsUpdated, job.RowsUnchanged = o.inserted, o.updated, o.unchanged
	}
	ej, err := json.Marshal(job.Errors)
	if err != nil {
		return err
	}
	var finished time.Time
	err = tx.QueryRow(ctx, `UPDATE import_jobs SET status = $3, failure_reason = $4, rows_total = $5, rows_processed = $5,
		rows_inserted = $6, rows_updated = $7, rows_unchanged = $8, rows_failed = $9, errors = $10, errors_total = $11,
		finished_at = clock_timestamp()
		WHERE province_code = $1 AND id = $2::uuid RETURNING finished_at`,
		job.Province, job.ID, job.Status, job.FailureReason, job.RowsTotal, job.RowsInserted, job.RowsUpdated,
		job.RowsUnchanged, job.RowsFailed, ej, job.ErrorsTotal).Scan(&finished)
	job.FinishedAt = &finished
	if err != nil {
		return err
	}
	return auditJobStatus(ctx, tx, *job, "running", job.Status, job.FailureReason, map[string]any{"rows_total": job.RowsTotal,
		"rows_inserted": job.RowsInserted, "rows_updated": job.RowsUpdated, "rows_unchanged": job.RowsUnchanged,
		"rows_failed": job.RowsFailed, "errors_total": job.ErrorsTotal})
}

func strPtr(s string) *string { return &s }

// delimiterOf is the job's delimiter, ',' when not known (a file refused before its header was read).
func delimiterOf(j ImportJob) string {
	if j.Delimiter == ";" {
		return ";"
	}
	return ","
}

// FailImport records a job that could not start its data work (the file was refused before any row was
// read): the job row is written failed at once.
func (s *Store) FailImport(ctx context.Context, p Principal, job ImportJob, errs ...RowError) (ImportJob, error) {
	queued := job.Status == "queued"
	job.Status, job.FailureReason, job.ErrorsTotal = "failed", strPtr("invalid_file"), len(errs)
	if len(errs) > MaxJobErrors {
		errs = errs[:MaxJobErrors] // a header of 130,000 unknown columns: the first ones, and the count
	}
	job.Errors = append([]RowError{}, errs...)
	boundRowErrors(job.Errors)
	if job.Header == nil {
		job.Header = []string{}
	}
	ej, _ := json.Marshal(job.Errors)
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var finished time.Time
		job.FinishedAt = &finished
		if queued { // its row exists: it ends failed, unless it was cancelled meanwhile
			err := tx.QueryRow(ctx, `UPDATE import_jobs SET status = 'failed', failure_reason = 'invalid_file', errors = $3,
				errors_total = $6, header = $4, delimiter = $5, finished_at = clock_timestamp()
				WHERE province_code = $1 AND id = $2::uuid AND status = 'queued' RETURNING started_at, finished_at`,
				job.Province, job.ID, ej, job.Header, delimiterOf(job), job.ErrorsTotal).Scan(&job.StartedAt, &finished)
			switch {
			case errors.Is(err, pgx.ErrNoRows): // cancelled meanwhile
			case err != nil:
				return err
			default:
				if err := auditJobStatus(ctx, tx, job, "queued", "failed", job.FailureReason, map[string]any{"errors_total": job.ErrorsTotal}); err != nil {
					return err
				}
			}
			return replaceValidateRejects(ctx, tx, job)
		}
		err := tx.QueryRow(ctx, `INSERT INTO import_jobs (province_code, id, kind, mode, status, failure_reason, errors, errors_total, header, delimiter,
			api_key_id, request_id, started_at, finished_at) VALUES ($1, $2::uuid, $3, $4, 'failed', 'invalid_file', $5, $10, $6, $7, $8, $9,
			statement_timestamp(), statement_timestamp()) RETURNING started_at, finished_at`,
			job.Province, job.ID, job.Kind, job.Mode, ej, job.Header, delimiterOf(job), p.KeyID, p.RequestID, job.ErrorsTotal).Scan(&job.StartedAt, &finished)
		if err != nil {
			return err
		}
		if err := auditJobCreate(ctx, tx, job, "failed"); err != nil {
			return err
		}
		return replaceValidateRejects(ctx, tx, job)
	})
	return job, translate(err)
}

// errImportSpec reports a programming error in a spec.
var errImportSpec = errors.New("import spec has no upsert")
