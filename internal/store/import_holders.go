package store

import "fmt"

// postHoldersSQL: no more people hold a post in one unit at once than positions.max_per_unit allows (one
// holder of each of a hamlet's 3 paid posts, Decree 33/2023/NĐ-CP: docs/legal-basis.md §2.2; issue 11
// item 3). It finds the lines of a source of posts
// (post_rules.go: an import's file, or the one post of POST/PATCH …/assignments) that would break it. Only
// the register's posts of the source's posts and units are read, less the held posts the source updates.
//
// A line breaks the rule when, on its first day or on a later start within its period, the periods in
// force that come before it — the register's, and the source's earlier lines, as if the lines were written
// one after another through the records API — already fill the post. It is reported on the first such day,
// naming those holders.
//
// Cost (issue 10 item 3): first one sweep per post and unit (a sort of the periods, O(n log n)): the first
// days (+1) and the days after the last (−1) in day order, the ends of a day first, then the register's
// starts, then the source's in line order; the running sum is the number in force as each period starts.
// Only a post and unit where it ever exceeds the post's maximum ("hot") can hold a line that breaks the
// rule: none in a file that breaks nothing. On a hot post and unit of at most exactGroup periods, each line
// is then checked exactly as above: the pairs of it and an earlier period that overlaps it, swept per line
// (at most exactGroup² pairs a post and unit, so the whole stays linear in the file). A hot post and unit
// of more periods (a file that piles hundreds of holders onto one post: the earlier exact count over every
// day of every line grew as the cube of such a file, 2,500 lines took 158 s and 49 GB of temporary files)
// is judged by the sweep alone: a period of the source that starts as one more than the post allows is
// reported, naming the holder in force who stays longest; when a held period starts as one too many, the
// source's period in force that ends last is reported, naming the held one. The same lines are refused
// either way only in part — the file is refused either way, and each line named does break the rule
// given the others.
//
// A period is keyed k: its line (the source's) or 2^31 + its rank (the register's), packed into the end key
// (endKeyFmt) so that the holder named by the sweep is found again.
//
// Columns: line, post code and titles, max_per_unit, unit code, day, the holders named (name and period).
var postHoldersSQL = fmt.Sprintf(`
	WITH cand AS MATERIALIZED (
	  SELECT s.line, s.position_code, s.hamlet_code, s.commune_code,
	    coalesce('h:' || s.hamlet_code, 'c:' || s.commune_code || '@' || s.commune_from) AS unit_key,
	    s.start_date, s.end_date, s.cadre_id, s.post_id, p.max_per_unit, p.title_vi, p.title_en
	  FROM {src} s JOIN positions p ON p.code = s.position_code AND p.max_per_unit IS NOT NULL
	  WHERE s.cadre_id IS NOT NULL),
	reg AS (
	  SELECT a.position_code, coalesce('h:' || a.hamlet_code, 'c:' || a.commune_code || '@' || a.commune_from) AS unit_key,
	    a.start_date, a.end_date, a.cadre_id
	  FROM assignments a
	  WHERE a.province_code = $1 AND a.hamlet_code IN (SELECT hamlet_code FROM cand)
	    AND a.position_code IN (SELECT position_code FROM cand) AND NOT EXISTS (SELECT 1 FROM cand WHERE cand.post_id = a.id)
	  UNION ALL
	  SELECT a.position_code, 'c:' || a.commune_code || '@' || a.commune_from, a.start_date, a.end_date, a.cadre_id
	  FROM assignments a
	  WHERE a.province_code = $1 AND a.commune_code IN (SELECT commune_code FROM cand) AND a.hamlet_code IS NULL
	    AND a.position_code IN (SELECT position_code FROM cand) AND NOT EXISTS (SELECT 1 FROM cand WHERE cand.post_id = a.id)),
	held AS MATERIALIZED (
	  SELECT 2147483648 + row_number() OVER () AS k, position_code, unit_key, start_date, end_date, cadre_id FROM reg
	  UNION ALL SELECT line, position_code, unit_key, start_date, end_date, cadre_id FROM cand),
	ev AS (
	  SELECT position_code, unit_key, start_date AS day, 1 AS starts, k, %[1]s AS key FROM held
	  UNION ALL SELECT position_code, unit_key, end_date + 1, 0, 0, NULL FROM held WHERE end_date IS NOT NULL),
	sweep AS MATERIALIZED (
	  SELECT e.position_code, e.unit_key, e.day, e.starts, e.k, p.max_per_unit AS m,
	    sum(CASE WHEN e.starts = 1 THEN 1 ELSE -1 END) OVER (w ROWS UNBOUNDED PRECEDING) AS in_force,
	    max(e.key) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_key,
	    max(CASE WHEN e.k < 2147483648 THEN e.key END) OVER (w ROWS UNBOUNDED PRECEDING) AS file_key,
	    count(*) FILTER (WHERE e.starts = 1) OVER (PARTITION BY e.position_code COLLATE "C", e.unit_key COLLATE "C") AS periods
	  FROM ev e JOIN positions p ON p.code = e.position_code
	  WINDOW w AS (PARTITION BY e.position_code COLLATE "C", e.unit_key COLLATE "C" ORDER BY e.day, e.starts, e.k < 2147483648, e.k)),
	hot AS (
	  SELECT position_code, unit_key, min(periods) AS periods FROM sweep WHERE starts = 1 AND in_force > m
	  GROUP BY position_code, unit_key),
	-- hot posts and units of more than exactGroup periods: the sweep's own verdict
	big AS (
	  SELECT DISTINCT ON (line) line, day, other FROM (
	    SELECT s.day, CASE WHEN s.k < 2147483648 THEN s.k ELSE s.file_key & 4294967295 END AS line,
	      CASE WHEN s.k < 2147483648 THEN s.before_key & 4294967295 ELSE s.k END AS other
	    FROM sweep s WHERE s.periods > %[4]d AND s.starts = 1 AND s.in_force > s.m
	      AND (s.k < 2147483648 OR (s.file_key IS NOT NULL AND %[2]s >= s.day))) x
	  ORDER BY line, day),
	-- hot posts and units of at most exactGroup periods: each line against the earlier periods it overlaps
	hc AS MATERIALIZED (
	  SELECT h.* FROM held h JOIN hot USING (position_code, unit_key) WHERE hot.periods <= %[4]d),
	pairs AS MATERIALIZED (
	  SELECT c.k AS line, x.k AS other, greatest(x.start_date, c.start_date) AS d_from, x.end_date AS d_to
	  FROM hc c JOIN hc x ON x.position_code = c.position_code AND x.unit_key = c.unit_key
	  WHERE c.k < 2147483648 AND (x.k >= 2147483648 OR x.k < c.k)
	    AND (c.end_date IS NULL OR x.start_date <= c.end_date) AND (x.end_date IS NULL OR x.end_date >= c.start_date)),
	per_line AS (
	  SELECT line, day, delta, sum(delta) OVER (PARTITION BY line ORDER BY day, delta ROWS UNBOUNDED PRECEDING) AS n FROM (
	    SELECT line, d_from AS day, 1 AS delta FROM pairs UNION ALL SELECT line, d_to + 1, -1 FROM pairs WHERE d_to IS NOT NULL) e),
	exact AS (
	  SELECT DISTINCT ON (l.line) l.line, l.day FROM per_line l JOIN cand c ON c.line = l.line
	  WHERE l.delta = 1 AND l.n >= c.max_per_unit ORDER BY l.line, l.day),
	named AS (
	  SELECT e.line, e.day, array_agg(%[3]s ORDER BY h.start_date, h.k) AS names
	  FROM exact e JOIN pairs p ON p.line = e.line AND p.d_from <= e.day AND (p.d_to IS NULL OR p.d_to >= e.day)
	  JOIN held h ON h.k = p.other JOIN cadres hn ON hn.province_code = $1 AND hn.id = h.cadre_id
	  GROUP BY e.line, e.day
	  UNION ALL
	  SELECT b.line, b.day, ARRAY[%[3]s]
	  FROM big b JOIN held h ON h.k = b.other JOIN cadres hn ON hn.province_code = $1 AND hn.id = h.cadre_id)
	SELECT c.line, c.position_code, c.title_vi, c.title_en, c.max_per_unit, coalesce(c.hamlet_code, c.commune_code), n.day, n.names
	FROM named n JOIN cand c ON c.line = n.line
	ORDER BY c.line`,
	fmt.Sprintf(endKeyFmt, "end_date", "k"), fmt.Sprintf(endDayFmt, "s.file_key"),
	`hn.full_name || ' (' || h.start_date || '..' || coalesce(h.end_date::text, '') || ')'`, exactGroup)

// exactGroup is the most periods of one post in one unit that postHoldersSQL checks line by line against
// every earlier period (exactGroup² pairs at most); a hot post and unit of more is judged by the sweep.
const exactGroup = 64
