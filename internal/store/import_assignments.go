package store

import (
	"context"
	"fmt"
)

// assignmentImportSpec upserts assignments by their natural key: the person (by national ID), the post and
// the start date. Set-based checks resolve the person and the unit, and enforce the two rules of the
// records API across the file and the database: no overlapping periods of one post for one person, and at
// most 3 paid hamlet posts in one hamlet at one time (Decree 33/2023 Art. 33 cl. 6).
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
		overlapCheck,
		hamletPostsCheck,
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

// The two rules across the file and the database are sweeps over periods sorted by start date (window
// functions: O(n log n)); a rescan of the file or a count per row made them quadratic (issue 10 item 3).
//
// endKey packs a period's last day (an open period: 9999-12-31) and its line (0: a period already in the
// database) into one bigint ordered by day, then line, so that one max() window carries both; endDay and
// endLine unpack it.
const (
	endKeyFmt  = `((coalesce(%s, DATE '9999-12-31') - DATE '0001-01-01')::bigint << 32 | %s)`
	endDayFmt  = `(DATE '0001-01-01' + (%s >> 32)::int)`
	endLineFmt = `(%s & 4294967295)::int`
)

// overlapCheck: one person never holds one post over overlapping periods. The periods of each person and
// post as the file would leave them — the file's, and those held that the file does not update (a period
// of the file with the start date of a held one is that one, updated: a file may close a held period and
// add the next) — are sorted by start date; a period overlaps an earlier one exactly when it starts on or
// before the latest end of the periods that start before it. A period of the file is reported with the
// line of that latest-ending one; a held period so overlapped is reported on the line of the file's
// period that overlaps it. The post code is sorted byte-wise (COLLATE "C": the database's collation would
// compare each pair with strcoll).
var overlapCheck = fmt.Sprintf(`WITH f AS MATERIALIZED (
	   SELECT s.line, s.cadre_id, s.position_code, s.start_date, s.end_date, s.post_id
	   FROM import_posts s WHERE s.cadre_id IS NOT NULL),
	 u AS (
	   SELECT line, cadre_id, position_code, start_date, end_date FROM f
	   UNION ALL
	   SELECT 0, a.cadre_id, a.position_code, a.start_date, a.end_date FROM assignments a
	   WHERE a.province_code = $1 AND (a.cadre_id, a.position_code) IN (SELECT cadre_id, position_code FROM f)
	   AND NOT EXISTS (SELECT 1 FROM f WHERE f.post_id = a.id)),
	 w AS (
	   SELECT line, start_date, max(%s) OVER (PARTITION BY cadre_id, position_code COLLATE "C" ORDER BY start_date - DATE '0001-01-01'
	       RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
	   FROM u),
	 hit AS (
	   SELECT CASE WHEN line > 0 THEN line ELSE %s END AS line, CASE WHEN line > 0 THEN %s ELSE 0 END AS other
	   FROM w WHERE prev IS NOT NULL AND start_date <= %s AND (line > 0 OR %s > 0))
	 SELECT DISTINCT ON (line) line, 'start_date', 'overlap',
	   'this person already holds this post over an overlapping period' ||
	       CASE WHEN other > 0 THEN ' (line ' || other || ' of this file)' ELSE '' END,
	   'người này đã giữ chức danh này trong khoảng thời gian chồng lấn' ||
	       CASE WHEN other > 0 THEN ' (dòng ' || other || ' của tệp)' ELSE '' END
	 FROM hit ORDER BY line, other DESC`,
	fmt.Sprintf(endKeyFmt, "end_date", "line"), fmt.Sprintf(endLineFmt, "prev"), fmt.Sprintf(endLineFmt, "prev"),
	fmt.Sprintf(endDayFmt, "prev"), fmt.Sprintf(endLineFmt, "prev"))

