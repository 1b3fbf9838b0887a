package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// ReportCommune is a commune as the allowance report needs it.
type ReportCommune struct {
	Code             string
	Name             string
	Kind             string
	Class            int
	KeySecurityOrder bool
	Border           bool
	Island           bool
	InForce          bool // in force on the report's date (AllowanceData only; a unit scope reads the unit whatever its dates)
	// The Decree 33/2023 increment inputs (AllowanceData only): population and area against the
	// administrative-unit standard the two flags pick.
	Population          *int
	AreaKm2             *decimal.Decimal
	Mountainous         bool
	WardOfUrbanDistrict bool
	EffectiveFrom       time.Time
}

// ReportHamlet is a hamlet as the allowance report needs it; BorderOrIsland nil means "as the commune".
type ReportHamlet struct {
	Code              string
	CommuneCode       string
	Name              string
	Kind              string
	Households        int
	KeySecurityOrder  bool
	BorderOrIsland    *bool
	ConvertedFromThon bool
	InForce           bool // in force on the report's date (AllowanceData only)
	CommuneFrom       time.Time
}

// ScheduleEntry is one row of the province's allowance schedule in force on a date.
type ScheduleEntry struct {
	PositionCode       string
	HamletFundCategory string
	Coefficient        decimal.Decimal
	Resolution         string
	EffectiveFrom      time.Time
}

// PostHeld is one assignment in force on a date, with its person and post.
type PostHeld struct {
	AssignmentID      string
	CadreID           string
	FullName          string
	PositionCode      string
	Level             string
	TitleVI           string
	TitleEN           string
	CommuneCode       *string
	HamletCode        *string
	Concurrent        bool
	Elected           bool
	StartDate         time.Time
	EndDate           *time.Time
	TermEnd           *time.Time
	AllowanceOverride *decimal.Decimal
	// UnitInForce: the post's own unit is in force on the date (read by AllowanceData only).
	UnitInForce bool
	// PersonOut: the person's status on the date when it is not active (left or retired since From; read by
	// AllowanceData only), nil while they work: the report does not pay a person who was not working.
	PersonOut *StatusPeriod
}

// AllowanceData is everything the allowance report of one province (or one unit) reads, as of a date.
type AllowanceData struct {
	Communes []ReportCommune
	Hamlets  []ReportHamlet
	Schedule []ScheduleEntry
	Posts    []PostHeld
	// Left lists the people who left under an approved decision from the first day of asOf's month to asOf:
	// their posts ended the day before, so the report no longer pays them (issue 12).
	Left []LeftUnderDecision
	// CommunePostsEnd is the province's own last day of its commune-level posts (nil: the legal end).
	CommunePostsEnd *time.Time
}

// UnitScope narrows AllowanceData to one commune (with its hamlets) or one hamlet; empty = the province.
type UnitScope struct {
	CommuneCode string
	HamletCode  string
}

const activeOn = `effective_from <= $2 AND (effective_to IS NULL OR effective_to >= $2)`

// AllowanceData reads, in one transaction and four set-based queries, the units in force on asOf, the
// schedule in force on asOf and the posts filled on asOf. With a unit scope the unit is read whatever its
// dates (ErrNotFound when it does not exist), so that a report for a closed unit says so rather than 404.
func (s *Store) AllowanceData(ctx context.Context, p Principal, province string, asOf time.Time, u UnitScope) (AllowanceData, error) {
	var d AllowanceData
	read := func(tx *Tx) error {
		var err error
		d, err = allowanceData(ctx, tx, province, asOf, u)
		return err
	}
	if u == (UnitScope{}) { // the whole province: heavy work (heavy.go); one unit is not
		return d, s.heavyRead(ctx, p, province, read)
	}
	return d, s.InReadTx(ctx, p, read)
}

func allowanceData(ctx context.Context, tx *Tx, province string, asOf time.Time, u UnitScope) (AllowanceData, error) {
	var d AllowanceData
	sc, err := allowanceScope(ctx, tx, province, asOf, u)
	if err != nil {
		return d, err
	}
	if d.Communes, err = reportCommunes(ctx, tx, sc); err != nil {
		return d, err
	}
	if d.Hamlets, err = reportHamlets(ctx, tx, sc); err != nil {
		return d, err
	}
	if (u.CommuneCode != "" && len(d.Communes) == 0) || (u.HamletCode != "" && len(d.Hamlets) == 0) {
		return d, ErrNotFound
	}
	if d.Schedule, err = scheduleInForce(ctx, tx, province, asOf); err != nil {
		return d, err
	}
	if err = tx.QueryRow(ctx, `SELECT commune_posts_end FROM provinces WHERE province_code = $1`, province).Scan(&d.CommunePostsEnd); err != nil {
		return d, translate(err)
	}
	var froms []*time.Time
	if d.Posts, froms, err = reportPosts(ctx, tx, sc); err != nil {
		return d, err
	}
	unitsInForce(&d, froms)
	monthStart := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC)
	d.Left, err = leftUnderDecision(ctx, tx, province, monthStart, asOf, u)
	return d, err
}

