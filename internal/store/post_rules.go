package store

import (
	"fmt"
	"strings"
	"time"

	"communehr/internal/msg"
)

// The four rules of posts that need the register — no overlapping periods of one post for one person, at
// most MaxPaidHamletPosts paid posts in a hamlet at once, at most positions.max_per_unit holders of a post
// in one unit at once, a post within its unit's life — each have ONE detection, a set-based statement
// built here for a source of posts, and ONE wording (OverlapRule, HamletPostsRule, MaxHoldersRule,
// UnitLifeRule). The records API runs them over the one post it writes (onePostSource, post_rules_api.go);
// an import of posts over its file (importPostSource, post_rules_import.go). Issue 10 item 8.
//
// The statements are sweeps over periods sorted by date (window functions) or joins on equality, so that
// an import stays O(n log n) (issue 10 item 3).

// postSource is what the rules of posts check, as a FROM item: its columns are line, cadre_id,
// position_code, commune_code, commune_from (the commune unit it names, resolved), hamlet_code,
// start_date, end_date and post_id (the held post it updates, else NULL). Its parameters follow $1, the
// province.
type postSource struct {
	from string
	args []any
}

// importPostSource is the file of an import of posts, its people and held posts resolved (preparePosts).
var importPostSource = postSource{from: "import_posts"}

// onePostSource is the post a, written through the records API, as line 1 of a source: its id is the
// held post it updates (none on a create).
func onePostSource(a Assignment) postSource {
	var id any
	if a.ID != "" {
		id = a.ID
	}
	return postSource{from: `(SELECT 1 AS line, $2::uuid AS cadre_id, $3::text AS position_code, $4::text AS commune_code,
		CASE WHEN $4::text IS NOT NULL THEN coalesce($5::date, resolve_commune_from($1, $4::text, $7::date)) END AS commune_from,
		$6::text AS hamlet_code, $7::date AS start_date, $8::date AS end_date, $9::uuid AS post_id)`,
		args: []any{a.CadreID, a.PositionCode, a.CommuneCode, a.CommuneFrom, a.HamletCode, a.StartDate, a.EndDate, id}}
}

// sql puts the source into a statement of this file ({src}) and returns it with its arguments: the
// province ($1), the source's, then extra, which the statement names {h1}, {h2}…
func (s postSource) sql(stmt, province string, extra ...any) (string, []any) {
	args := append([]any{province}, s.args...)
	r := []string{"{src}", s.from}
	for i := range extra {
		r = append(r, fmt.Sprintf("{h%d}", i+1), fmt.Sprintf("$%d", len(args)+i+1))
	}
	return strings.NewReplacer(r...).Replace(stmt), append(args, extra...)
}

// endKey packs a period's last day (an open period: 9999-12-31) and its line (0: a period already in the
// database) into one bigint ordered by day, then line, so that one max() window carries both; endDay and
// endLine unpack it.
const (
	endKeyFmt  = `((coalesce(%s, DATE '9999-12-31') - DATE '0001-01-01')::bigint << 32 | %s)`
	endDayFmt  = `(DATE '0001-01-01' + (%s >> 32)::int)`
	endLineFmt = `(%s & 4294967295)::int`
)

// overlapSQL: one person never holds one post over overlapping periods (the exclusion constraint
// assignments_no_overlap holds it too). The periods of each person and post as the source would leave
// them — the source's, and those held that it does not update (a period of the source with the start date
// of a held one is that one, updated: a file may close a held period and add the next) — are sorted by
// start date; a period overlaps an earlier one exactly when it starts on or before the latest end of the
// periods that start before it. A period of the source is reported with that latest-ending one (its line,
// 0 when held, and its last day); a held period so overlapped is reported on the line of the source's
// period that overlaps it, with its own dates. A line of the source ranks before a held period. The post
// code is sorted byte-wise (COLLATE "C": the database's collation would compare each pair with strcoll).
// Columns: line, cadre_id, position_code, other_line, other_start (NULL: find it, overlapOtherSQL),
// other_end (9999-12-31: open).
var overlapSQL = fmt.Sprintf(`WITH f AS MATERIALIZED (
	   SELECT s.line, s.cadre_id, s.position_code, s.start_date, s.end_date, s.post_id
	   FROM {src} s WHERE s.cadre_id IS NOT NULL),
	 u AS (
	   SELECT line, cadre_id, position_code, start_date, end_date FROM f
	   UNION ALL
	   SELECT 0, a.cadre_id, a.position_code, a.start_date, a.end_date FROM assignments a
	   WHERE a.province_code = $1 AND (a.cadre_id, a.position_code) IN (SELECT cadre_id, position_code FROM f)
	   AND NOT EXISTS (SELECT 1 FROM f WHERE f.post_id = a.id)),
	 w AS (
	   SELECT line, cadre_id, position_code, start_date, end_date,
	     max(%s) OVER (PARTITION BY cadre_id, position_code COLLATE "C" ORDER BY start_date - DATE '0001-01-01'
	       RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
	   FROM u),
	 hit AS (
	   SELECT CASE WHEN line > 0 THEN line ELSE %[2]s END AS line, cadre_id, position_code,
	     CASE WHEN line > 0 THEN %[2]s ELSE 0 END AS other,
	     CASE WHEN line > 0 THEN NULL ELSE start_date END AS other_start,
	     CASE WHEN line > 0 THEN %[3]s ELSE coalesce(end_date, DATE '9999-12-31') END AS other_end
	   FROM w WHERE prev IS NOT NULL AND start_date <= %[3]s AND (line > 0 OR %[2]s > 0))
	 SELECT DISTINCT ON (line) line, cadre_id::text, position_code, other, other_start, other_end
	 FROM hit ORDER BY line, other DESC`,
	fmt.Sprintf(endKeyFmt, "end_date", "line"), fmt.Sprintf(endLineFmt, "prev"), fmt.Sprintf(endDayFmt, "prev"))

