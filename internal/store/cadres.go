package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

func init() {
	addConstraintFields(map[string]string{
		"cadres_pkey":                          "id",
		"cadres_national_id_key":               "national_id",
		"cadres_national_id_check":             "national_id",
		"cadres_full_name_check":               "full_name",
		"cadres_gender_check":                  "gender",
		"cadres_si_months_check":               "si_months",
		"cadres_status_check":                  "status",
		"cadres_left_on_check":                 "left_on",
		"cadres_si_total_months_check":         "si_total_months",
		"cadres_si_uncompensated_months_check": "si_uncompensated_months",
		"cadres_decree29_paid_on_check":        "decree29_paid_on",
	})
}

// Cadre is a person who holds or has held a local post. NationalID is personal data: it is masked for
// viewers and in the audit log, and never logged.
type Cadre struct {
	Province   string
	ID         string
	NationalID string
	FullName   string
	Gender     string
	BirthDate  time.Time
	SIMonths   int
	// SITotalMonths and SIUncompensatedMonths are the two meanings of SI time (issue 12, corner 7); nil:
	// not recorded, SIMonths serves as both.
	SITotalMonths         *int
	SIUncompensatedMonths *int
	// Decree29Paid and Decree29PaidOn: whether, and when, a Decree 29/2023 allowance was paid (corner 4).
	Decree29Paid   *bool
	Decree29PaidOn *time.Time
	// MergedUnitSurplus: made surplus by the 2019–2025 unit mergers (corner 5).
	MergedUnitSurplus bool
	Status            string
	LeftOn            *time.Time
	// ActiveFrom is the first day of the latest active period (a return to work after a leaving); nil:
	// active since the record began. Only a write that makes the person active again sets it.
	ActiveFrom *time.Time
	Version    int
	// StatusHistory is the person's status periods, oldest first (cadre_status_history, kept by the
	// triggers of migration 0029); filled by the reads and writes of one person.
	StatusHistory []StatusPeriod `json:"status_history,omitempty"`
	// StatusAt is the period in force on the date of a list read as of a date (CadreFilter.AsOf); Status
	// and LeftOn are then that period's.
	StatusAt *StatusPeriod `json:"-"`
}

// StatusPeriod is a period of a person's status: From nil = since the record began, To nil = open
// (both inclusive).
type StatusPeriod struct {
	Status string     `json:"status"`
	From   *time.Time `json:"valid_from"`
	To     *time.Time `json:"valid_to"`
}

// StatusOn returns the period of StatusHistory in force on d (false when the history is not loaded).
func (c Cadre) StatusOn(d time.Time) (StatusPeriod, bool) {
	for _, s := range c.StatusHistory {
		if (s.From == nil || !s.From.After(d)) && (s.To == nil || !s.To.Before(d)) {
			return s, true
		}
	}
	return StatusPeriod{}, false
}

// cadreStatusHistory reads a person's status periods, oldest first. No rows is one period: active since
// the record began (most people; migration 0029 keeps no rows for them).
func cadreStatusHistory(ctx context.Context, tx *Tx, province, id string) ([]StatusPeriod, error) {
	rows, err := tx.Query(ctx, statusHistorySQL, province, id)
	if err != nil {
		return nil, err
	}
	return collectStatusHistory(rows)
}

// statusHistorySQL reads a person's status periods ($1 province, $2 id), oldest first.
const statusHistorySQL = `SELECT status, nullif(valid_from, DATE '0001-01-01'), valid_to FROM cadre_status_history
		WHERE province_code = $1 AND cadre_id = $2::uuid ORDER BY valid_from`

// collectStatusHistory reads the rows of statusHistorySQL; no row is one period, active since the record began.
func collectStatusHistory(rows pgx.Rows) ([]StatusPeriod, error) {
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (StatusPeriod, error) {
		var s StatusPeriod
		err := r.Scan(&s.Status, &s.From, &s.To)
		return s, err
	})
	if err == nil && len(out) == 0 {
		out = []StatusPeriod{{Status: "active"}}
	}
	return out, err
}

// withStatusHistory fills c.StatusHistory from the table.
func withStatusHistory(ctx context.Context, tx *Tx, c Cadre) (Cadre, error) {
	var err error
	c.StatusHistory, err = cadreStatusHistory(ctx, tx, c.Province, c.ID)
	return c, err
}

func (c Cadre) rowVersion() int { return c.Version }

// CadreFilter selects people for a list.
type CadreFilter struct {
	Status string
	Q      string // accent- and case-insensitive substring of the full name
	// QNationalID widens Q to the CCCD: "exact" also matches a person whose national_id is Q, "part" one
	// whose national_id contains Q (editors only: a viewer, who sees CCCDs masked, may not probe digits).
	QNationalID string
	CommuneCode string     // has an assignment at this commune or at one of its hamlets
	HamletCode  string     // has an assignment at this hamlet
	AsOf        *time.Time // status (and the Status filter) as in force on this date
	After       string     // cursor: the last id of the previous page
	Limit       int
}

