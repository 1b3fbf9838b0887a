package store

import (
	"context"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
)

// Dashboard is what the console's front page shows of a province on one day.
type Dashboard struct {
	ProvinceName    string
	Communes        int // in force on the day
	Hamlets         int
	People          int // holding at least one post on the day
	Posts           int // assignments in force on the day
	RunningJobs     int // imports and entitlement runs still running
	DraftDecisions  int // current decisions awaiting approval
	ApprovedThisDay int
}

// Dashboard counts the province's units, people and posts in force on day, its running jobs and the
// decisions awaiting approval, in one transaction (one snapshot).
func (s *Store) Dashboard(ctx context.Context, p Principal, province string, day time.Time) (Dashboard, error) {
	var d Dashboard
	err := s.InTx(ctx, p, func(tx *Tx) error {
		return tx.QueryRow(ctx, `SELECT
			(SELECT name FROM provinces WHERE province_code = $1),
			(SELECT count(*) FROM communes WHERE province_code = $1 AND effective_from <= $2 AND (effective_to IS NULL OR effective_to >= $2)),
			(SELECT count(*) FROM hamlets WHERE province_code = $1 AND effective_from <= $2 AND (effective_to IS NULL OR effective_to >= $2)),
			(SELECT count(DISTINCT cadre_id) FROM assignments WHERE province_code = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)),
			(SELECT count(*) FROM assignments WHERE province_code = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)),
			(SELECT count(*) FROM import_jobs WHERE province_code = $1 AND status = 'running')
			  + (SELECT count(*) FROM entitlement_runs WHERE province_code = $1 AND status = 'running'),
			(SELECT count(*) FROM decisions WHERE province_code = $1 AND status = 'draft' AND superseded_by IS NULL),
			(SELECT count(*) FROM decisions WHERE province_code = $1 AND status = 'approved' AND decision_date = $2)`,
			province, day).Scan(&d.ProvinceName, &d.Communes, &d.Hamlets, &d.People, &d.Posts, &d.RunningJobs,
			&d.DraftDecisions, &d.ApprovedThisDay)
	})
	return d, translate(err)
}

var nationalIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// SearchPeople finds the province's people by citizen identity number (all 12 digits: an exact match,
// never a prefix, so a number cannot be guessed digit by digit) or by name (accent- and case-insensitive
// substring), by name.
func (s *Store) SearchPeople(ctx context.Context, p Principal, province, q string, limit int) ([]Cadre, error) {
	cond, arg := `fold(full_name) LIKE '%' || fold($2) || '%'`, likeEscape(q)
	if nationalIDPattern.MatchString(q) {
		cond, arg = `national_id = $2`, q
	}
	var out []Cadre
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+cadreCols+` FROM cadres WHERE province_code = $1 AND `+cond+
			` ORDER BY fold(full_name), id LIMIT $3`, province, arg, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanCadre)
		return err
	})
	return out, err
}