// reportScope is what the report's queries select: $1 the province, $2 the date, and for a unit scope $3
// its code (and $4 a commune unit's first day), with the conditions on communes (c), hamlets (h) and
// posts (a).
type reportScope struct {
	communeWhere, hamletWhere, postWhere string
	args                                 []any
}

// allowanceScope builds the report's scope: the units in force on asOf, or with a unit scope the unit
// whatever its dates — for a commune code the unit of that code in force on asOf, else the latest,
// resolved once here (resolve_commune_from) rather than once per row of each query.
func allowanceScope(ctx context.Context, tx *Tx, province string, asOf time.Time, u UnitScope) (reportScope, error) {
	sc := reportScope{communeWhere: "c." + activeOnC, hamletWhere: "h." + activeOnH, args: []any{province, asOf}}
	switch {
	case u.HamletCode != "":
		sc.args = append(sc.args, u.HamletCode)
		sc.hamletWhere = "h.code = $3"
		sc.communeWhere = "(c.code, c.effective_from) = (SELECT " + hamletCommuneOn + hamletWithVersionOn + " AND h.code = $3)"
		sc.postWhere = " AND a.hamlet_code = $3"
	case u.CommuneCode != "":
		var from *time.Time
		if err := tx.QueryRow(ctx, `SELECT resolve_commune_from($1, $2, $3)`, province, u.CommuneCode, asOf).Scan(&from); err != nil {
			return sc, err
		}
		if from == nil {
			return sc, ErrNotFound
		}
		var hamlets []string // the commune's hamlets on the date, read once
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(code), '{}') FROM (`+hamletsOfCommuneOn+`) s`,
			province, asOf, u.CommuneCode, *from).Scan(&hamlets); err != nil {
			return sc, err
		}
		sc.args = append(sc.args, u.CommuneCode, *from, hamlets)
		// The three statements share one argument list, so each names all of it (constant conditions).
		sc.communeWhere = "c.code = $3 AND c.effective_from = $4 AND $5::text[] IS NOT NULL"
		sc.hamletWhere = "h.code = ANY($5) AND ($3::text, $4::date) IS NOT NULL AND h." + activeOnH
		sc.postWhere = ` AND ((a.commune_code = $3 AND a.commune_from = $4) OR a.hamlet_code = ANY($5))`
	}
	return sc, nil
}

// hamletWithVersionOn reads the province's hamlets h with the version v of hamlet_history in force on $2
// (if any); hamletCommuneOn is the commune unit (code, first day) a hamlet belonged to on $2: a commune
// reorganisation moves hamlets from its date, and reports of earlier dates keep them under the old unit.
const (
	hamletWithVersionOn = ` FROM hamlets h LEFT JOIN hamlet_history v ON v.province_code = h.province_code AND v.hamlet_code = h.code
		  AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to >= $2)
		WHERE h.province_code = $1`
	hamletCommuneOn = `coalesce(v.commune_code, h.commune_code), coalesce(v.commune_from, h.commune_from)`
	// hamletsOfCommuneOn: the codes of the hamlets of commune unit ($3, $4) on $2 — those whose row names it
	// (unless a version in force then names another), and those whose version in force then names it.
	// Two keyed reads (hamlets_commune_idx, hamlet_history_commune_idx), once per report.
	hamletsOfCommuneOn = `SELECT h.code FROM hamlets h LEFT JOIN hamlet_history v ON v.province_code = h.province_code
		  AND v.hamlet_code = h.code AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to >= $2)
		WHERE h.province_code = $1 AND h.commune_code = $3 AND h.commune_from = $4
		  AND (v.hamlet_code IS NULL OR (v.commune_code = $3 AND v.commune_from = $4))
		UNION SELECT v.hamlet_code FROM hamlet_history v
		WHERE v.province_code = $1 AND v.commune_code = $3 AND v.commune_from = $4
		  AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to >= $2)`
)

// reportCommunes reads the scope's communes with the class, population and flags in force on $2.
func reportCommunes(ctx context.Context, tx *Tx, sc reportScope) ([]ReportCommune, error) {
	rows, err := tx.Query(ctx, reportCommunesSQL(sc), sc.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanReportCommune)
}

func reportCommunesSQL(sc reportScope) string {
	return `SELECT c.code, c.name, c.kind, coalesce(v.class, c.class), coalesce(v.key_security_order, c.key_security_order),
		coalesce(v.border, c.border), coalesce(v.island, c.island), (c.` + activeOnC + `), c.effective_from,
		CASE WHEN v.code IS NULL THEN c.population ELSE v.population END,
		(CASE WHEN v.code IS NULL THEN c.area_km2 ELSE v.area_km2 END)::text, c.mountainous, c.ward_of_urban_district
		FROM communes c LEFT JOIN commune_history v ON v.province_code = c.province_code AND v.code = c.code
		  AND v.unit_from = c.effective_from AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to >= $2)
		WHERE c.province_code = $1 AND ` + sc.communeWhere + ` ORDER BY c.code`
}

func scanReportCommune(r pgx.CollectableRow) (ReportCommune, error) {
	var c ReportCommune
	var area *string
	err := r.Scan(&c.Code, &c.Name, &c.Kind, &c.Class, &c.KeySecurityOrder, &c.Border, &c.Island, &c.InForce, &c.EffectiveFrom,
		&c.Population, &area, &c.Mountainous, &c.WardOfUrbanDistrict)
	if err == nil && area != nil {
		d, derr := decimal.NewFromString(*area)
		if derr != nil {
			return c, derr
		}
		c.AreaKm2 = &d
	}
	return c, err
}

// reportHamlets reads the scope's hamlets with the kind, households and flags in force on $2.
func reportHamlets(ctx context.Context, tx *Tx, sc reportScope) ([]ReportHamlet, error) {
	rows, err := tx.Query(ctx, reportHamletsSQL(sc), sc.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportHamlet, error) {
		var h ReportHamlet
		err := r.Scan(&h.Code, &h.CommuneCode, &h.Name, &h.Kind, &h.Households, &h.KeySecurityOrder, &h.BorderOrIsland,
			&h.ConvertedFromThon, &h.InForce, &h.CommuneFrom)
		return h, err
	})
}

func reportHamletsSQL(sc reportScope) string {
	return `SELECT h.code, coalesce(v.commune_code, h.commune_code), h.name, coalesce(v.kind, h.kind), coalesce(v.households, h.households),
		coalesce(v.key_security_order, h.key_security_order),
		CASE WHEN v.hamlet_code IS NULL THEN h.border_or_island ELSE v.border_or_island END,
		coalesce(v.converted_from_thon, h.converted_from_thon), (h.` + activeOnH + `), coalesce(v.commune_from, h.commune_from)
		` + hamletWithVersionOn + ` AND ` + sc.hamletWhere + ` ORDER BY 2, h.code`
}

// reportPosts reads the posts held on $2 in the scope, each with unit_in_force (unitsInForce) and the
// person's status on the date when they were not working (reportPeopleOut).
func reportPosts(ctx context.Context, tx *Tx, sc reportScope) ([]PostHeld, []*time.Time, error) {
	rows, err := tx.Query(ctx, reportPostsSQL(sc), sc.args...)
	if err != nil {
		return nil, nil, err
	}
	var froms []*time.Time
	posts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PostHeld, error) {
		var from *time.Time
		ph, err := scanPostHeldThen(r, &from)
		froms = append(froms, from)
		return ph, err
	})
	if err != nil {
		return nil, nil, err
	}
	out, err := reportPeopleOut(ctx, tx, sc.args[0], sc.args[1])
	if err != nil {
		return nil, nil, err
	}
	for i := range posts {
		if sp, ok := out[posts[i].CadreID]; ok {
			posts[i].PersonOut = &sp
		}
	}
	return posts, froms, err
}

// reportPeopleOut reads, once, the people of the province who are not working (left or retired) on the
// date, with the start of that period. Joined in Go rather than in the posts query: on fresh statistics
// the planner nested-looped a scan of the status periods per post (5,000 posts: 30 → 400 ms).
func reportPeopleOut(ctx context.Context, tx *Tx, province, on any) (map[string]StatusPeriod, error) {
	rows, err := tx.Query(ctx, `SELECT cadre_id::text, status, valid_from FROM cadre_status_history
		WHERE province_code = $1 AND status <> 'active' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2)`, province, on)
	if err != nil {
		return nil, err
	}
	out := map[string]StatusPeriod{}
	var id, status string
	var from time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &status, &from}, func() error {
		f := from
		out[id] = StatusPeriod{Status: status, From: &f}
		return nil
	})
	return out, err
}

func reportPostsSQL(sc reportScope) string {
	return `SELECT a.id::text, a.cadre_id::text, c.full_name, a.position_code, p.level, p.title_vi, p.title_en,
		a.commune_code, a.hamlet_code, a.concurrent, coalesce(a.elected, p.elected_default), a.start_date, a.end_date,
		a.term_end, a.allowance_override::text, a.commune_from
		FROM assignments a
		JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		JOIN positions p ON p.code = a.position_code
		WHERE a.province_code = $1 AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)` + sc.postWhere + `
		ORDER BY coalesce(a.commune_code, a.hamlet_code), a.concurrent, p.level, a.position_code, c.full_name, a.id`
}

// unitsInForce sets each post's UnitInForce: its own unit — the commune unit it names (code and first
// day, froms[i]), or its hamlet and the hamlet's commune unit — is in force on the report's date. The
// report has just read every unit of its scope in force (or, for a unit scope, the unit whatever its
// dates, with InForce), so a post's unit is looked up among them here rather than by a subquery per
// post in SQL: on a freshly loaded province (statistics not yet gathered) those subqueries scanned the
// province's communes once per post (the demo province's report page took 137–167 ms). A post held
// outside its unit's life is listed, flagged, never matched to another unit of the same code.
func unitsInForce(d *AllowanceData, froms []*time.Time) {
	type unit struct {
		code string
		from time.Time
	}
	communes := make(map[unit]bool, len(d.Communes))
	for _, c := range d.Communes {
		communes[unit{c.Code, c.EffectiveFrom}] = c.InForce
	}
	hamlets := make(map[string]bool, len(d.Hamlets))
	for _, h := range d.Hamlets {
		hamlets[h.Code] = h.InForce && communes[unit{h.CommuneCode, h.CommuneFrom}]
	}
	for i := range d.Posts {
		ph := &d.Posts[i]
		switch {
		case ph.CommuneCode != nil && froms[i] != nil:
			ph.UnitInForce = communes[unit{*ph.CommuneCode, *froms[i]}]
		case ph.HamletCode != nil:
			ph.UnitInForce = hamlets[*ph.HamletCode]
		}
	}
}

const (
	activeOnC = `effective_from <= $2 AND (c.effective_to IS NULL OR c.effective_to >= $2)`
	activeOnH = `effective_from <= $2 AND (h.effective_to IS NULL OR h.effective_to >= $2)`
)

func scanPostHeld(r pgx.CollectableRow) (PostHeld, error) { return scanPostHeldThen(r) }

// scanPostHeldThen scans a PostHeld, then the extra columns after it.
func scanPostHeldThen(r pgx.CollectableRow, extra ...any) (PostHeld, error) {
	var ph PostHeld
	var override *string
	err := r.Scan(append([]any{&ph.AssignmentID, &ph.CadreID, &ph.FullName, &ph.PositionCode, &ph.Level, &ph.TitleVI, &ph.TitleEN,
		&ph.CommuneCode, &ph.HamletCode, &ph.Concurrent, &ph.Elected, &ph.StartDate, &ph.EndDate, &ph.TermEnd, &override}, extra...)...)
	if err == nil && override != nil {
		v, derr := decimal.NewFromString(*override)
		if derr != nil {
			return ph, derr
		}
		ph.AllowanceOverride = &v
	}
	return ph, err
}

// scheduleInForce returns the rows of the schedule version in force on asOf: the latest version that
// starts on or before asOf and has not ended before it, whole — the version ScheduleAsOf (GET
// allowance-schedule?as_of) shows. A version is one HĐND resolution (Decree 33/2023 Art. 34 cl. 3) and
// replaces the previous one entirely (effective_to null = "until replaced"): rows of an older version left
// open must not fill the gaps of the newer one (a post it dropped, or a category row it replaced by a
// row with no category).
func scheduleInForce(ctx context.Context, tx *Tx, province string, asOf time.Time) ([]ScheduleEntry, error) {
	rows, err := tx.Query(ctx, `SELECT position_code, hamlet_fund_category, coefficient::text, resolution, effective_from
		FROM allowance_schedules WHERE province_code = $1 AND effective_from =
		  (SELECT max(effective_from) FROM allowance_schedules WHERE province_code = $1 AND `+activeOn+`)
		ORDER BY position_code, hamlet_fund_category`, province, asOf)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ScheduleEntry, error) {
		var e ScheduleEntry
		var coef string
		if err := r.Scan(&e.PositionCode, &e.HamletFundCategory, &coef, &e.Resolution, &e.EffectiveFrom); err != nil {
			return e, err
		}
		v, err := decimal.NewFromString(coef)
		e.Coefficient = v
		return e, err
	})
}
