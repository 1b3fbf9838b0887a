package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Integrity of an import against the API writing the same province meanwhile (issue 10 item 6). An
// import checks its rows against the register and then writes them; a record a row references that is
// deleted between the two would make the row vanish (an assignment whose person is gone joins nothing)
// or fail the whole transaction. Two defences:
//
//  1. Before its checks, the import locks every row its file references with FOR KEY SHARE, in one order
//     (people, communes, hamlets). A DELETE through the API (which locks the row FOR UPDATE first) then
//     waits for the import to commit, and is refused or cascades after it, audited as usual; a delete
//     that committed first is seen by the checks, which report the rows.
//  2. After writing, every staged row must be in the table exactly as staged (a row that is not fails the
//     job with its line), and inserted + updated + unchanged must equal the rows read (counts that do not
//     add up fail the job as internal).

// referenceLocks are the lock statements of each kind ($1 = province), in the fixed order people,
// communes, hamlets.
var referenceLocks = map[string][]string{
	"communes": {
		`SELECT 1 FROM communes t WHERE t.province_code = $1
		 AND t.code IN (SELECT successor_code FROM import_stage WHERE successor_code IS NOT NULL) ORDER BY t.code FOR KEY SHARE`,
	},
	"hamlets": {
		`SELECT 1 FROM communes t WHERE t.province_code = $1
		 AND t.code IN (SELECT commune_code FROM import_stage) ORDER BY t.code FOR KEY SHARE`,
		`SELECT 1 FROM hamlets t WHERE t.province_code = $1
		 AND t.code IN (SELECT successor_code FROM import_stage WHERE successor_code IS NOT NULL) ORDER BY t.code FOR KEY SHARE`,
	},
	"assignments": {
		`SELECT 1 FROM cadres t WHERE t.province_code = $1
		 AND t.national_id IN (SELECT national_id FROM import_stage) ORDER BY t.national_id FOR KEY SHARE`,
		`SELECT 1 FROM communes t WHERE t.province_code = $1
		 AND t.code IN (SELECT commune_code FROM import_stage WHERE commune_code IS NOT NULL) ORDER BY t.code FOR KEY SHARE`,
		`SELECT 1 FROM hamlets t WHERE t.province_code = $1
		 AND t.code IN (SELECT hamlet_code FROM import_stage WHERE hamlet_code IS NOT NULL) ORDER BY t.code FOR KEY SHARE`,
	},
}

