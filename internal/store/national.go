package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/policy"
)

// HamletInputs is one distinct combination of the Decree 33 inputs of hamlets in force on a date (the
// commune's flags folded in); the rules engine classifies each combination once.
type HamletInputs struct {
	Kind              string
	Households        int
	KeySecurityOrder  bool
	BorderOrIsland    bool
	ConvertedFromThon bool
}

// ClassifiedHamletInputs is a combination with the fund category the rules engine gave it.
type ClassifiedHamletInputs struct {
	HamletInputs
	Category string
}

// NationalProvince is a province's name.
type NationalProvince struct {
	Code, Name string
	// HasSchedule: the province has an allowance schedule (its HĐND resolution) in force on the date;
	// without one nothing is paid, and fund − paid would be the whole fund, not a difference.
	HasSchedule bool
}

// NationalCount is one group of a national aggregate: its province, up to two keys, a count and an amount.
type NationalCount struct {
	Province string
	Key1     string
	Key2     string
	Count    int64
	People   int64
	Amount   decimal.Decimal
}

// NationalData is what the national summary aggregates in SQL: communes by kind and class, hamlets by kind
// and fund category, posts by level and position (people, posts, paid; Key2 "" = the level's total) and
// current decisions by policy.
type NationalData struct {
	Provinces []NationalProvince
	Communes  []NationalCount
	Hamlets   []NationalCount
	Posts     []NationalCount
	Decisions []NationalCount
	// Sized lists the communes in force that carry population or area, for the Decree 33/2023 increments
	// (computed per commune, as the province report does).
	Sized []NationalSizedCommune
}

// NationalSizedCommune is a commune with the increment inputs, and its province.
type NationalSizedCommune struct {
	Province string
	ReportCommune
}

