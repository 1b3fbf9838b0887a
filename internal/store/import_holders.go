package store

// postHoldersSQL: no more people hold a post in one unit at once than positions.max_per_unit allows (one
// holder of each of a hamlet's 3 paid posts, Decree 33/2023/NĐ-CP: docs/legal-basis.md §2.2; issue 11
// item 3). It finds the lines of a source of posts
// (post_rules.go: an import's file, or the one post of POST/PATCH …/assignments) that would break it: each
// row against the register (other than the held post it updates) and the earlier lines of the source, on
// the row's first day and on each later start in its period. Only the register's posts of the source's
// units are read.
//
// Only where two periods of one post and unit are ever in force on the same day can a row break the rule
// (every post allows at least one holder). So one sweep first finds those posts and units ("crowded"):
// the periods of the file and the register, their first days (+1) and the days after their last (−1),
// summed in day order with the ends first; a hash of the post and unit partitions it, so it sorts
// integers, not text (two that share a hash are swept together, which can only find more). The exact
// count of holders on each day (days, counted: joins on (post, unit) equality) then runs on the crowded
// ones alone: none in a file that breaks nothing, where it joined and sorted the whole file four times and
// grew faster than the file (issue 10 item 3). Columns: line, post code and titles, max_per_unit, unit
// code, day, the holders in force then (name and period).
const postHoldersSQL = `
	WITH cand AS MATERIALIZED (
	  SELECT s.line, s.position_code, s.hamlet_code, s.commune_code,
	    coalesce('h:' || s.hamlet_code, 'c:' || s.commune_code || '@' || s.commune_from) AS unit_key,
	    s.start_date, s.end_date, s.cadre_id, s.post_id, p.max_per_unit, p.title_vi, p.title_en
	  FROM {src} s JOIN positions p ON p.code = s.position_code AND p.max_per_unit IS NOT NULL
	  WHERE s.cadre_id IS NOT NULL),
	held AS MATERIALIZED (
	  SELECT a.position_code, coalesce('h:' || a.hamlet_code, 'c:' || a.commune_code || '@' || a.commune_from) AS unit_key,
	    a.start_date, a.end_date, a.cadre_id, NULL::int AS line
	  FROM assignments a
	  WHERE a.province_code = $1 AND a.hamlet_code IN (SELECT hamlet_code FROM cand)
	    AND a.position_code IN (SELECT position_code FROM cand) AND NOT EXISTS (SELECT 1 FROM cand WHERE cand.post_id = a.id)
	  UNION ALL
	  SELECT a.position_code, 'c:' || a.commune_code || '@' || a.commune_from, a.start_date, a.end_date, a.cadre_id, NULL
	  FROM assignments a
	  WHERE a.province_code = $1 AND a.commune_code IN (SELECT commune_code FROM cand) AND a.hamlet_code IS NULL
	    AND a.position_code IN (SELECT position_code FROM cand) AND NOT EXISTS (SELECT 1 FROM cand WHERE cand.post_id = a.id)
	  UNION ALL SELECT position_code, unit_key, start_date, end_date, cadre_id, line FROM cand),
	ev AS (
	  SELECT hashtext(position_code || unit_key) AS g, start_date AS day, 1 AS delta FROM held
	  UNION ALL SELECT hashtext(position_code || unit_key), end_date + 1, -1 FROM held WHERE end_date IS NOT NULL),
	crowded AS (
	  SELECT DISTINCT g FROM (SELECT g, sum(delta) OVER (PARTITION BY g ORDER BY day, delta ROWS UNBOUNDED PRECEDING) AS n
	    FROM ev) w WHERE n > 1),
	cc AS MATERIALIZED (SELECT * FROM cand WHERE hashtext(position_code || unit_key) IN (SELECT g FROM crowded)),
	hc AS MATERIALIZED (
	  SELECT x.position_code, x.unit_key, x.start_date, x.end_date, p.full_name, x.line
	  FROM held x JOIN cadres p ON p.province_code = $1 AND p.id = x.cadre_id
	  WHERE hashtext(x.position_code || x.unit_key) IN (SELECT g FROM crowded)),
	days AS (
	  SELECT c.line, c.start_date AS day FROM cc c
	  UNION
	  SELECT c.line, x.start_date FROM cc c JOIN hc x ON x.position_code = c.position_code AND x.unit_key = c.unit_key
	  WHERE x.start_date > c.start_date AND (c.end_date IS NULL OR x.start_date <= c.end_date)),
	counted AS (
	  SELECT d.line, d.day, count(*) AS n,
	    array_agg(x.full_name || ' (' || x.start_date || '..' || coalesce(x.end_date::text, '') || ')' ORDER BY x.start_date) AS names
	  FROM days d JOIN cc c ON c.line = d.line
	  JOIN hc x ON x.position_code = c.position_code AND x.unit_key = c.unit_key
	  WHERE (x.line IS NULL OR x.line < c.line) AND x.start_date <= d.day AND (x.end_date IS NULL OR x.end_date >= d.day)
	  GROUP BY d.line, d.day)
	SELECT DISTINCT ON (c.line) c.line, c.position_code, c.title_vi, c.title_en, c.max_per_unit,
	  coalesce(c.hamlet_code, c.commune_code), k.day, k.names
	FROM cc c JOIN counted k ON k.line = c.line
	WHERE k.n >= c.max_per_unit
	ORDER BY c.line, k.day`
