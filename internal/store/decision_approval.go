package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Approval is what the signed act adds to a draft: its number, date and the signer's title.
type Approval struct {
	Number      string
	Date        time.Time
	SignerTitle string
}

// EndedPost is one of the person's posts that an approval ended: its end date before (nil: open) and now
// (the last day worked, the day before the decision's exit date).
type EndedPost struct {
	AssignmentID string
	PositionCode string
	TitleVI      string
	TitleEN      string
	CommuneCode  *string
	HamletCode   *string
	StartDate    time.Time
	EndDateWas   *time.Time
	EndDate      time.Time
}

// ApprovalEffects is what an approval changed besides the decision: the posts it ended and the person's
// status before and after.
type ApprovalEffects struct {
	PostsEnded   []EndedPost
	StatusWas    string
	LeftOnWas    *time.Time
	Status       string
	LeftOn       time.Time
	CadreVersion int
}

// ApproveDecision approves a draft at version in one transaction with what the act does: every post of the
// person still held on the decision's exit date ends the day before (the last day worked), and the person
// is recorded as left on the exit date; each change is audited. ErrStale when the version differs,
// ErrNotDraft when the decision is not a draft.
func (s *Store) ApproveDecision(ctx context.Context, p Principal, province, id string, version int, a Approval) (Decision, ApprovalEffects, error) {
	var out Decision
	var eff ApprovalEffects
	err := s.InTx(ctx, p, func(tx *Tx) error {
		eff = ApprovalEffects{}
		d, err := getDecision(ctx, tx, province, id, false)
		if err != nil {
			return err
		}
		if err := lockPerson(ctx, tx, province, d.CadreID); err != nil {
			return err
		}
		if d, err = getDecision(ctx, tx, province, id, true); err != nil {
			return err
		}
		if d.Status != DecisionDraft {
			return ErrNotDraft
		}
		if d.Version != version {
			return ErrStale
		}
		rows, err := tx.Query(ctx, `UPDATE decisions SET status = 'approved', decision_number = $3, decision_date = $4,
			signer_title = $5, approved_at = $6, version = version + 1, updated_at = $6
			WHERE province_code = $1 AND id = $2::uuid RETURNING `+decisionCols,
			province, d.ID, a.Number, a.Date, a.SignerTitle, tx.Now)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanDecision); err != nil {
			return translate(err)
		}
		if err := tx.Audit(ctx, province, "update", "decision", d.ID, decisionSummary(d), decisionSummary(out)); err != nil {
			return err
		}

		last := d.ExitDate.AddDate(0, 0, -1)
		posts, err := listAssignments(ctx, tx, province, d.CadreID, AssignmentFilter{})
		if err != nil {
			return err
		}
		for _, before := range posts {
			if !before.StartDate.Before(d.ExitDate) || (before.EndDate != nil && before.EndDate.Before(d.ExitDate)) {
				continue // not held on the exit date
			}
			if _, err := tx.Exec(ctx, `UPDATE assignments SET end_date = $4, version = version + 1, updated_at = now()
				WHERE province_code = $1 AND cadre_id = $2::uuid AND id = $3::uuid`, province, d.CadreID, before.ID, last); err != nil {
				return translate(err)
			}
			after, err := getAssignment(ctx, tx, province, d.CadreID, before.ID, false)
			if err != nil {
				return err
			}
			if err := tx.Audit(ctx, province, "update", "assignment", before.ID, before, after); err != nil {
				return err
			}
			eff.PostsEnded = append(eff.PostsEnded, EndedPost{AssignmentID: before.ID, PositionCode: before.PositionCode,
				CommuneCode: before.CommuneCode, HamletCode: before.HamletCode, StartDate: before.StartDate,
				EndDateWas: before.EndDate, EndDate: last})
		}
		if err := postTitles(ctx, tx, eff.PostsEnded); err != nil {
			return err
		}

		c, err := lockedCadreWithHistory(ctx, tx, province, d.CadreID)
		if err != nil {
			return err
		}
		eff.StatusWas, eff.LeftOnWas, eff.Status, eff.LeftOn = c.Status, c.LeftOn, "left", d.ExitDate
		rows, err = tx.Query(ctx, `UPDATE cadres SET status = 'left', left_on = $3, version = version + 1, updated_at = now()
			WHERE province_code = $1 AND id = $2::uuid RETURNING `+cadreCols, province, d.CadreID, d.ExitDate)
		if err != nil {
			return translate(err)
		}
		after, err := pgx.CollectExactlyOneRow(rows, scanCadre)
		if err != nil {
			return translate(err)
		}
		// The status periods were moved by the trigger (migration 0029): left from the exit date.
		if after, err = withStatusHistory(ctx, tx, after); err != nil {
			return err
		}
		eff.CadreVersion = after.Version
		return tx.Audit(ctx, province, "update", "cadre", d.CadreID, c.auditView(), after.auditView())
	})
	return out, eff, err
}

