package store

// hamletPeriodCheck: a hamlet code names one hamlet (the hamlets' key is the code). A row of a hamlets file
// whose period does not overlap the recorded hamlet of its code would be another hamlet — issue 11 item 1:
// "an import row whose period does not overlap an existing unit's period is another unit, never an update
// of it" — and updating would rewrite the recorded hamlet's whole life, so the row is refused on the date
// that misses, naming both periods. A row whose period overlaps is an update, as before.
const hamletPeriodCheck = `WITH p AS (
	  SELECT s.line, s.code, h.name,
	    CASE WHEN s.effective_from > coalesce(h.effective_to, 'infinity') THEN 'effective_from' ELSE 'effective_to' END AS col,
	    to_char(h.effective_from, 'YYYY-MM-DD') AS hf, to_char(h.effective_to, 'YYYY-MM-DD') AS ht,
	    to_char(s.effective_from, 'YYYY-MM-DD') AS sf, to_char(s.effective_to, 'YYYY-MM-DD') AS st
	  FROM import_stage s JOIN hamlets h ON h.province_code = $1 AND h.code = s.code
	  WHERE s.effective_from IS NOT NULL
	    AND NOT daterange(s.effective_from, s.effective_to, '[]') && daterange(h.effective_from, h.effective_to, '[]'))
	SELECT line, col, 'other_hamlet_same_code',
	  'hamlet ' || code || ' ' || name || ' is recorded for ' || hf || '..' || coalesce(ht, '') ||
	    '; this row''s period (' || sf || '..' || coalesce(st, '') || ') does not overlap it, so it would be another hamlet:' ||
	    ' a hamlet code names one hamlet, give the other one its own code',
	  'thôn ' || code || ' ' || name || ' đã có trong sổ ' || CASE WHEN ht IS NULL THEN 'từ ' || hf ELSE hf || ' đến ' || ht END ||
	    '; thời gian của dòng này (' || CASE WHEN st IS NULL THEN 'từ ' || sf ELSE sf || ' đến ' || st END ||
	    ') không giao với thời gian đó nên là một thôn khác: mỗi mã chỉ dùng cho một thôn, hãy đặt mã khác cho thôn kia'
	FROM p`
