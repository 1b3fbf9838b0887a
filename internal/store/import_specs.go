package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ImportSpec is how one kind of record is staged, checked against the database and earlier rows of the
// same file, and upserted by its natural key.
type ImportSpec struct {
	Entity    string   // audit entity
	StageDDL  string   // columns of the temporary staging table; the first is `line int`
	StageCols []string // the COPY columns, in the order the rows give them
	// Lock, when set, runs before the checks and takes the locks the checks rely on (the paid-posts rule:
	// lockStagedHamlets), so that no concurrent writer can change what they read before the import commits.
	Lock func(ctx context.Context, tx *Tx) error
	// Checks are queries over import_stage ($1 = province) that return
	// (line, column, code, message_en, message_vi) for every row that fails a set-based rule.
	Checks []string
	// Upsert moves import_stage into the table ($1 = province): statements run in order, each returning
	// one boolean per written row, true when inserted, false when updated; identical rows are not written
	// (unchanged).
	Upsert []string
	// Run, when set, replaces the one-table data phase of runImportData (the combined sheet of people
	// and posts, import_sheet.go).
	Run func(ctx context.Context, tx *Tx, job ImportJob, w ImportWork) (importOutcome, error)
}

// naturalKeyUpsert updates the rows whose key exists and differ, then inserts the rest with a plain
// INSERT … SELECT. It is faster than INSERT … ON CONFLICT, whose speculative insertion costs about twice a
// plain insert; it is safe because imports into a province are serialised by an advisory lock (a POST
// racing the import can still make the INSERT fail on the unique key, which fails the whole import).
func naturalKeyUpsert(table string, key, cols []string) []string {
	var set, tcols, scols, on []string
	for _, c := range cols {
		set = append(set, c+" = s."+c)
		tcols = append(tcols, "t."+c)
		scols = append(scols, "s."+c)
	}
	for _, k := range key {
		on = append(on, "t."+k+" = s."+k)
	}
	all := append(append([]string{}, key...), cols...)
	return []string{
		fmt.Sprintf(`UPDATE %s AS t SET %s, version = t.version + 1, updated_at = now() FROM import_stage s
			WHERE t.province_code = $1 AND %s AND (%s) IS DISTINCT FROM (%s) RETURNING false`,
			table, strings.Join(set, ", "), strings.Join(on, " AND "), strings.Join(tcols, ", "), strings.Join(scols, ", ")),
		fmt.Sprintf(`INSERT INTO %s (province_code, %s) SELECT $1, %s FROM import_stage s
			WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE t.province_code = $1 AND %s) RETURNING true`,
			table, strings.Join(all, ", "), "s."+strings.Join(all, ", s."), table, strings.Join(on, " AND ")),
	}
}

// importWorkMem is the memory each sort or hash of an import's statements may use before spilling to
// disk: enough for the checks of a 200,000-row file to run in memory (see Prepare).
const importWorkMem = "64MB"

// importPlanning are the planner settings of an import's transaction (see Prepare).
const importPlanning = `SET LOCAL enable_nestloop = off; SET LOCAL plan_cache_mode = force_generic_plan;
	SET LOCAL work_mem = '` + importWorkMem + `'`

// Prepare readies the import's transaction for the checks and the upsert (after import_stage is loaded
// and analyzed): it takes the spec's locks, and it keeps the planner off nested loops for the rest of the
// transaction. Every check and upsert joins on equality, so hash and merge joins keep each statement
// O(n log n) whatever the statistics say; a nested loop is only cheap when the planner's row counts are
// right, and right after a large import (until autovacuum analyzes the table) it takes a province's
// 200,000 people for one row and rescans the file once per person (issue 10 item 3).
//
// It also plans every prepared statement of the transaction for the average province rather than for the
// importing one (plan_cache_mode = force_generic_plan): the lookups made once per written row — foreign
// keys, the successor and commune-period triggers — are planned with the province's own value, and
// statistics gathered before a province's first import say it has no rows, so the planner picks whichever
// index is led by province_code alone (communes_successor_idx) and filters the whole province on each
// row: 100,000 communes committed in minutes instead of seconds. A generic plan estimates a province as
// 1/(provinces seen) of the table and looks each row up by its whole key.
//
// And it gives the transaction's sorts and hash joins importWorkMem: with the server's default (4 MB)
// the checks of a 50,000-row file sort and hash in memory and those of a 200,000-row file spill to
// disk in several passes (the posts' holders check wrote 120 MB of temporary files), so the time per row
// grew with the file instead of staying flat. Imports run a bounded few at a time (JOBS_MAX), each
// statement's nodes take only what their rows need, and the setting ends with the transaction.
func (spec ImportSpec) Prepare(ctx context.Context, tx *Tx) error {
	if _, err := tx.Exec(ctx, importPlanning); err != nil {
		return err
	}
	if spec.Lock != nil {
		if err := spec.Lock(ctx, tx); err != nil {
			return fmt.Errorf("import locks: %w", err)
		}
	}
	return nil
}

func upsertStage(ctx context.Context, tx *Tx, spec ImportSpec) (inserted, updated int, err error) {
	if len(spec.Upsert) == 0 {
		return 0, 0, errImportSpec
	}
	for _, q := range spec.Upsert {
		rows, err := tx.Query(ctx, q, tx.P.Province)
		if err != nil {
			return 0, 0, translate(err)
		}
		flags, err := pgx.CollectRows(rows, pgx.RowTo[bool])
		if err != nil {
			return 0, 0, translate(err)
		}
		for _, ins := range flags {
			if ins {
				inserted++
			} else {
				updated++
			}
		}
	}
	return inserted, updated, nil
}