// MaskNationalID hides the middle of a citizen identity number: the first 4 digits (province of birth,
// gender/century), 5 asterisks, the last 3 digits ("0010*****123").
func MaskNationalID(id string) string {
	if len(id) != 12 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + "*****" + id[9:]
}

// vietnam is the country's civil time zone (UTC+7, no daylight saving): "today" for a register is the
// date in Vietnam.
var vietnam = time.FixedZone("ICT", 7*3600)

// CadreReferenceDate is today's date in Vietnam by the store's clock: birth dates after it are refused.
func (s *Store) CadreReferenceDate() time.Time {
	y, m, d := s.now().In(vietnam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// auditView is what the audit log keeps of a cadre: everything but the full identity number.
func (c Cadre) auditView() Cadre {
	c.NationalID = MaskNationalID(c.NationalID)
	return c
}

const cadreCols = `province_code, id::text, national_id, full_name, gender, birth_date, si_months, status, left_on, version,
	si_total_months, si_uncompensated_months, decree29_paid, decree29_paid_on, merged_unit_surplus, active_from`

func scanCadre(r pgx.CollectableRow) (Cadre, error) {
	var c Cadre
	err := r.Scan(&c.Province, &c.ID, &c.NationalID, &c.FullName, &c.Gender, &c.BirthDate, &c.SIMonths, &c.Status,
		&c.LeftOn, &c.Version, &c.SITotalMonths, &c.SIUncompensatedMonths, &c.Decree29Paid, &c.Decree29PaidOn, &c.MergedUnitSurplus, &c.ActiveFrom)
	return c, err
}

// ListCadres returns one page of the province's people by id.
func (s *Store) ListCadres(ctx context.Context, p Principal, province string, f CadreFilter) ([]Cadre, error) {
	q := newListQuery("c.province_code = $1", province)
	add := q.add
	cols, from, status, scan := prefixCols("c.", cadreCols), " FROM cadres c", "c.status", scanCadre
	if f.AsOf != nil {
		cols, from, status = cadreListAt(q.arg(*f.AsOf))
		scan = func(r pgx.CollectableRow) (Cadre, error) { return scanCadreAt(r) }
	}
	if f.Status != "" {
		add(status+" = ?", f.Status)
	}
	if f.Q != "" {
		switch f.QNationalID {
		case "exact":
			add("(fold(c.full_name) LIKE '%' || fold(?) || '%' OR c.national_id = ?)", f.Q)
		case "part":
			add("(fold(c.full_name) LIKE '%' || fold(?) || '%' OR c.national_id LIKE '%' || ? || '%')", f.Q)
		default:
			add("fold(c.full_name) LIKE '%' || fold(?) || '%'", likeEscape(f.Q))
		}
	}
	if f.CommuneCode != "" {
		// Two uncorrelated sets (posts at the commune, posts at its hamlets) rather than an EXISTS with an OR
		// per person: the planner reads each by index once (the console's commune page, issue 14).
		add(`c.id IN (SELECT a.cadre_id FROM assignments a WHERE a.province_code = $1 AND a.commune_code = ?
			UNION SELECT a.cadre_id FROM assignments a JOIN hamlets h ON h.province_code = a.province_code AND h.code = a.hamlet_code
			WHERE a.province_code = $1 AND h.commune_code = ?)`, f.CommuneCode)
	}
	if f.HamletCode != "" {
		add(`EXISTS (SELECT 1 FROM assignments a WHERE a.province_code = c.province_code AND a.cadre_id = c.id
			AND a.hamlet_code = ?)`, f.HamletCode)
	}
	if f.After != "" {
		add("c.id > ?::uuid", f.After)
	}
	sql := `SELECT ` + cols + from + ` WHERE ` + q.where() + q.page("c.id", f.Limit)
	args := q.args
	var out []Cadre
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.AppendRows(make([]Cadre, 0, pageCap(f.Limit)), rows, scan)
		return err
	})
	return out, err
}

// prefixCols qualifies a column list with a table alias.
func prefixCols(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// GetCadre returns one person with their assignments (oldest first).
func (s *Store) GetCadre(ctx context.Context, p Principal, province, id string) (Cadre, []Assignment, error) {
	var (
		c  Cadre
		as []Assignment
	)
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		c, as, err = readCadre(ctx, tx, province, id)
		return err
	})
	return c, as, err
}

// readCadre reads a person, their status periods and their posts in one round trip (a pipelined batch of
// the three statements getCadre, cadreStatusHistory and listAssignments run one after the other).
func readCadre(ctx context.Context, tx *Tx, province, id string) (c Cadre, as []Assignment, err error) {
	var b pgx.Batch
	b.Queue(`SELECT `+cadreCols+` FROM cadres WHERE province_code = $1 AND id = $2::uuid`, province, id).
		Query(func(rows pgx.Rows) (err error) {
			c, err = pgx.CollectExactlyOneRow(rows, scanCadre)
			return translate(err)
		})
	b.Queue(statusHistorySQL, province, id).Query(func(rows pgx.Rows) (err error) {
		c.StatusHistory, err = collectStatusHistory(rows)
		return err
	})
	sql, args := listAssignmentsSQL(province, id, AssignmentFilter{})
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		as, err = pgx.CollectRows(rows, scanAssignment)
		return err
	})
	err = tx.SendBatch(ctx, &b).Close()
	return c, as, err
}

