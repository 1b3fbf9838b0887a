package store

import "time"

// A list of people as of a date (issue 11 item 2): each person's status and left_on are those in force on
// the date, with the period they belong to, read from cadre_status_history as GET …/cadres/{id}?as_of=
// reads them (StatusOn). A person with no periods recorded is active since the record began.

// cadreListAt is the select list and FROM of a list of people with their status on the date $n (n is
// the placeholder of the date), and the expression of that status for the status filter.
func cadreListAt(n string) (cols, from, status string) {
	status = `coalesce(sh.status, 'active')`
	cols = `c.province_code, c.id::text, c.national_id, c.full_name, c.gender, c.birth_date, c.si_months, ` + status + `,
		CASE WHEN sh.status <> 'active' THEN sh.valid_from END, c.version, c.si_total_months, c.si_uncompensated_months,
		c.decree29_paid, c.decree29_paid_on, c.merged_unit_surplus, c.active_from,
		nullif(sh.valid_from, DATE '0001-01-01'), sh.valid_to`
	from = ` FROM cadres c LEFT JOIN cadre_status_history sh ON sh.province_code = c.province_code AND sh.cadre_id = c.id
		AND sh.valid_from <= ` + n + `::date AND (sh.valid_to IS NULL OR sh.valid_to >= ` + n + `::date)`
	return cols, from, status
}

// scanCadreAt scans a row of cadreListAt: the person, and in StatusAt the period in force on the date.
func scanCadreAt(r interface{ Scan(...any) error }) (Cadre, error) {
	var (
		c        Cadre
		from, to *time.Time
	)
	err := r.Scan(&c.Province, &c.ID, &c.NationalID, &c.FullName, &c.Gender, &c.BirthDate, &c.SIMonths, &c.Status,
		&c.LeftOn, &c.Version, &c.SITotalMonths, &c.SIUncompensatedMonths, &c.Decree29Paid, &c.Decree29PaidOn, &c.MergedUnitSurplus,
		&c.ActiveFrom, &from, &to)
	c.StatusAt = &StatusPeriod{Status: c.Status, From: from, To: to}
	return c, err
}