// NationalHamletInputs returns the distinct Decree 33 input combinations of the hamlets in force on asOf
// across every province the principal may read.
func (s *Store) NationalHamletInputs(ctx context.Context, p Principal, asOf time.Time) ([]HamletInputs, error) {
	var out []HamletInputs
	err := s.heavyRead(ctx, p, "", func(tx *Tx) error {
		if err := planEachTime(ctx, tx); err != nil {
			return err
		}
		hamletsAt, err := nationalHamletsFrom(ctx, tx, asOf)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT DISTINCT h.kind, h.households, h.key_security_order OR c.key_security_order,
			coalesce(h.border_or_island, c.border OR c.island), h.converted_from_thon
			FROM `+hamletsAt+``, asOf)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (HamletInputs, error) {
			var h HamletInputs
			err := r.Scan(&h.Kind, &h.Households, &h.KeySecurityOrder, &h.BorderOrIsland, &h.ConvertedFromThon)
			return h, err
		})
		return err
	})
	return out, err
}

// nationalHamletsCTE classifies every hamlet in force on $1 whose commune is in force too (the hamlets
// the province report lists) by joining it to the classified input combinations passed as parallel
// arrays $2..$7. The hamlets are joined to their communes first (hin, a hash join of two scans) and only
// then to the combinations: joined the other way round, a plan that misjudges unnest's rows (a generic
// plan takes it for 10) looks each of ~300,000 partial matches up in the communes' exclusion index, one by
// one (15–20 s at national scale instead of about half a second). All three are MATERIALIZED for the
// same reason: inlined, the planner re-evaluates the hamlet join inside a nested loop over the
// assignments.
func nationalHamletsCTE(hamletsAt string) string {
	return `cat AS MATERIALIZED (
	  SELECT * FROM unnest($2::text[], $3::int[], $4::bool[], $5::bool[], $6::bool[], $7::text[])
	    AS t(kind, households, key_security_order, border_or_island, converted_from_thon, category)),
	hin AS MATERIALIZED (
	  SELECT h.province_code, h.code, h.kind, h.households, h.key_security_order OR c.key_security_order AS key_security_order,
	    coalesce(h.border_or_island, c.border OR c.island) AS border_or_island, h.converted_from_thon
	  FROM ` + hamletsAt + `),
	hc AS MATERIALIZED (
	  SELECT hin.province_code, hin.code, hin.kind, cat.category
	  FROM hin JOIN cat USING (kind, households, key_security_order, border_or_island, converted_from_thon))`
}

// nationalHamletsAt is the hamlets in force on $1 whose commune unit is in force too, each as h and its
// commune as c with the households and flags in force on $1 (hamlets_at, communes_at: the dated versions
// where one covers $1, else the row).
const nationalHamletsAt = `hamlets_at($1) h
	  JOIN communes_at($1) c ON c.province_code = h.province_code AND c.code = h.commune_code AND c.effective_from = h.commune_from`

// nationalHamletsPlain is nationalHamletsAt when no dated version covers $1: the rows themselves (the
// overlay would change nothing), read as before history existed, so that a summary of a date without
// history costs what it did.
const nationalHamletsPlain = `hamlets h
	  JOIN communes c ON c.province_code = h.province_code AND c.code = h.commune_code AND c.effective_from = h.commune_from
	  AND h.effective_from <= $1 AND (h.effective_to IS NULL OR h.effective_to >= $1)
	  AND c.effective_from <= $1 AND (c.effective_to IS NULL OR c.effective_to >= $1)`

// nationalHamletsFrom picks nationalHamletsAt when some dated version (visible to the principal) covers
// asOf, else nationalHamletsPlain: the same rows either way.
func nationalHamletsFrom(ctx context.Context, tx *Tx, asOf time.Time) (string, error) {
	var covered bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hamlet_history WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1))
		OR EXISTS (SELECT 1 FROM commune_history WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1))`, asOf).Scan(&covered)
	if err != nil || !covered {
		return nationalHamletsPlain, err
	}
	return nationalHamletsAt, nil
}

// NationalSummary aggregates the register as of asOf in one transaction of set-based queries, with the
// province report's rules (buildReport, scheduleInForce), so that each province's figures equal GET
// provinces/{p}/allowances on the same date: the schedule is the whole version in force (never rows of
// an older version left open), and a post counts only when its unit — a commune in force, or a hamlet in
// force whose commune is in force — is in force on the date. base is the base salary in force and
// concurrentRate the share of a concurrent post's allowance paid (both from the rules engine), so that
// the paid amounts equal the province report's.
func (s *Store) NationalSummary(ctx context.Context, p Principal, asOf time.Time, combos []ClassifiedHamletInputs,
	base, concurrentRate decimal.Decimal) (NationalData, error) {
	var d NationalData
	err := s.heavyRead(ctx, p, "", func(tx *Tx) error {
		if err := planEachTime(ctx, tx); err != nil {
			return err
		}
		if err := nationalProvinces(ctx, tx, asOf, &d); err != nil {
			return err
		}
		if err := nationalCommunes(ctx, tx, asOf, &d); err != nil {
			return err
		}
		if err := nationalHamletsAndPosts(ctx, tx, asOf, combos, base, concurrentRate, &d); err != nil {
			return err
		}
		var err error
		d.Decisions, err = nationalCounts(ctx, tx, `SELECT province_code, policy, '', count(*), count(DISTINCT cadre_id), sum(total)::text
			FROM decisions WHERE superseded_by IS NULL AND created_at < ($1::date + 1)
			GROUP BY 1, 2 ORDER BY 1, 2`, asOf)
		return err
	})
	return d, err
}

// nationalProvinces reads every province's name and whether it has a schedule in force on asOf.
func nationalProvinces(ctx context.Context, tx *Tx, asOf time.Time, d *NationalData) error {
	rows, err := tx.Query(ctx, `SELECT province_code, name, EXISTS (SELECT 1 FROM allowance_schedules s
		WHERE s.province_code = provinces.province_code AND s.effective_from <= $1
		AND (s.effective_to IS NULL OR s.effective_to >= $1)) FROM provinces ORDER BY province_code`, asOf)
	if err != nil {
		return err
	}
	d.Provinces, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (NationalProvince, error) {
		var np NationalProvince
		err := r.Scan(&np.Code, &np.Name, &np.HasSchedule)
		return np, err
	})
	return err
}