func getCadre(ctx context.Context, tx *Tx, province, id string, lock bool) (Cadre, error) {
	sql := `SELECT ` + cadreCols + ` FROM cadres WHERE province_code = $1 AND id = $2::uuid`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, err := tx.Query(ctx, sql, province, id)
	if err != nil {
		return Cadre{}, err
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCadre)
	return c, translate(err)
}

// CreateCadre inserts a person (the id is made by the database) and audits it.
func (s *Store) CreateCadre(ctx context.Context, p Principal, c Cadre) (Cadre, error) {
	var out Cadre
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO cadres (province_code, national_id, full_name, gender, birth_date, si_months,
			status, left_on, si_total_months, si_uncompensated_months, decree29_paid, decree29_paid_on, merged_unit_surplus)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING `+cadreCols,
			c.Province, c.NationalID, c.FullName, c.Gender, c.BirthDate, c.SIMonths, c.Status, c.LeftOn,
			c.SITotalMonths, c.SIUncompensatedMonths, c.Decree29Paid, c.Decree29PaidOn, c.MergedUnitSurplus)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanCadre); err != nil {
			return translate(err)
		}
		if out, err = withStatusHistory(ctx, tx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, out.Province, "create", "cadre", out.ID, nil, out.auditView())
	})
	return out, err
}

// UpdateCadre applies change to the person at version and audits before/after; ErrStale when the version
// moved on.
func (s *Store) UpdateCadre(ctx context.Context, p Principal, province, id string, version int, change func(*Cadre) error) (Cadre, error) {
	var out Cadre
	err := s.InTx(ctx, p, func(tx *Tx) error {
		before, after, err := lockAtVersion(version, change, func() (Cadre, error) { return lockedCadreWithHistory(ctx, tx, province, id) })
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE cadres SET national_id = $3, full_name = $4, gender = $5, birth_date = $6,
			si_months = $7, status = $8, left_on = $9, si_total_months = $10, si_uncompensated_months = $11,
			decree29_paid = $12, decree29_paid_on = $13, merged_unit_surplus = $14, active_from = $15, version = version + 1, updated_at = now()
			WHERE province_code = $1 AND id = $2::uuid RETURNING `+cadreCols,
			province, id, after.NationalID, after.FullName, after.Gender, after.BirthDate, after.SIMonths, after.Status, after.LeftOn,
			after.SITotalMonths, after.SIUncompensatedMonths, after.Decree29Paid, after.Decree29PaidOn, after.MergedUnitSurplus,
			after.ActiveFrom)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanCadre); err != nil {
			return translate(err)
		}
		if out, err = withStatusHistory(ctx, tx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, province, "update", "cadre", id, before.auditView(), out.auditView())
	})
	return out, err
}

// lockedCadreWithHistory locks a person's row and reads it with the status periods.
func lockedCadreWithHistory(ctx context.Context, tx *Tx, province, id string) (Cadre, error) {
	c, err := getCadre(ctx, tx, province, id, true)
	if err != nil {
		return c, err
	}
	return withStatusHistory(ctx, tx, c)
}

// DeleteCadre removes a person and, by the foreign key's cascade, their assignments; each removed
// assignment gets its own audit row beside the person's.
func (s *Store) DeleteCadre(ctx context.Context, p Principal, province, id string, version int) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		before, _, err := lockAtVersion(version, nil, func() (Cadre, error) { return getCadre(ctx, tx, province, id, true) })
		if err != nil {
			return err
		}
		as, err := listAssignments(ctx, tx, province, id, AssignmentFilter{})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM cadres WHERE province_code = $1 AND id = $2::uuid`, province, id); err != nil {
			return translate(err)
		}
		for _, a := range as {
			if err := tx.Audit(ctx, province, "delete", "assignment", a.ID, a, nil); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, province, "delete", "cadre", id, before.auditView(), nil)
	})
}

// statusOutOn is the join condition of the period, in cadre_status_history alias s, in which the person
// (province, id: SQL expressions) is not working (left or retired) on date d: at most one period matches,
// none while the person works. Reports, runs, computations and the national summary read a person's
// status on a date through it (the partial index cadre_status_history_inactive_idx serves it).
func statusOutOn(s, province, id, d string) string {
	return s + `.province_code = ` + province + ` AND ` + s + `.cadre_id = ` + id + ` AND ` + s +
		`.status <> 'active' AND ` + s + `.valid_from <= ` + d + ` AND (` + s + `.valid_to IS NULL OR ` + s + `.valid_to >= ` + d + `)`
}