// overlapOtherSQL finds, for the hits of overlapSQL ({h1}.. as arrays: line, other line, person, post,
// other's last day), the first day of the period each one overlaps and the post's titles. It runs only
// when overlapSQL found something.
const overlapOtherSQL = `SELECT h.line, p.code, p.title_vi, p.title_en, coalesce(f.start_date, a.start_date)
	FROM unnest({h1}::int[], {h2}::int[], {h3}::text[], {h4}::text[], {h5}::date[]) AS h(line, other, cadre_id, position_code, other_end)
	JOIN positions p ON p.code = h.position_code
	LEFT JOIN {src} f ON h.other > 0 AND f.line = h.other
	LEFT JOIN assignments a ON h.other = 0 AND a.province_code = $1 AND a.cadre_id = h.cadre_id::uuid
	  AND a.position_code = h.position_code AND coalesce(a.end_date, DATE '9999-12-31') = h.other_end
	  AND NOT EXISTS (SELECT 1 FROM {src} u WHERE u.post_id = a.id)
	ORDER BY h.line`

// OverlapRule is the error of a post whose period overlaps another period of the same post held by the
// same person, from start to end (nil: in force); line is that period's line in an import's file (0: a
// post in the register).
func OverlapRule(pos Position, start time.Time, end *time.Time, line int) *RuleError {
	title := msg.Text{VI: pos.TitleVI, EN: pos.TitleEN}
	to := msg.Text{VI: "nay", EN: "the present"}
	if end != nil {
		to = msg.Text{VI: end.Format(time.DateOnly), EN: end.Format(time.DateOnly)}
	}
	m := msg.New("post.overlap", title, start.Format(time.DateOnly), to)
	if line > 0 {
		m = msg.New("post.overlap_in_file", title, start.Format(time.DateOnly), to, line)
	}
	return &RuleError{Field: "start_date", Code: "overlap", MessageEN: m.Render(msg.EN), MessageVI: m.Render(msg.VI)}
}

// hamletPostsSQL: at most MaxPaidHamletPosts (3) paid non-professional posts in force in one hamlet or
// residential group on any day (Decree 33/2023/NĐ-CP Art. 33 cl. 6), over the hamlet's posts as the source
// would leave them (the source's, and those held that it does not update). The posts' first days and the
// days after their last are swept in date order, with the posts held before those of the source and the
// source's in line order on the same day: the running sum is the number in force when each post starts.
// A post of the source that starts as the 4th is reported; when a held post starts as the 4th, the
// source's post that is in force then and ends last is reported. Columns: line, hamlet_code, day.
var hamletPostsSQL = fmt.Sprintf(`WITH cand AS MATERIALIZED (
	   SELECT s.line, s.hamlet_code, s.position_code, s.start_date, s.end_date, s.post_id
	   FROM {src} s JOIN positions p ON p.code = s.position_code AND p.paid_hamlet_post
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
	   WHERE starts = 1 AND in_force > %d AND (line > 0 OR %s >= day))
	 SELECT DISTINCT ON (line) line, hamlet_code, day FROM hit ORDER BY line, day`,
	fmt.Sprintf(endKeyFmt, "end_date", "line"), fmt.Sprintf(endLineFmt, "file_key"), MaxPaidHamletPosts,
	fmt.Sprintf(endDayFmt, "file_key"))