// nationalCommunes counts the communes in force on asOf by kind and class and lists those that carry
// population or area (the Decree 33/2023 increments).
func nationalCommunes(ctx context.Context, tx *Tx, asOf time.Time, d *NationalData) error {
	var err error
	if d.Communes, err = nationalCounts(ctx, tx, `SELECT province_code, kind, class::text, count(*), 0, 0::text
		FROM communes_at($1) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, asOf); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT province_code, code, kind, class, population, area_km2::text, mountainous, ward_of_urban_district
		FROM communes_at($1) WHERE population IS NOT NULL OR area_km2 IS NOT NULL ORDER BY 1, 2`, asOf)
	if err != nil {
		return err
	}
	d.Sized, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (NationalSizedCommune, error) {
		var c NationalSizedCommune
		var area *string
		err := r.Scan(&c.Province, &c.Code, &c.Kind, &c.Class, &c.Population, &area, &c.Mountainous, &c.WardOfUrbanDistrict)
		if err == nil && area != nil {
			a, derr := decimal.NewFromString(*area)
			if derr != nil {
				return c, derr
			}
			c.AreaKm2 = &a
		}
		return c, err
	})
	return err
}

// nationalPostsSQL counts hamlets by kind and fund category (rows tagged 'h') and posts by level and
// position (tagged 'p') in one statement, so that the classified hamlets (hc) are built once for both.
var nationalPostsSQL = `,
	cf AS MATERIALIZED (
	  SELECT c.province_code, c.code, c.effective_from FROM communes c
	  JOIN provinces pr ON pr.province_code = c.province_code
	  WHERE c.effective_from <= $1 AND (c.effective_to IS NULL OR c.effective_to >= $1)
	    AND $1 <= CASE WHEN pr.commune_posts_end IS NULL THEN $10::date ELSE least(pr.commune_posts_end, $11::date) END),
	sched AS (
	  SELECT s.province_code, s.position_code, s.hamlet_fund_category, s.coefficient
	  FROM allowance_schedules s
	  JOIN (SELECT province_code, max(effective_from) AS effective_from FROM allowance_schedules
	        WHERE effective_from <= $1 AND (effective_to IS NULL OR effective_to >= $1) GROUP BY 1) v
	    ON v.province_code = s.province_code AND v.effective_from = s.effective_from),
	-- outp: the people not working on $1 (left or retired), read once and hashed (NOT IN over non-null
	-- keys): a correlated NOT EXISTS per post nested-looped over the status periods (demo: 12 → 390 ms).
	outp AS MATERIALIZED (
	  SELECT so.province_code, so.cadre_id FROM cadre_status_history so
	  WHERE so.status <> 'active' AND so.valid_from <= $1 AND (so.valid_to IS NULL OR so.valid_to >= $1)),
	posts AS (
	  SELECT a.province_code, a.cadre_id, p.level, a.position_code,
	    coalesce(a.allowance_override,
	      round(coalesce(s1.coefficient, s2.coefficient, 0) * $8::numeric
	        * CASE WHEN a.concurrent THEN $9::numeric ELSE 1 END)) AS paid
	  FROM assignments a
	  JOIN positions p ON p.code = a.position_code
	  LEFT JOIN hc ON hc.province_code = a.province_code AND hc.code = a.hamlet_code
	  LEFT JOIN cf ON cf.province_code = a.province_code AND cf.code = a.commune_code AND cf.effective_from = a.commune_from
	  LEFT JOIN sched s1 ON s1.province_code = a.province_code AND s1.position_code = a.position_code
	    AND s1.hamlet_fund_category = hc.category
	  LEFT JOIN sched s2 ON s2.province_code = a.province_code AND s2.position_code = a.position_code
	    AND s2.hamlet_fund_category = ''
	  WHERE a.start_date <= $1 AND (a.end_date IS NULL OR a.end_date >= $1)
	    AND (hc.code IS NOT NULL OR cf.code IS NOT NULL)
	    AND (a.province_code, a.cadre_id) NOT IN (SELECT province_code, cadre_id FROM outp))
	SELECT 'h', province_code, kind, category, count(*), 0, '0' FROM hc GROUP BY 2, 3, 4
	UNION ALL
	SELECT 'p', province_code, level, coalesce(position_code, ''), count(*), count(DISTINCT cadre_id), sum(paid)::text
	FROM posts GROUP BY GROUPING SETS ((province_code, level, position_code), (province_code, level))
	ORDER BY 1, 2, 3, 4`

