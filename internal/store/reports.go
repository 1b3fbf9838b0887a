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
	err := s.InReadTx(ctx, p, func(tx *Tx) error {
		var err error
		d, err = allowanceData(ctx, tx, province, asOf, u)
		return err
	})
	return d, err
}

func allowanceData(ctx context.Context, tx *Tx, province string, asOf time.Time, u UnitScope) (AllowanceData, error) {
	var d AllowanceData
	// The units in force on asOf (a unit scope: the unit whatever its dates — the one of that code in force
	// on asOf, else the latest), with the attribute values in force on asOf (commune_history, hamlet_history).
	communeWhere, hamletWhere, postWhere := "c."+activeOnC, "h."+activeOnH, ""
	args := []any{province, asOf}
	switch {
	case u.HamletCode != "":
		args = append(args, u.HamletCode)
		hamletWhere = "h.code = $3"
		communeWhere = "(c.code, c.effective_from) = (SELECT commune_code, commune_from FROM hamlets WHERE province_code = $1 AND code = $3)"
		postWhere = " AND a.hamlet_code = $3"
	case u.CommuneCode != "":
		args = append(args, u.CommuneCode)
		communeWhere = "c.code = $3 AND c.effective_from = resolve_commune_from($1, $3, $2)"
		hamletWhere = "h.commune_code = $3 AND h.commune_from = resolve_commune_from($1, $3, $2) AND h." + activeOnH
		postWhere = ` AND ((a.commune_code = $3 AND a.commune_from = resolve_commune_from($1, $3, $2)) OR a.hamlet_code IN
			(SELECT code FROM hamlets WHERE province_code = $1 AND commune_code = $3 AND commune_from = resolve_commune_from($1, $3, $2)))`
	}
	rows, err := tx.Query(ctx, `SELECT c.code, c.name, c.kind, coalesce(v.class, c.class), coalesce(v.key_security_order, c.key_security_order),
		coalesce(v.border, c.border), coalesce(v.island, c.island), (c.`+activeOnC+`), c.effective_from,
		CASE WHEN v.code IS NULL THEN c.population ELSE v.population END,
		(CASE WHEN v.code IS NULL THEN c.area_km2 ELSE v.area_km2 END)::text, c.mountainous, c.ward_of_urban_district
		FROM communes c LEFT JOIN commune_history v ON v.province_code = c.province_code AND v.code = c.code
		  AND v.unit_from = c.effective_from AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to >= $2)
		WHERE c.province_code = $1 AND `+communeWhere+` ORDER BY c.code`, args...)
	if err != nil {
		return d, err
	}
	if d.Communes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportCommune, error) {
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
	}); err != nil {
		return d, err
	}
	rows, err = tx.Query(ctx, `SELECT h.code, h.commune_code, h.name, coalesce(v.kind, h.kind), coalesce(v.households, h.households),
		coalesce(v.key_security_order, h.key_security_order),
		CASE WHEN v.hamlet_code IS NULL THEN h.border_or_island ELSE v.border_or_island END,
		coalesce(v.converted_from_thon, h.converted_from_thon), (h.`+activeOnH+`), h.commune_from
		FROM hamlets h LEFT JOIN hamlet_history v ON v.province_code = h.province_code AND v.hamlet_code = h.code
		  AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to >= $2)
		WHERE h.province_code = $1 AND `+hamletWhere+` ORDER BY h.commune_code, h.code`, args...)
	if err != nil {
		return d, err
	}
	if d.Hamlets, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportHamlet, error) {
		var h ReportHamlet
		err := r.Scan(&h.Code, &h.CommuneCode, &h.Name, &h.Kind, &h.Households, &h.KeySecurityOrder, &h.BorderOrIsland,
			&h.ConvertedFromThon, &h.InForce, &h.CommuneFrom)
		return h, err
	}); err != nil {
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
	// unit_in_force: the post's own unit (the commune unit it names, or its hamlet and the hamlet's commune
	// unit) is in force on the date; a post held outside its unit's life is listed, flagged, never matched
	// to another unit of the same code.
	rows, err = tx.Query(ctx, `SELECT a.id::text, a.cadre_id::text, c.full_name, a.position_code, p.level, p.title_vi, p.title_en,
		a.commune_code, a.hamlet_code, a.concurrent, coalesce(a.elected, p.elected_default), a.start_date, a.end_date,
		a.term_end, a.allowance_override::text,
		CASE WHEN a.commune_code IS NOT NULL THEN EXISTS (SELECT 1 FROM communes u WHERE u.province_code = a.province_code
		    AND u.code = a.commune_code AND u.effective_from = a.commune_from AND u.`+activeOnU+`)
		  ELSE EXISTS (SELECT 1 FROM hamlets h JOIN communes u ON u.province_code = h.province_code AND u.code = h.commune_code
		    AND u.effective_from = h.commune_from WHERE h.province_code = a.province_code AND h.code = a.hamlet_code
		    AND h.`+activeOnH+` AND u.`+activeOnU+`) END,
		so.status, so.valid_from
		FROM assignments a
		JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		JOIN positions p ON p.code = a.position_code
		LEFT JOIN cadre_status_history so ON `+statusOutOn("so", "a.province_code", "a.cadre_id", "$2")+`
		WHERE a.province_code = $1 AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)`+postWhere+`
		ORDER BY coalesce(a.commune_code, a.hamlet_code), a.concurrent, p.level, a.position_code, c.full_name, a.id`, args...)
	if err != nil {
		return d, err
	}
	if d.Posts, err = pgx.CollectRows(rows, scanPostHeldInForce); err != nil {
		return d, err
	}
	monthStart := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC)
	d.Left, err = leftUnderDecision(ctx, tx, province, monthStart, asOf, u)
	return d, err
}

const (
	activeOnC = `effective_from <= $2 AND (c.effective_to IS NULL OR c.effective_to >= $2)`
	activeOnH = `effective_from <= $2 AND (h.effective_to IS NULL OR h.effective_to >= $2)`
	activeOnU = `effective_from <= $2 AND (u.effective_to IS NULL OR u.effective_to >= $2)`
)

// scanPostHeldInForce scans a PostHeld followed by its unit_in_force column.
func scanPostHeldInForce(r pgx.CollectableRow) (PostHeld, error) {
	var ph PostHeld
	var override, outStatus *string
	var outFrom *time.Time
	err := r.Scan(&ph.AssignmentID, &ph.CadreID, &ph.FullName, &ph.PositionCode, &ph.Level, &ph.TitleVI, &ph.TitleEN,
		&ph.CommuneCode, &ph.HamletCode, &ph.Concurrent, &ph.Elected, &ph.StartDate, &ph.EndDate, &ph.TermEnd, &override,
		&ph.UnitInForce, &outStatus, &outFrom)
	if outStatus != nil {
		ph.PersonOut = &StatusPeriod{Status: *outStatus, From: outFrom}
	}
	if err == nil && override != nil {
		v, derr := decimal.NewFromString(*override)
		if derr != nil {
			return ph, derr
		}
		ph.AllowanceOverride = &v
	}
	return ph, err
}

func scanPostHeld(r pgx.CollectableRow) (PostHeld, error) {
	var ph PostHeld
	var override *string
	err := r.Scan(&ph.AssignmentID, &ph.CadreID, &ph.FullName, &ph.PositionCode, &ph.Level, &ph.TitleVI, &ph.TitleEN,
		&ph.CommuneCode, &ph.HamletCode, &ph.Concurrent, &ph.Elected, &ph.StartDate, &ph.EndDate, &ph.TermEnd, &override)
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