// hamletPostsInForceSQL lists, for the hits of hamletPostsSQL ({h1}.. as arrays: line, hamlet, day), the
// hamlet and the other paid posts in force there on that day (held ones the source does not update, and
// the source's other lines), with their holders. It runs only when hamletPostsSQL found something. It
// names at most MaxPaidHamletPosts of them a line, the earliest to start: the posts that fill the hamlet
// (a line is refused as the 4th, so 3 are in force in a register kept by the rule). A file that piles
// thousands of paid posts onto one hamlet made every refused line list every other (2,500 lines: 10 s of
// this statement and messages of 2,500 names each).
var hamletPostsInForceSQL = fmt.Sprintf(`WITH h AS (
	  SELECT * FROM unnest({h1}::int[], {h2}::text[], {h3}::date[]) AS h(line, hamlet_code, day)),
	 posts AS MATERIALIZED (
	  SELECT '' AS id, s.line, s.hamlet_code, s.position_code, s.cadre_id, s.start_date, s.end_date
	  FROM {src} s WHERE s.hamlet_code IN (SELECT hamlet_code FROM h) AND s.cadre_id IS NOT NULL
	  UNION ALL
	  SELECT a.id::text, 0, a.hamlet_code, a.position_code, a.cadre_id, a.start_date, a.end_date FROM assignments a
	  WHERE a.province_code = $1 AND a.hamlet_code IN (SELECT hamlet_code FROM h)
	    AND NOT EXISTS (SELECT 1 FROM {src} u WHERE u.post_id = a.id))
	SELECT h.line, h.day, t.code, t.name, t.effective_from, t.effective_to, x.id, p.code, p.level, p.title_vi, p.title_en,
	  p.elected_default, p.paid_hamlet_post, c.full_name, x.start_date, x.end_date
	FROM h JOIN hamlets t ON t.province_code = $1 AND t.code = h.hamlet_code
	CROSS JOIN LATERAL (
	  SELECT x.* FROM posts x JOIN positions q ON q.code = x.position_code AND q.paid_hamlet_post
	  WHERE x.hamlet_code = h.hamlet_code AND x.line <> h.line AND x.start_date <= h.day AND (x.end_date IS NULL OR x.end_date >= h.day)
	  ORDER BY x.start_date, x.line, x.id LIMIT %d) x
	JOIN positions p ON p.code = x.position_code
	JOIN cadres c ON c.province_code = $1 AND c.id = x.cadre_id
	ORDER BY h.line, x.start_date, x.line, x.id`, MaxPaidHamletPosts)

// HamletPostsRule is the error of a paid post that would be the 4th in force in hamlet on day on: inForce
// are the paid posts in force there that day, with their holders (Decree 33/2023/NĐ-CP Art. 33 cl. 6).
func HamletPostsRule(hamlet UnitRef, on time.Time, inForce []HeldPost) *RuleError {
	var vi, en []string
	for _, h := range inForce {
		period := h.StartDate.Format(time.DateOnly) + "–"
		if h.EndDate != nil {
			period += h.EndDate.Format(time.DateOnly)
		}
		en = append(en, fmt.Sprintf("%s (%s, %s)", h.Position.TitleEN, h.CadreName, period))
		vi = append(vi, fmt.Sprintf("%s (%s, %s)", h.Position.TitleVI, h.CadreName, period))
	}
	m := msg.New("post.hamlet_posts", hamlet.Name, hamlet.Code, len(inForce), on.Format(time.DateOnly),
		msg.Text{VI: strings.Join(vi, "; "), EN: strings.Join(en, "; ")}, MaxPaidHamletPosts)
	return &RuleError{Field: "hamlet_code", Code: "too_many_hamlet_posts", MessageEN: m.Render(msg.EN), MessageVI: m.Render(msg.VI)}
}

// postLifeSQL: a post lies within its unit's life — the commune-level unit it names (commune_from), or
// its hamlet. Columns: line, start_date, end_date, level ('c' or 'h'), the unit's code, name and period.
const postLifeSQL = `
		WITH u AS (
		  SELECT s.line, s.start_date, s.end_date, 'c' AS lvl, c.code, c.name, c.effective_from AS uf, c.effective_to AS ut
		  FROM {src} s JOIN communes c ON c.province_code = $1 AND c.code = s.commune_code
		    AND c.effective_from = s.commune_from
		  WHERE s.commune_code IS NOT NULL
		  UNION ALL
		  SELECT s.line, s.start_date, s.end_date, 'h', h.code, h.name, h.effective_from, h.effective_to
		  FROM {src} s JOIN hamlets h ON h.province_code = $1 AND h.code = s.hamlet_code
		  WHERE s.hamlet_code IS NOT NULL AND s.commune_code IS NULL)
		SELECT line, start_date, end_date, lvl, code, name, uf, ut FROM u
		WHERE start_date < uf OR (ut IS NOT NULL AND (start_date > ut OR end_date IS NULL OR end_date > ut))
		ORDER BY line`

// postLifeRow is a hit of postLifeSQL.
type postLifeRow struct {
	Line             int
	Start            time.Time
	End              *time.Time
	Level, Code, Nam string
	From             time.Time
	To               *time.Time
}

// rule words the hit with UnitLifeRule, on the field of the post's period that leaves the unit's.
func (l postLifeRow) rule() *RuleError {
	field := "end_date"
	if l.Start.Before(l.From) || (l.To != nil && l.Start.After(*l.To)) {
		field = "start_date"
	}
	unitEN, unitVI := "commune-level unit", "đơn vị cấp xã"
	if l.Level == "h" {
		unitEN, unitVI = "hamlet", "thôn, tổ dân phố"
	}
	return UnitLifeRule(field, unitEN+" "+l.Code+" "+l.Nam, unitVI+" "+l.Code+" "+l.Nam, l.Start, l.End, l.From, l.To)
}