// nationalHamletsAndPosts fills d.Hamlets and d.Posts (nationalPostsSQL). Commune-level posts count
// until the legal end of those posts, or the province's own end of the transition
// (policy.CommunePostsLastDay), as the province report does.
func nationalHamletsAndPosts(ctx context.Context, tx *Tx, asOf time.Time, combos []ClassifiedHamletInputs,
	base, concurrentRate decimal.Decimal, d *NationalData) error {
	n := len(combos)
	kinds, households, keys, borders, convs, cats := make([]string, n), make([]int32, n), make([]bool, n), make([]bool, n),
		make([]bool, n), make([]string, n)
	for i, c := range combos {
		kinds[i], households[i], keys[i], borders[i], convs[i], cats[i] = c.Kind, int32(c.Households), c.KeySecurityOrder,
			c.BorderOrIsland, c.ConvertedFromThon, c.Category
	}
	hamletsAt, err := nationalHamletsFrom(ctx, tx, asOf)
	if err != nil {
		return err
	}
	postsEnd := policy.CommunePostsLastDay(nil)
	rows, err := tx.Query(ctx, `WITH `+nationalHamletsCTE(hamletsAt)+nationalPostsSQL, asOf, kinds, households, keys, borders,
		convs, cats, base.String(), concurrentRate.String(), postsEnd.LastDay.String(), policy.CommunePostsTransitionLimit().String())
	if err != nil {
		return err
	}
	defer rows.Close()
	d.Hamlets, d.Posts = []NationalCount{}, []NationalCount{}
	for rows.Next() {
		var tag string
		c, err := scanNationalCount(rows, &tag)
		if err != nil {
			return err
		}
		if tag == "h" {
			d.Hamlets = append(d.Hamlets, c)
		} else {
			d.Posts = append(d.Posts, c)
		}
	}
	return rows.Err()
}

// planEachTime makes the rest of tx plan each statement for its own arguments (a custom plan), never with
// the generic plan PostgreSQL switches a prepared statement to after five executions. pgx prepares every
// statement on its connection, so from the sixth summary on a connection the generic plan was used: it
// cannot see the as-of date or the size of the classified combinations and chose nested loops into
// the communes' exclusion index (10 s of database CPU per summary instead of 1.5 s). Planning these few
// statements takes milliseconds; they scan the whole register.
func planEachTime(ctx context.Context, tx *Tx) error {
	_, err := tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`)
	return err
}

func nationalCounts(ctx context.Context, tx *Tx, sql string, args ...any) ([]NationalCount, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (NationalCount, error) { return scanNationalCount(r) })
}

// scanNationalCount scans a row of province, two keys, count, people and amount (text), after lead.
func scanNationalCount(r pgx.Row, lead ...any) (NationalCount, error) {
	var c NationalCount
	var amount string
	if err := r.Scan(append(lead, &c.Province, &c.Key1, &c.Key2, &c.Count, &c.People, &amount)...); err != nil {
		return c, err
	}
	v, err := decimal.NewFromString(amount)
	c.Amount = v
	return c, err
}
