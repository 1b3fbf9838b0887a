package store

// assignmentImportSpec upserts assignments by their natural key: the person (by national ID), the post and
// the start date. Set-based checks resolve the person and the unit, and enforce the two rules of the
// records API across the file and the database: no overlapping periods of one post for one person, and at
// most 3 paid hamlet posts in one hamlet at one time (Decree 33/2023 Art. 33 cl. 6).
var assignmentImportSpec = ImportSpec{
	Entity: "assignment",
	Lock:   lockStagedHamlets,
	StageDDL: `line int, national_id text, position_code text, commune_code text, hamlet_code text, start_date date, end_date date,
		concurrent bool, elected bool, term_end date, allowance_override numeric`,
	StageCols: []string{"line", "national_id", "position_code", "commune_code", "hamlet_code", "start_date", "end_date", "concurrent",
		"elected", "term_end", "allowance_override"},
	Checks: []string{
		duplicateCheck("national_id, position_code, start_date", "start_date", "person, post and start date"),
		`SELECT s.line, 'national_id', 'invalid_reference',
			'no person with this national ID in the province: import the people file first',
			'không có người với số định danh này trong tỉnh: hãy nhập tệp nhân sự trước'
		 FROM import_stage s WHERE NOT EXISTS (SELECT 1 FROM cadres c WHERE c.province_code = $1 AND c.national_id = s.national_id)`,
		`SELECT s.line, 'commune_code', 'invalid_reference', 'commune ' || s.commune_code || ' does not exist in the province',
			'xã ' || s.commune_code || ' không có trong tỉnh'
		 FROM import_stage s WHERE s.commune_code IS NOT NULL
		 AND NOT EXISTS (SELECT 1 FROM communes c WHERE c.province_code = $1 AND c.code = s.commune_code)`,
		`SELECT s.line, 'hamlet_code', 'invalid_reference', 'hamlet ' || s.hamlet_code || ' does not exist in the province',
			'thôn ' || s.hamlet_code || ' không có trong tỉnh'
		 FROM import_stage s WHERE s.hamlet_code IS NOT NULL
		 AND NOT EXISTS (SELECT 1 FROM hamlets h WHERE h.province_code = $1 AND h.code = s.hamlet_code)`,
		`SELECT s.line, 'start_date', 'overlap', 'this person already holds this post over an overlapping period',
			'người này đã giữ chức danh này trong khoảng thời gian chồng lấn'
		 FROM import_stage s JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
		 WHERE EXISTS (SELECT 1 FROM assignments a WHERE a.province_code = $1 AND a.cadre_id = c.id AND a.position_code = s.position_code
		     AND a.start_date <> s.start_date AND daterange(a.start_date, a.end_date, '[]') && daterange(s.start_date, s.end_date, '[]'))
		 OR EXISTS (SELECT 1 FROM import_stage s2 WHERE s2.line < s.line AND s2.national_id = s.national_id
		     AND s2.position_code = s.position_code AND s2.start_date <> s.start_date
		     AND daterange(s2.start_date, s2.end_date, '[]') && daterange(s.start_date, s.end_date, '[]'))`,
		`WITH cand AS (
		   SELECT s.line, s.hamlet_code, s.position_code, s.start_date, s.end_date, c.id AS cadre_id
		   FROM import_stage s JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id
		   JOIN positions p ON p.code = s.position_code AND p.paid_hamlet_post WHERE s.hamlet_code IS NOT NULL),
		 held AS (
		   SELECT a.hamlet_code, a.start_date, a.end_date, NULL::int AS line FROM assignments a
		   JOIN positions p ON p.code = a.position_code AND p.paid_hamlet_post
		   WHERE a.province_code = $1 AND a.hamlet_code IN (SELECT hamlet_code FROM cand)
		   AND NOT EXISTS (SELECT 1 FROM cand WHERE cand.cadre_id = a.cadre_id AND cand.position_code = a.position_code
		       AND cand.start_date = a.start_date)
		   UNION ALL SELECT hamlet_code, start_date, end_date, line FROM cand)
		 SELECT c.line, 'hamlet_code', 'too_many_hamlet_posts',
			'hamlet ' || c.hamlet_code || ' would have more than 3 paid posts at once (Decree 33/2023 Art. 33)',
			'thôn ' || c.hamlet_code || ' sẽ có quá 3 chức danh hưởng phụ cấp cùng lúc (Nghị định 33/2023 Điều 33)'
		 FROM cand c WHERE (SELECT count(*) FROM held x WHERE x.hamlet_code = c.hamlet_code
		     AND (x.line IS NULL OR x.line < c.line)
		     AND daterange(x.start_date, x.end_date, '[]') && daterange(c.start_date, c.end_date, '[]')) >= 3`,
	},
	Upsert: []string{`INSERT INTO assignments AS t (province_code, cadre_id, position_code, commune_code, hamlet_code, start_date, end_date,
			concurrent, elected, term_end, allowance_override)
		SELECT $1, c.id, s.position_code, s.commune_code, s.hamlet_code, s.start_date, s.end_date, s.concurrent, s.elected, s.term_end,
			s.allowance_override
		FROM import_stage s JOIN cadres c ON c.province_code = $1 AND c.national_id = s.national_id ORDER BY s.line
		ON CONFLICT ON CONSTRAINT assignments_natural_key DO UPDATE SET commune_code = EXCLUDED.commune_code,
			hamlet_code = EXCLUDED.hamlet_code, end_date = EXCLUDED.end_date, concurrent = EXCLUDED.concurrent,
			elected = EXCLUDED.elected, term_end = EXCLUDED.term_end, allowance_override = EXCLUDED.allowance_override,
			version = t.version + 1, updated_at = now()
		WHERE (t.commune_code, t.hamlet_code, t.end_date, t.concurrent, t.elected, t.term_end, t.allowance_override)
			IS DISTINCT FROM (EXCLUDED.commune_code, EXCLUDED.hamlet_code, EXCLUDED.end_date, EXCLUDED.concurrent, EXCLUDED.elected,
			EXCLUDED.term_end, EXCLUDED.allowance_override)
		RETURNING (xmax = 0)`},
}