// hamletPostsCheck: at most 3 paid hamlet posts in force in one hamlet on any day (Decree 33/2023 Art. 33
// cl. 6), over the hamlet's posts once the file is applied (the file's, and those held that the file does
// not update). The posts' first days and the days after their last are swept in date order, with the
// posts held before those of the file and the file's in line order on the same day: the running sum is
// the number in force when each post starts. A post of the file that starts as the 4th is reported; when
// a held post starts as the 4th, the file's post that is in force then and ends last is reported.
var hamletPostsCheck = fmt.Sprintf(`WITH cand AS MATERIALIZED (
	   SELECT s.line, s.hamlet_code, s.position_code, s.start_date, s.end_date, s.post_id
	   FROM import_posts s JOIN positions p ON p.code = s.position_code AND p.paid_hamlet_post
	   WHERE s.hamlet_code IS NOT NULL AND s.cadre_id IS NOT NULL),
	 held AS (
	   SELECT a.hamlet_code, a.start_date, a.end_date, 0 AS line FROM assignments a
	   JOIN positions p ON p.code = a.position_code AND p.paid_hamlet_post
	   WHERE a.province_code = $1 AND a.hamlet_code IN (SELECT hamlet_code FROM cand)
	   AND NOT EXISTS (SELECT 1 FROM cand WHERE cand.post_id = a.id)
	   UNION ALL SELECT hamlet_code, start_date, end_date, line FROM cand),
	 ev AS (
	   SELECT hamlet_code, start_date AS day, 1 AS starts, line, end_date, 1 AS delta FROM held
	   UNION ALL SELECT hamlet_code, end_date + 1, 0, 0, NULL, -1 FROM held WHERE end_date IS NOT NULL),
	 sweep AS (
	   SELECT day, starts, line, sum(delta) OVER w AS in_force,
	       max(CASE WHEN starts = 1 AND line > 0 THEN %s END) OVER w AS file_key, hamlet_code
	   FROM ev WINDOW w AS (PARTITION BY hamlet_code COLLATE "C" ORDER BY day, starts, line ROWS UNBOUNDED PRECEDING)),
	 hit AS (
	   SELECT CASE WHEN line > 0 THEN line ELSE %s END AS line, hamlet_code, day FROM sweep
	   WHERE starts = 1 AND in_force > 3 AND (line > 0 OR %s >= day))
	 SELECT DISTINCT ON (line) line, 'hamlet_code', 'too_many_hamlet_posts',
		'hamlet ' || hamlet_code || ' would have more than 3 paid posts in force on ' || to_char(day, 'YYYY-MM-DD') ||
		    ' (Decree 33/2023 Art. 33)',
		'thôn ' || hamlet_code || ' sẽ có quá 3 chức danh hưởng phụ cấp cùng lúc vào ngày ' || to_char(day, 'DD/MM/YYYY') ||
		    ' (Nghị định 33/2023 Điều 33)'
	 FROM hit ORDER BY line, day`,
	fmt.Sprintf(endKeyFmt, "end_date", "line"), fmt.Sprintf(endLineFmt, "file_key"), fmt.Sprintf(endDayFmt, "file_key"))

// preparePosts readies an import of posts once import_stage is loaded (the spec's Lock, run by Prepare):
// it takes the locks of the records API (lockStagedHamlets), then resolves the file's people once.
// import_posts is import_stage with, on each row, its person's id (cadre_id; NULL when the province has
// no such person) and the id of the held post it updates (post_id: the same person, post and start
// date; NULL for a new one). The checks and the upsert read it instead of joining the file with the
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
		SELECT s.*, c.id AS cadre_id, t.id AS post_id FROM import_stage s, cadres c, assignments t WITH NO DATA`); err != nil {
		return fmt.Errorf("resolve the people: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_posts SELECT s.*, c.id, t.id FROM import_stage s
		LEFT JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
		LEFT JOIN assignments t ON t.province_code = $1 AND t.cadre_id = c.id AND t.position_code = s.position_code
		  AND t.start_date = s.start_date`, tx.P.Province); err != nil {
		return fmt.Errorf("resolve the people: %w", err)
	}
	_, err := tx.Exec(ctx, `ANALYZE import_posts`)
	return err
}