// postTitles fills the catalogue titles of ended posts.
func postTitles(ctx context.Context, tx *Tx, posts []EndedPost) error {
	for i := range posts {
		if err := tx.QueryRow(ctx, `SELECT title_vi, title_en FROM positions WHERE code = $1`, posts[i].PositionCode).
			Scan(&posts[i].TitleVI, &posts[i].TitleEN); err != nil {
			return translate(err)
		}
	}
	return nil
}

// LeftUnderDecision is a person who left under an approved current decision.
type LeftUnderDecision struct {
	CadreID        string
	FullName       string
	DecisionID     string
	DecisionNumber string
	DecisionDate   time.Time
	SignerTitle    string
	ExitDate       time.Time
	Policy         string
	Total          string
	Posts          []PostHeld // the posts the person held on the day before the exit date
}

// leftUnderDecision lists the people whose approved, current decision has its exit date from from to to
// (inclusive), with the posts they held on their last day worked, restricted to unit u when set.
func leftUnderDecision(ctx context.Context, tx *Tx, province string, from, to time.Time, u UnitScope) ([]LeftUnderDecision, error) {
	rows, err := tx.Query(ctx, `SELECT d.cadre_id::text, c.full_name, d.id::text, d.decision_number, d.decision_date,
		d.signer_title, d.exit_date, d.policy, d.total::text
		FROM decisions d JOIN cadres c ON c.province_code = d.province_code AND c.id = d.cadre_id
		WHERE d.province_code = $1 AND d.status = 'approved' AND d.exit_date BETWEEN $2 AND $3
		ORDER BY d.exit_date, c.full_name, d.id`, province, from, to)
	if err != nil {
		return nil, err
	}
	people, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (LeftUnderDecision, error) {
		var l LeftUnderDecision
		err := r.Scan(&l.CadreID, &l.FullName, &l.DecisionID, &l.DecisionNumber, &l.DecisionDate, &l.SignerTitle,
			&l.ExitDate, &l.Policy, &l.Total)
		return l, err
	})
	if err != nil {
		return nil, err
	}
	out := people[:0]
	for _, l := range people {
		args := []any{province, l.CadreID, l.ExitDate.AddDate(0, 0, -1)}
		unit := ""
		switch {
		case u.HamletCode != "":
			args, unit = append(args, u.HamletCode), ` AND a.hamlet_code = $4`
		case u.CommuneCode != "":
			args, unit = append(args, u.CommuneCode), ` AND (a.commune_code = $4 OR a.hamlet_code IN
				(SELECT code FROM hamlets WHERE province_code = $1 AND commune_code = $4))`
		}
		rows, err := tx.Query(ctx, `SELECT a.id::text, a.cadre_id::text, c.full_name, a.position_code, p.level, p.title_vi, p.title_en,
			a.commune_code, a.hamlet_code, a.concurrent, coalesce(a.elected, p.elected_default), a.start_date, a.end_date,
			a.term_end, a.allowance_override::text
			FROM assignments a
			JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
			JOIN positions p ON p.code = a.position_code
			WHERE a.province_code = $1 AND a.cadre_id::text = $2 AND a.start_date <= $3 AND (a.end_date IS NULL OR a.end_date >= $3)`+unit+`
			ORDER BY a.concurrent, a.start_date, a.id`, args...)
		if err != nil {
			return nil, err
		}
		if l.Posts, err = pgx.CollectRows(rows, scanPostHeld); err != nil {
			return nil, err
		}
		if len(l.Posts) > 0 || (u.HamletCode == "" && u.CommuneCode == "") {
			out = append(out, l)
		}
	}
	return out, nil
}
