package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The combined sheet of a commune (issue 13 item 4): one row per person and post, as officers keep it,
// imported into people and posts in one transaction. The file is staged once (sheet_stage: the people
// import's columns, then the posts import's, each part flagged present or not); then the two imports run
// one after the other on the same transaction, each on its own import_stage made from the sheet, with
// its own checks, locks, rules, upsert, integrity check and per-record audit (ImportSpecs["cadres"] and
// ["assignments"]: one implementation of every rule). People are written first so that the posts' checks
// see them; when anything fails, the write is rolled back and every error of both parts is reported.

// SheetKind is the kind of the combined sheet.
const SheetKind = "commune-sheet"

func init() {
	ImportSpecs[SheetKind] = ImportSpec{Entity: "commune_sheet", StageDDL: sheetStage.ddl, StageCols: sheetStage.cols, Run: runSheetData}
}

// runSheetData is the data phase of a combined sheet (in place of runImportData): stage, report the
// parser's rejects, write people then posts under the savepoint import_write, and keep the write only
// when no line failed (and only in apply mode).
func runSheetData(ctx context.Context, tx *Tx, job ImportJob, w ImportWork) (importOutcome, error) {
	var out importOutcome
	if err := replaceValidateRejects(ctx, tx, job); err != nil {
		return out, err
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT import_data`); err != nil {
		return out, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE sheet_stage (`+w.Spec.StageDDL+`) ON COMMIT DROP`); err != nil {
		return out, fmt.Errorf("sheet staging table: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"sheet_stage"}, w.Spec.StageCols, w.Rows); err != nil {
		return out, fmt.Errorf("copy into sheet staging: %w", err)
	}
	out.total = w.RowsTotal()
	out.fileErr = w.FileError()
	var err error
	if out.nerrs, out.failed, err = collectRowErrors(ctx, tx, w, false, job.Kind); err != nil {
		return out, err
	}
	if out.fileErr == nil {
		parts, err := sheetWrite(ctx, tx, job, &out)
		if err != nil {
			return out, err
		}
		if out.nerrs == 0 && out.internal == nil {
			return out, sheetKeep(ctx, tx, job, w, out, parts)
		}
	}
	if out.nerrs > 0 {
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

// sheetKeep ends a sheet that passed: apply keeps the write (with the job's audit row, which counts people
// and posts apart), validate undoes it.
func sheetKeep(ctx context.Context, tx *Tx, job ImportJob, w ImportWork, out importOutcome, parts map[string][3]int) error {
	if job.Mode != "apply" {
		_, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT import_data`)
		return err
	}
	if err := tx.Audit(ctx, job.Province, "import", w.Spec.Entity, job.ID, nil, map[string]any{
		"kind": job.Kind, "rows_total": out.total, "rows_inserted": out.inserted,
		"rows_updated": out.updated, "rows_unchanged": out.unchanged, "people": parts["cadres"], "posts": parts["assignments"]}); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `RELEASE SAVEPOINT import_data`)
	return err
}

// sheetWrite checks and writes the sheet's people, then its posts. Without an error the write stays
// (its counts in out); otherwise it is rolled back, and the errors found meanwhile (kept in a spool
// file across the rollback, which would undo them too) are put back with those of the rows that did not
// land as read.
func sheetWrite(ctx context.Context, tx *Tx, job ImportJob, out *importOutcome) (map[string][3]int, error) {
	var before int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM import_row_errors`).Scan(&before); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT import_write; ANALYZE sheet_stage`); err != nil {
		return nil, err
	}
	if err := auditImportRecords(ctx, tx, job); err != nil {
		return nil, err
	}
	w := sheetWritten{parts: map[string][3]int{}}
	if err := w.people(ctx, tx, out); err != nil {
		return nil, err
	}
	if err := w.posts(ctx, tx, out); err != nil {
		return nil, err
	}
	if out.nerrs == 0 && out.internal == nil && len(w.lost) == 0 {
		out.inserted, out.updated, out.unchanged = w.inserted, w.updated, w.unchanged
		return w.parts, nil
	}
	spool, err := spoolRowErrors(ctx, tx, before)
	if err != nil {
		return nil, err
	}
	defer spool.Close()
	if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT import_write`); err != nil {
		return nil, err
	}
	if err := restoreRowErrors(ctx, tx, spool); err != nil {
		return nil, err
	}
	if len(w.lost) > 0 {
		out.nerrs, out.failed, err = addRowErrors(ctx, tx, w.lost)
		return nil, err
	}
	return nil, tx.QueryRow(ctx, `SELECT count(*), count(DISTINCT line) FROM import_row_errors`).Scan(&out.nerrs, &out.failed)
}

// sheetWritten adds up what the two parts wrote, and the rows that did not land as read.
type sheetWritten struct {
	inserted, updated, unchanged int
	parts                        map[string][3]int // by kind: inserted, updated, unchanged
	lost                         []RowError
}

// people: the rows of one person must agree; the person is staged once (from the first line giving
// their data) and goes through the people import: checks, upsert, integrity. The write happens even
// when a line failed, so that the posts can be checked against the people: it is rolled back then.
func (w *sheetWritten) people(ctx context.Context, tx *Tx, out *importOutcome) error {
	if _, err := tx.Exec(ctx, `INSERT INTO import_row_errors (line, col, code, message_en, message_vi) `+
		sheetConflictCheck(ImportSpecs["cadres"].StageCols[2:])); err != nil {
		return fmt.Errorf("sheet check: %w", err)
	}
	n, err := sheetPhase(ctx, tx, "cadres", `SELECT DISTINCT ON (national_id) * FROM sheet_stage WHERE has_person ORDER BY national_id, line`)
	if err != nil {
		return err
	}
	return w.apply(ctx, tx, "cadres", n, out)
}

// posts: a post's person must be in the register once the sheet's people are written; the posts of the
// people who are go through the posts import: locks, checks, rules (3 paid posts, holders per unit, the
// unit's life), and the upsert when no line failed.
func (w *sheetWritten) posts(ctx context.Context, tx *Tx, out *importOutcome) error {
	if _, err := tx.Exec(ctx, `INSERT INTO import_row_errors (line, col, code, message_en, message_vi)
		SELECT s.line, 'national_id', 'invalid_reference',
			'no person with this national ID in the province, and no valid line of this file gives their full name, gender and birth date',
			'không có người với số CCCD này trong tỉnh, và không dòng hợp lệ nào của tệp ghi họ tên, giới tính, ngày sinh của người này'
		FROM sheet_stage s WHERE s.has_post
		AND NOT EXISTS (SELECT 1 FROM cadres c WHERE c.province_code = $1 AND c.national_id = s.national_id)`, tx.P.Province); err != nil {
		return fmt.Errorf("sheet check: %w", err)
	}
	n, err := sheetPhase(ctx, tx, "assignments", `SELECT * FROM sheet_stage s WHERE s.has_post
		AND EXISTS (SELECT 1 FROM cadres c WHERE c.province_code = $1 AND c.national_id = s.national_id)`)
	if err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT count(*), count(DISTINCT line) FROM import_row_errors`).Scan(&out.nerrs, &out.failed); err != nil {
		return err
	}
	if out.nerrs > 0 || out.internal != nil || len(w.lost) > 0 {
		return nil // the posts are not written: the write is rolled back anyway
	}
	return w.apply(ctx, tx, "assignments", n, out)
}

// apply upserts import_stage as the import of kind does, accounting for every staged row.
func (w *sheetWritten) apply(ctx context.Context, tx *Tx, kind string, staged int, out *importOutcome) error {
	ins, upd, unch, lost, err := applyStage(ctx, tx, kind, ImportSpecs[kind], staged)
	switch {
	case errors.Is(err, errCountsDiffer):
		out.internal = &RowError{Line: 1, Column: "", Code: "internal",
			MessageEN: "the import could not account for every row of the file; nothing was written, upload the file again",
			MessageVI: "không đối chiếu được mọi dòng của tệp; chưa có gì được ghi, hãy tải tệp lên lại"}
		return nil
	case err != nil:
		return err
	}
	w.inserted, w.updated, w.unchanged = w.inserted+ins, w.updated+upd, w.unchanged+unch
	w.parts[kind] = [3]int{ins, upd, unch}
	w.lost = append(w.lost, lost...)
	return nil
}

// sheetPhase makes import_stage the part of the sheet for kind (the rows of sel, $1 = province, with the
// kind's staging columns) and runs that import's locks, checks and shared rules over it, adding their
// errors; it returns the number of rows staged.
func sheetPhase(ctx context.Context, tx *Tx, kind, sel string) (int, error) {
	spec := ImportSpecs[kind]
	cols := strings.Join(spec.StageCols, ", ")
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS import_stage; CREATE TEMP TABLE import_stage ON COMMIT DROP AS
		SELECT `+cols+` FROM sheet_stage WITH NO DATA`); err != nil {
		return 0, fmt.Errorf("staging table: %w", err)
	}
	var args []any
	if containsParam1(sel) {
		args = append(args, tx.P.Province)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO import_stage (`+cols+`) SELECT `+cols+` FROM (`+sel+`) part`, args...)
	if err != nil {
		return 0, fmt.Errorf("staging %s: %w", kind, err)
	}
	if err := checkStage(ctx, tx, kind, spec); err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// sheetConflictCheck: the lines of one person (same national ID) that give their data must give the same
// data. Each later line is reported on every column that differs from the first, naming that line.
func sheetConflictCheck(cols []string) string {
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = fmt.Sprintf(`('%s', s.%s IS DISTINCT FROM f.%s)`, c, c, c)
	}
	return `SELECT s.line, d.col, 'person_conflict',
		'the same national ID is given other personal data on line ' || f.line || ' of this file: the lines of one person must agree',
		'cùng số CCCD nhưng thông tin cá nhân khác với dòng ' || f.line || ' của tệp: các dòng của cùng một người phải giống nhau'
	FROM sheet_stage s
	JOIN (SELECT DISTINCT ON (national_id) * FROM sheet_stage WHERE has_person ORDER BY national_id, line) f USING (national_id)
	CROSS JOIN LATERAL (VALUES ` + strings.Join(vals, ", ") + `) d (col, differs)
	WHERE s.has_person AND s.line <> f.line AND d.differs`
}

// sheetColumns names the columns of the errors as the file does (the checks report API columns); every
// kind's import uses it.
func sheetColumns(ctx context.Context, tx *Tx, columns map[string]string) error {
	if len(columns) == 0 {
		return nil
	}
	m, err := json.Marshal(columns)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE import_row_errors e SET col = m.header FROM jsonb_each_text($1::jsonb) m (name, header)
		WHERE e.col = m.name AND m.header <> ''`, string(m))
	return err
}

// spoolRowErrors copies the row errors added after n (in order) to a temporary file.
func spoolRowErrors(ctx context.Context, tx *Tx, after int64) (*os.File, error) {
	f, err := os.CreateTemp("", "communehr-sheet-errors-*")
	if err != nil {
		return nil, err
	}
	_ = os.Remove(f.Name()) // the open file stays readable; nothing is left behind
	if _, err := tx.Conn().PgConn().CopyTo(ctx, f, fmt.Sprintf(`COPY (SELECT line, col, code, message_en, message_vi
		FROM import_row_errors WHERE n > %d ORDER BY n) TO STDOUT`, after)); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool row errors: %w", err)
	}
	return f, nil
}

// restoreRowErrors copies the spooled errors back into import_row_errors.
func restoreRowErrors(ctx context.Context, tx *Tx, f *os.File) error {
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, f, `COPY import_row_errors (line, col, code, message_en, message_vi) FROM STDIN`); err != nil {
		return fmt.Errorf("restore row errors: %w", err)
	}
	return nil
}
