package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// PersonPost is one of a person's assignments with what an exit computation needs about its unit: the
// hamlet's Decree 33 inputs (nil for a commune post) and the commune's.
type PersonPost struct {
	PostHeld
	Hamlet  *ReportHamlet
	Commune *ReportCommune
}

// EntitlementPerson is the stored record an exit entitlement is computed from.
type EntitlementPerson struct {
	CadreID   string
	FullName  string
	Gender    string
	BirthDate time.Time
	SIMonths  int
	// Status is the person's status on the day before the exit (the last day worked), and StatusFrom its
	// first day when it is not active (cadre_status_history): an exit is computed for someone working then.
	Status     string
	StatusFrom *time.Time
	// The law's inputs the register keeps (migration 0016; see Cadre).
	SITotalMonths         *int
	SIUncompensatedMonths *int
	Decree29Paid          *bool
	Decree29PaidOn        *time.Time
	MergedUnitSurplus     bool
	AllowanceBasis        string
	Posts                 []PersonPost    // every assignment, oldest first
	Schedule              []ScheduleEntry // the schedule in force on scheduleOn
}

// personStatusCols is the person's status on a date and its first day, read with a LEFT JOIN of
// cadre_status_history so on statusOutOn (no period out: active).
const personStatusCols = `coalesce(so.status, 'active'), so.valid_from`

// personLawCols are the law's inputs a person's record keeps, read into lawDest.
const personLawCols = `c.si_total_months, c.si_uncompensated_months, c.decree29_paid, c.decree29_paid_on, c.merged_unit_surplus`

func (p *EntitlementPerson) lawDest() []any {
	return []any{&p.SITotalMonths, &p.SIUncompensatedMonths, &p.Decree29Paid, &p.Decree29PaidOn, &p.MergedUnitSurplus}
}

// EntitlementPerson reads, in one transaction, a person, all their assignments with their units, the
// province's allowance basis and the schedule in force on scheduleOn (the day before the exit).
func (s *Store) EntitlementPerson(ctx context.Context, p Principal, province, cadreID string, scheduleOn time.Time) (EntitlementPerson, error) {
	var out EntitlementPerson
	err := s.InTx(ctx, p, func(tx *Tx) error {
		err := tx.QueryRow(ctx, `SELECT c.id::text, c.full_name, c.gender, c.birth_date, c.si_months, `+personStatusCols+`,
			pr.allowance_basis, `+personLawCols+`
			FROM cadres c JOIN provinces pr ON pr.province_code = c.province_code
			LEFT JOIN cadre_status_history so ON `+statusOutOn("so", "c.province_code", "c.id", "$3::date")+`
			WHERE c.province_code = $1 AND c.id::text = $2`, province, cadreID, scheduleOn).
			Scan(append([]any{&out.CadreID, &out.FullName, &out.Gender, &out.BirthDate, &out.SIMonths, &out.Status, &out.StatusFrom,
				&out.AllowanceBasis}, out.lawDest()...)...)
		if err != nil {
			return translate(err)
		}
		rows, err := tx.Query(ctx, `SELECT `+personPostCols+`
			WHERE a.province_code = $1 AND a.cadre_id::text = $2
			ORDER BY a.start_date, a.concurrent, a.id`, province, cadreID, scheduleOn)
		if err != nil {
			return err
		}
		out.Posts, err = pgx.CollectRows(rows, scanPersonPost)
		if err != nil {
			return err
		}
		out.Schedule, err = scheduleInForce(ctx, tx, province, scheduleOn)
		return err
	})
	return out, err
}

// personPostCols is the select list and joins of scanPersonPost: an assignment with its post, hamlet and
// commune unit (the commune of a hamlet post is the hamlet's), the households, class and flags as in force
// on $3 (the dated versions where one covers it, else the row).
const personPostCols = `a.id::text, a.cadre_id::text, '', a.position_code, p.level, p.title_vi, p.title_en,
	a.commune_code, a.hamlet_code, a.concurrent, coalesce(a.elected, p.elected_default), a.start_date, a.end_date,
	a.term_end, a.allowance_override::text,
	h.code, coalesce(hv.commune_code, h.commune_code), h.name, coalesce(hv.kind, h.kind), coalesce(hv.households, h.households),
	coalesce(hv.key_security_order, h.key_security_order),
	CASE WHEN hv.hamlet_code IS NULL THEN h.border_or_island ELSE hv.border_or_island END,
	coalesce(hv.converted_from_thon, h.converted_from_thon),
	cm.code, cm.name, cm.kind, coalesce(cv.class, cm.class), coalesce(cv.key_security_order, cm.key_security_order),
	coalesce(cv.border, cm.border), coalesce(cv.island, cm.island)
	FROM assignments a
	JOIN positions p ON p.code = a.position_code
	LEFT JOIN hamlets h ON h.province_code = a.province_code AND h.code = a.hamlet_code
	LEFT JOIN hamlet_history hv ON hv.province_code = h.province_code AND hv.hamlet_code = h.code
	  AND hv.valid_from <= $3::date AND (hv.valid_to IS NULL OR hv.valid_to >= $3::date)
	LEFT JOIN communes cm ON cm.province_code = a.province_code AND cm.code = coalesce(a.commune_code, hv.commune_code, h.commune_code)
	  AND cm.effective_from = coalesce(a.commune_from, hv.commune_from, h.commune_from)
	LEFT JOIN commune_history cv ON cv.province_code = cm.province_code AND cv.code = cm.code AND cv.unit_from = cm.effective_from
	  AND cv.valid_from <= $3::date AND (cv.valid_to IS NULL OR cv.valid_to >= $3::date)`

func scanPersonPost(r pgx.CollectableRow) (PersonPost, error) {
	var (
		pp                            PersonPost
		override                      *string
		hCode, hCommune, hName, hKind *string
		hHouseholds                   *int
		hKey, hBorder, hConverted     *bool
		cCode, cName, cKind           *string
		cClass                        *int
		cKey, cBorder, cIsland        *bool
	)
	err := r.Scan(&pp.AssignmentID, &pp.CadreID, &pp.FullName, &pp.PositionCode, &pp.Level, &pp.TitleVI, &pp.TitleEN,
		&pp.CommuneCode, &pp.HamletCode, &pp.Concurrent, &pp.Elected, &pp.StartDate, &pp.EndDate, &pp.TermEnd, &override,
		&hCode, &hCommune, &hName, &hKind, &hHouseholds, &hKey, &hBorder, &hConverted,
		&cCode, &cName, &cKind, &cClass, &cKey, &cBorder, &cIsland)
	if err != nil {
		return pp, err
	}
	if override != nil {
		v, err := decimal.NewFromString(*override)
		if err != nil {
			return pp, err
		}
		pp.AllowanceOverride = &v
	}
	if hCode != nil {
		pp.Hamlet = &ReportHamlet{Code: *hCode, CommuneCode: *hCommune, Name: *hName, Kind: *hKind, Households: *hHouseholds,
			KeySecurityOrder: *hKey, BorderOrIsland: hBorder, ConvertedFromThon: *hConverted}
	}
	if cCode != nil {
		pp.Commune = &ReportCommune{Code: *cCode, Name: *cName, Kind: *cKind, Class: *cClass, KeySecurityOrder: *cKey,
			Border: *cBorder, Island: *cIsland}
	}
	return pp, nil
}
