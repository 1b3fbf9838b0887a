package store

import (
	"context"
	"fmt"
)

// assignmentImportSpec upserts assignments by their natural key: the person (by national ID), the post and
// the start date. Set-based checks resolve the person and the unit; the rules of posts the records API
// enforces run across the file and the database by the same statements (postRuleRows, post_rules.go).
var assignmentImportSpec = ImportSpec{
	Entity: "assignment",
	// Lock takes the hamlet locks and resolves each row's person and held post once (import_posts).
	Lock: preparePosts,
	// The staging table is AssignmentStageRow's (import_rows.go).
	StageDDL:  assignmentStage.ddl,
	StageCols: assignmentStage.cols,
	Checks: []string{
		duplicateCheck("national_id, position_code, start_date", "start_date", "person, post and start date"),
		`SELECT s.line, 'national_id', 'invalid_reference',
			'no person with this national ID in the province: import the people file first',
			'không có người với số định danh này trong tỉnh: hãy nhập tệp nhân sự trước'
		 FROM import_posts s WHERE s.cadre_id IS NULL`,
		`SELECT s.line, 'commune_code', 'invalid_reference', 'commune ' || s.commune_code || ' does not exist in the province',
			'xã ' || s.commune_code || ' không có trong tỉnh'
		 FROM import_stage s WHERE s.commune_code IS NOT NULL
		 AND NOT EXISTS (SELECT 1 FROM communes c WHERE c.province_code = $1 AND c.code = s.commune_code)`,
		`SELECT s.line, 'hamlet_code', 'invalid_reference', 'hamlet ' || s.hamlet_code || ' does not exist in the province',
			'thôn ' || s.hamlet_code || ' không có trong tỉnh'
		 FROM import_stage s WHERE s.hamlet_code IS NOT NULL
		 AND NOT EXISTS (SELECT 1 FROM hamlets h WHERE h.province_code = $1 AND h.code = s.hamlet_code)`,
		// No overlapping periods and at most 3 paid hamlet posts: with the other rules of posts, in
		// postRuleRows (post_rules_import.go), one statement each for the import and the records API.
	},
	// The periods the file changes are updated first, then the new ones inserted: a file that closes a held
	// period and adds the next one never meets the no-overlap constraint half-applied. A plain UPDATE and
	// INSERT cost about half an INSERT … ON CONFLICT (see naturalKeyUpsert; imports into one province are
	// serialised). The file meets the posts on the whole natural key (person, post, start date), the
	// person resolved once (import_posts): joined on post and start date alone (a plan that stale
	// statistics make look cheap), every row of the file would meet thousands (issue 10 item 3).
	// The new posts are inserted in the order of their person's id: two btree indexes of the table, the
	// GiST of the no-overlap rule and the people's key that the foreign key looks up are ordered by it,
	// and a random UUID taken in file order sent each insert to another page of each (about 7 % of the
	// INSERT at 200,000 rows).
	Upsert: []string{`UPDATE assignments AS t SET commune_code = f.commune_code, hamlet_code = f.hamlet_code, end_date = f.end_date,
			concurrent = f.concurrent, elected = f.elected, term_end = f.term_end, allowance_override = f.allowance_override,
			version = t.version + 1, updated_at = now()
		FROM import_posts f WHERE t.province_code = $1 AND t.cadre_id = f.cadre_id AND t.position_code = f.position_code AND t.start_date = f.start_date
		AND (t.commune_code, t.hamlet_code, t.end_date, t.concurrent, t.elected, t.term_end, t.allowance_override)
			IS DISTINCT FROM (f.commune_code, f.hamlet_code, f.end_date, f.concurrent, f.elected, f.term_end, f.allowance_override)
		RETURNING false`,
		`INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, hamlet_code, start_date, end_date,
			concurrent, elected, term_end, allowance_override)
		SELECT $1, f.cadre_id, f.position_code, f.commune_code, f.hamlet_code, f.start_date, f.end_date, f.concurrent, f.elected,
			f.term_end, f.allowance_override
		FROM import_posts f WHERE f.cadre_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assignments t WHERE t.province_code = $1
			AND t.cadre_id = f.cadre_id AND t.position_code = f.position_code AND t.start_date = f.start_date)
		ORDER BY f.cadre_id, f.line
		RETURNING true`},
}

// preparePosts readies an import of posts once import_stage is loaded (the spec's Lock, run by Prepare):
// it takes the locks of the records API (lockStagedHamlets), then resolves the file's people once.
// import_posts is import_stage with, on each row, its person's id (cadre_id; NULL when the province has
// no such person), the id of the held post it updates (post_id: the same person, post and start
// date; NULL for a new one) and the commune-level unit its commune code names (commune_from: the one in
// force on its first day), the columns of a source of the rules of posts (post_rules.go). The checks and the upsert read it instead of joining the file with the
// people (and the posts) each time: a hash of the province's people built once, not six times.
// The people named are locked already (lockReferences), so the ids stay right until the import ends.
func preparePosts(ctx context.Context, tx *Tx) error {
	if err := lockStagedHamlets(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS import_posts`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_posts ON COMMIT DROP AS
		SELECT s.*, c.id AS cadre_id, t.id AS post_id, t.commune_from FROM import_stage s, cadres c, assignments t WITH NO DATA`); err != nil {
		return fmt.Errorf("resolve the people: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_posts SELECT s.*, c.id, t.id,
		  CASE WHEN s.commune_code IS NOT NULL THEN resolve_commune_from($1, s.commune_code, s.start_date) END
		FROM import_stage s
		LEFT JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
		LEFT JOIN assignments t ON t.province_code = $1 AND t.cadre_id = c.id AND t.position_code = s.position_code
		  AND t.start_date = s.start_date`, tx.P.Province); err != nil {
		return fmt.Errorf("resolve the people: %w", err)
	}
	_, err := tx.Exec(ctx, `ANALYZE import_posts`)
	return err
}