// lockReferences takes the locks of kind (none for people, whose rows reference nothing). A file of units
// that names successors first takes the chain lock the API's writes take (lockSuccessorChains), before any
// row lock as they do, so that its loop check and theirs never run on a chain the other is changing.
func lockReferences(ctx context.Context, tx *Tx, kind string) error {
	if kind == "communes" || kind == "hamlets" {
		var names bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM import_stage WHERE successor_code IS NOT NULL)`).Scan(&names); err != nil {
			return err
		}
		if names {
			if err := lockSuccessorChains(ctx, tx, kind, tx.P.Province); err != nil {
				return err
			}
		}
	}
	for _, q := range referenceLocks[kind] {
		if _, err := tx.Exec(ctx, q, tx.P.Province); err != nil {
			return fmt.Errorf("lock references: %w", err)
		}
	}
	return nil
}

// unmatched returns, for each kind, a query ($1 = province) of the lines of import_stage whose row is
// not in the table exactly as staged (absent, or with other values), with the column to report.
func unmatched(kind string, spec ImportSpec) (string, error) {
	var table, key, column string
	switch kind {
	case "communes", "hamlets":
		table, key, column = kind, "code", "code"
	case "cadres":
		table, key, column = kind, "national_id", "national_id"
	case "assignments":
		return `SELECT s.line, CASE WHEN c.id IS NULL THEN 'national_id' ELSE 'start_date' END FROM import_stage s
			LEFT JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
			LEFT JOIN assignments t ON t.province_code = $1 AND t.cadre_id = c.id AND t.position_code = s.position_code
			     AND t.start_date = s.start_date
			WHERE t.id IS NULL OR (t.commune_code, t.hamlet_code, t.end_date, t.concurrent, t.elected, t.term_end, t.allowance_override)
			  IS DISTINCT FROM (s.commune_code, s.hamlet_code, s.end_date, s.concurrent, s.elected, s.term_end, s.allowance_override)
			ORDER BY s.line`, nil
	default:
		return "", fmt.Errorf("import kind %q has no integrity check", kind)
	}
	keys := []string{key}
	if kind == "communes" {
		keys = append(keys, "effective_from") // a unit is its code and its period (docs/time.md)
	}
	var tcols, scols, on []string
	for _, k := range keys {
		on = append(on, "t."+k+" = s."+k)
	}
	for _, c := range spec.StageCols {
		if c == "line" || c == key || (kind == "communes" && c == "effective_from") {
			continue
		}
		tcols, scols = append(tcols, "t."+c), append(scols, "s."+c)
	}
	return fmt.Sprintf(`SELECT s.line, '%s' FROM import_stage s LEFT JOIN %s t ON t.province_code = $1 AND %s
		WHERE t.%s IS NULL OR (%s) IS DISTINCT FROM (%s) ORDER BY s.line`, column, table, strings.Join(on, " AND "), key,
		strings.Join(tcols, ", "), strings.Join(scols, ", ")), nil
}

type unmatchedRow struct {
	Line   int
	Column string
}

func unmatchedRows(ctx context.Context, tx *Tx, q string) ([]unmatchedRow, error) {
	rows, err := tx.Query(ctx, q, tx.P.Province)
	if err != nil {
		return nil, fmt.Errorf("import integrity: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[unmatchedRow])
}

// errCountsDiffer is returned (and fails the job as internal) when the written rows do not account for
// every row read.
var errCountsDiffer = errors.New("import counts do not add up")

// applyStage writes import_stage into the table of kind and accounts for every row. After the write every
// staged row must be in the table exactly as staged: a row that is not (a record it references, or the
// row itself, changed or went away during the import) is returned, and the job fails with it. Then
// inserted and updated are what the write statements returned, unchanged the rest of the staged rows
// (each verified present as staged), and inserted + updated + unchanged must be the rows read; when it
// is not (a write counted twice, a row staged twice or not at all), errCountsDiffer fails the job.
//
// Unchanged is not counted before the write: a PATCH racing the import between that count and the write
// would make a correct import look inconsistent.
func applyStage(ctx context.Context, tx *Tx, kind string, spec ImportSpec, read int) (inserted, updated, unchanged int, lost []RowError, err error) {
	q, err := unmatched(kind, spec)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	var staged int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM import_stage`).Scan(&staged); err != nil {
		return 0, 0, 0, nil, err
	}
	if inserted, updated, err = upsertStage(ctx, tx, spec); err != nil {
		return 0, 0, 0, nil, err
	}
	after, err := unmatchedRows(ctx, tx, q)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	for _, r := range after {
		lost = append(lost, RowError{Line: r.Line, Column: r.Column, Code: "changed_during_import",
			MessageEN: "this row could not be written: a record it refers to was changed or deleted while the file was being imported; upload the file again",
			MessageVI: "không ghi được dòng này: một bản ghi mà dòng tham chiếu đã bị sửa hoặc xóa trong lúc nhập tệp; hãy tải tệp lên lại"})
	}
	if len(lost) > 0 {
		return 0, 0, 0, lost, nil
	}
	unchanged = staged - inserted - updated
	if staged != read || unchanged < 0 || inserted+updated+unchanged != read {
		return 0, 0, 0, nil, fmt.Errorf("%w: %d read, %d staged, %d inserted + %d updated + %d unchanged",
			errCountsDiffer, read, staged, inserted, updated, unchanged)
	}
	return inserted, updated, unchanged, nil, nil
}