// duplicateCheck flags later lines that repeat a natural key of the file.
func duplicateCheck(keyCols, column, what string) string {
	return fmt.Sprintf(`SELECT line, '%s', 'duplicate_in_file',
		'the same %s appears on line ' || first_line || ' of this file',
		'%s này đã có ở dòng ' || first_line || ' của tệp'
		FROM (SELECT line, min(line) OVER (PARTITION BY %s) AS first_line FROM import_stage) d WHERE line <> first_line`,
		column, what, what, keyCols)
}

// ImportSpecs are the four kinds of import.
var ImportSpecs = map[string]ImportSpec{
	"communes": {
		Entity: "commune",
		StageDDL: `line int, code text, name text, kind text, class smallint, population int, area_km2 numeric,
			key_security_order bool, border bool, island bool, effective_from date, effective_to date, successor_code text,
			mountainous bool, ward_of_urban_district bool`,
		StageCols: []string{"line", "code", "name", "kind", "class", "population", "area_km2", "key_security_order", "border", "island",
			"effective_from", "effective_to", "successor_code", "mountainous", "ward_of_urban_district"},
		Checks: []string{
			duplicateCheck("code, effective_from", "effective_from", "commune code and period start"),
			communeFileOverlapCheck,
			communeOverlapCheck,
			`SELECT s.line, 'successor_code', 'invalid_reference',
				'commune ' || s.successor_code || ' does not exist in the province or earlier in this file',
				'xã ' || s.successor_code || ' không có trong tỉnh hoặc trong tệp này'
			 FROM import_stage s WHERE s.successor_code IS NOT NULL
			 AND NOT EXISTS (SELECT 1 FROM communes c WHERE c.province_code = $1 AND c.code = s.successor_code)
			 AND NOT EXISTS (SELECT 1 FROM import_stage s2 WHERE s2.code = s.successor_code)`,
		},
		// A unit is its code and its period: a row whose period starts on an existing unit's first day
		// updates it; a row whose period overlaps none is another unit (inserted); an overlapping one with
		// another start is refused above, naming the unit it overlaps.
		Upsert: naturalKeyUpsert("communes", []string{"code", "effective_from"}, []string{"name", "kind", "class", "population", "area_km2",
			"key_security_order", "border", "island", "effective_to", "successor_code", "mountainous",
			"ward_of_urban_district"}),
	},
	"hamlets": {
		Entity: "hamlet",
		StageDDL: `line int, code text, commune_code text, name text, kind text, households int, key_security_order bool,
			border_or_island bool, converted_from_thon bool, effective_from date, effective_to date, successor_code text`,
		StageCols: []string{"line", "code", "commune_code", "name", "kind", "households", "key_security_order", "border_or_island",
			"converted_from_thon", "effective_from", "effective_to", "successor_code"},
		Checks: []string{
			duplicateCheck("code", "code", "hamlet code"),
			`SELECT s.line, 'commune_code', 'invalid_reference',
				'commune ' || s.commune_code || ' does not exist in the province: import the communes file first',
				'xã ' || s.commune_code || ' chưa có trong tỉnh: hãy nhập tệp xã trước'
			 FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM communes c WHERE c.province_code = $1 AND c.code = s.commune_code)`,
			`SELECT s.line, 'successor_code', 'invalid_reference',
				'hamlet ' || s.successor_code || ' does not exist in the province or in this file',
				'thôn ' || s.successor_code || ' không có trong tỉnh hoặc trong tệp này'
			 FROM import_stage s WHERE s.successor_code IS NOT NULL
			 AND NOT EXISTS (SELECT 1 FROM hamlets h WHERE h.province_code = $1 AND h.code = s.successor_code)
			 AND NOT EXISTS (SELECT 1 FROM import_stage s2 WHERE s2.code = s.successor_code)`,
		},
		Upsert: naturalKeyUpsert("hamlets", []string{"code"}, []string{"commune_code", "name", "kind", "households",
			"key_security_order", "border_or_island", "converted_from_thon", "effective_from", "effective_to", "successor_code"}),
	},
	"cadres": {
		Entity: "cadre",
		StageDDL: `line int, national_id text, full_name text, gender text, birth_date date, si_months int, status text, left_on date,
			si_total_months int, si_uncompensated_months int, decree29_paid bool, decree29_paid_on date, merged_unit_surplus bool,
			active_from date`,
		StageCols: []string{"line", "national_id", "full_name", "gender", "birth_date", "si_months", "status", "left_on",
			"si_total_months", "si_uncompensated_months", "decree29_paid", "decree29_paid_on", "merged_unit_surplus", "active_from"},
		Checks: []string{duplicateCheck("national_id", "national_id", "national ID")},
		Upsert: naturalKeyUpsert("cadres", []string{"national_id"}, []string{"full_name", "gender", "birth_date", "si_months",
			"status", "left_on", "si_total_months", "si_uncompensated_months", "decree29_paid", "decree29_paid_on", "merged_unit_surplus",
			"active_from"}),
	},
	"assignments": assignmentImportSpec,
}
