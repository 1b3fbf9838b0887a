package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

func init() {
	addConstraintFields(map[string]string{
		"assignments_pkey":                     "id",
		"assignments_no_overlap":               "start_date",
		"assignments_allowance_override_check": "allowance_override",
	})
}

// MaxPaidHamletPosts is how many paid non-professional posts a hamlet or residential group may have at one
// time (Decree 33/2023/NĐ-CP; docs/legal-basis.md §2.2).
const MaxPaidHamletPosts = 3

// Assignment is a person's period in a post at a commune or a hamlet.
type Assignment struct {
	Province          string
	ID                string
	CadreID           string
	PositionCode      string
	CommuneCode       *string
	CommuneFrom       *time.Time // the commune unit's period start; nil on a write: the unit in force on StartDate
	HamletCode        *string
	StartDate         time.Time
	EndDate           *time.Time // inclusive; nil while in force
	Concurrent        bool
	Elected           *bool // nil: the position's default
	ElectedDefault    bool  // the position's elected_default (read-only)
	TermEnd           *time.Time
	AllowanceOverride *decimal.Decimal
	Version           int
}

func (a Assignment) rowVersion() int { return a.Version }

// ElectedEffective is the assignment's own elected flag, or the position's default when it has none.
func (a Assignment) ElectedEffective() bool {
	if a.Elected != nil {
		return *a.Elected
	}
	return a.ElectedDefault
}

// AssignmentFilter pages a person's assignments by (start_date, id).
type AssignmentFilter struct {
	AfterStart *time.Time
	AfterID    string
	Limit      int // 0: all
}

// Rules an assignment can break, in AssignmentRuleError.Rule.
const (
	RuleUnknownPosition = "unknown_position" // position_code is not in the national catalogue
	RuleUnitRequired    = "unit_required"    // the post's level needs this unit (commune_code or hamlet_code)
	RuleUnitNotAllowed  = "unit_not_allowed" // the post's level forbids this unit
	RuleOverlap         = "overlap"          // the person already holds this post over an overlapping period
	RuleHamletPosts     = "hamlet_posts"     // the hamlet already has MaxPaidHamletPosts paid posts in force
)

// AssignmentRuleError reports a register rule an assignment breaks, with what the API needs to word it.
type AssignmentRuleError struct {
	Rule     string
	Field    string      // the JSON field it concerns
	Position Position    // the post being assigned (when known)
	Overlaps *Assignment // RuleOverlap: the period it overlaps (its dates)
	Hamlet   UnitRef     // RuleHamletPosts: the hamlet
	On       time.Time   // RuleHamletPosts: a day on which the posts below are all in force
	InForce  []HeldPost  // RuleHamletPosts: the paid posts in force on that day
	Words    *RuleError  // RuleOverlap, RuleHamletPosts: the rule's message, as an import words it (post_rules.go)
}

func (e *AssignmentRuleError) Error() string {
	return "assignment breaks rule " + e.Rule + " (field " + e.Field + ")"
}

// HeldPost is a post someone holds in a hamlet, as named in a RuleHamletPosts error.
type HeldPost struct {
	AssignmentID string
	Position     Position
	CadreName    string
	StartDate    time.Time
	EndDate      *time.Time
}

const assignmentCols = `a.province_code, a.id::text, a.cadre_id::text, a.position_code, a.commune_code, a.hamlet_code,
	a.start_date, a.end_date, a.concurrent, a.elected, p.elected_default, a.term_end, a.allowance_override::text, a.version,
	a.commune_from`

func scanAssignment(r pgx.CollectableRow) (Assignment, error) {
	var a Assignment
	var override *string
	err := r.Scan(&a.Province, &a.ID, &a.CadreID, &a.PositionCode, &a.CommuneCode, &a.HamletCode, &a.StartDate,
		&a.EndDate, &a.Concurrent, &a.Elected, &a.ElectedDefault, &a.TermEnd, &override, &a.Version, &a.CommuneFrom)
	if err == nil && override != nil {
		d, derr := decimal.NewFromString(*override)
		if derr != nil {
			return a, derr
		}
		a.AllowanceOverride = &d
	}
	return a, err
}

// ListAssignments returns one page of a person's assignments; ErrNotFound when the person is not visible.
func (s *Store) ListAssignments(ctx context.Context, p Principal, province, cadreID string, f AssignmentFilter) ([]Assignment, error) {
	var out []Assignment
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if _, err := getCadre(ctx, tx, province, cadreID, false); err != nil {
			return err
		}
		var err error
		out, err = listAssignments(ctx, tx, province, cadreID, f)
		return err
	})
	return out, err
}

func listAssignments(ctx context.Context, tx *Tx, province, cadreID string, f AssignmentFilter) ([]Assignment, error) {
	sql, args := listAssignmentsSQL(province, cadreID, f)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanAssignment)
}

// listAssignmentsSQL is the statement of listAssignments (also sent in GetCadre's batch).
func listAssignmentsSQL(province, cadreID string, f AssignmentFilter) (string, []any) {
	sql := `SELECT ` + assignmentCols + ` FROM assignments a JOIN positions p ON p.code = a.position_code
		WHERE a.province_code = $1 AND a.cadre_id = $2::uuid`
	args := []any{province, cadreID}
	if f.AfterStart != nil {
		args = append(args, *f.AfterStart, f.AfterID)
		sql += ` AND (a.start_date, a.id) > ($3::date, $4::uuid)`
	}
	sql += ` ORDER BY a.start_date, a.id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		sql += fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	return sql, args
}

// GetAssignment returns one assignment of a person.
func (s *Store) GetAssignment(ctx context.Context, p Principal, province, cadreID, id string) (Assignment, error) {
	var out Assignment
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		out, err = getAssignment(ctx, tx, province, cadreID, id, false)
		return err
	})
	return out, err
}

func getAssignment(ctx context.Context, tx *Tx, province, cadreID, id string, lock bool) (Assignment, error) {
	sql := `SELECT ` + assignmentCols + ` FROM assignments a JOIN positions p ON p.code = a.position_code
		WHERE a.province_code = $1 AND a.cadre_id = $2::uuid AND a.id = $3::uuid`
	if lock {
		sql += ` FOR UPDATE OF a`
	}
	rows, err := tx.Query(ctx, sql, province, cadreID, id)
	if err != nil {
		return Assignment{}, err
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAssignment)
	return a, translate(err)
}

// CreateAssignment adds a post to a person after checking the register's rules (see checkAssignment);
// ErrNotFound when the person is not visible, *AssignmentRuleError when a rule is broken.
func (s *Store) CreateAssignment(ctx context.Context, p Principal, a Assignment) (Assignment, error) {
	var out Assignment
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if _, err := getCadre(ctx, tx, a.Province, a.CadreID, false); err != nil {
			return err
		}
		if err := checkAssignment(ctx, tx, a); err != nil {
			return err
		}
		var id string
		err := tx.QueryRow(ctx, `INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, hamlet_code,
			start_date, end_date, concurrent, elected, term_end, allowance_override, commune_from)
			VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12) RETURNING id::text`,
			a.Province, a.CadreID, a.PositionCode, a.CommuneCode, a.HamletCode, a.StartDate, a.EndDate, a.Concurrent,
			a.Elected, a.TermEnd, decimalArg(a.AllowanceOverride), a.CommuneFrom).Scan(&id)
		if err != nil {
			return translate(err)
		}
		if out, err = getAssignment(ctx, tx, a.Province, a.CadreID, id, false); err != nil {
			return err
		}
		return tx.Audit(ctx, a.Province, "create", "assignment", id, nil, out)
	})
	return out, err
}

// UpdateAssignment applies change to the assignment at version, checks the rules again and audits
// before/after; ErrStale when the version moved on.
func (s *Store) UpdateAssignment(ctx context.Context, p Principal, province, cadreID, id string, version int,
	change func(*Assignment) error) (Assignment, error) {
	var out Assignment
	err := s.InTx(ctx, p, func(tx *Tx) error {
		// The hamlet lock of the paid-posts rule comes before the assignment's row lock, in the order an
		// import takes them (see lockHamlets): the hamlet is the one the change leads to.
		_, planned, err := lockAtVersion(version, change, func() (Assignment, error) {
			return getAssignment(ctx, tx, province, cadreID, id, false)
		})
		if err != nil {
			return err
		}
		if planned.HamletCode != nil {
			if _, err := lockHamlets(ctx, tx, province, []string{*planned.HamletCode}); err != nil {
				return err
			}
		}
		before, after, err := lockAtVersion(version, change, func() (Assignment, error) {
			return getAssignment(ctx, tx, province, cadreID, id, true)
		})
		if err != nil {
			return err
		}
		if err := checkAssignment(ctx, tx, after); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE assignments SET position_code = $4, commune_code = $5, hamlet_code = $6,
			start_date = $7, end_date = $8, concurrent = $9, elected = $10, term_end = $11, allowance_override = $12::numeric,
			commune_from = $13, version = version + 1, updated_at = now()
			WHERE province_code = $1 AND cadre_id = $2::uuid AND id = $3::uuid`,
			province, cadreID, id, after.PositionCode, after.CommuneCode, after.HamletCode, after.StartDate, after.EndDate,
			after.Concurrent, after.Elected, after.TermEnd, decimalArg(after.AllowanceOverride), after.CommuneFrom)
		if err != nil {
			return translate(err)
		}
		if out, err = getAssignment(ctx, tx, province, cadreID, id, false); err != nil {
			return err
		}
		return tx.Audit(ctx, province, "update", "assignment", id, before, out)
	})
	return out, err
}

// DeleteAssignment removes an assignment at version and audits it.
func (s *Store) DeleteAssignment(ctx context.Context, p Principal, province, cadreID, id string, version int) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		before, _, err := lockAtVersion(version, nil, func() (Assignment, error) {
			return getAssignment(ctx, tx, province, cadreID, id, true)
		})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM assignments WHERE province_code = $1 AND id = $2::uuid`, province, id); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, province, "delete", "assignment", id, before, nil)
	})
}

// checkAssignment enforces the rules that need the database: the post exists and its level decides which
// unit is named (UnitRule); then the four rules of posts an import checks too, each by its one statement
// (post_rules.go): the post lies within its unit's life, a hamlet never has more than MaxPaidHamletPosts
// paid posts in force at one time, a post has no more holders at once in one unit than the catalogue
// allows, and the person does not hold the same post twice over overlapping periods. The hamlet row is
// locked first, so concurrent assignments to one hamlet are checked one after the other.
func checkAssignment(ctx context.Context, tx *Tx, a Assignment) error {
	var pos Position
	err := tx.QueryRow(ctx, `SELECT code, level, title_vi, title_en, elected_default, paid_hamlet_post FROM positions WHERE code = $1`,
		a.PositionCode).Scan(&pos.Code, &pos.Level, &pos.TitleVI, &pos.TitleEN, &pos.ElectedDefault, &pos.PaidHamletPost)
	if errors.Is(err, pgx.ErrNoRows) {
		return &AssignmentRuleError{Rule: RuleUnknownPosition, Field: "position_code"}
	}
	if err != nil {
		return err
	}
	if e := UnitRule(pos, a.CommuneCode, a.HamletCode); e != nil {
		return e
	}
	if err := checkPostInUnitLife(ctx, tx, a); err != nil {
		return err
	}
	if pos.Level == "hamlet" && pos.PaidHamletPost {
		if err := checkHamletPosts(ctx, tx, a, pos); err != nil {
			return err
		}
	}
	if err := checkMaxHolders(ctx, tx, a); err != nil {
		return err
	}
	return checkOverlap(ctx, tx, a, pos)
}

// lockHamlets locks the named hamlets of a province (FOR UPDATE, in code order) and returns those that
// exist. It is the one lock of the paid-posts rule: every writer that checks the rule — POST and PATCH
// …/assignments (one hamlet) and an import of posts (every hamlet of the file with a paid post, see
// lockStagedHamlets) — takes it before it reads the hamlet's posts and holds it until it commits, so
// the checks of one hamlet run one after the other (each sees what the one before wrote), whichever path
// they come from. Taken in code order and before any assignment row, it cannot deadlock between them.
func lockHamlets(ctx context.Context, tx *Tx, province string, codes []string) ([]UnitRef, error) {
	rows, err := tx.Query(ctx, `SELECT code, name, effective_from, effective_to FROM hamlets
		WHERE province_code = $1 AND code = ANY($2) ORDER BY code FOR UPDATE`, province, codes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (UnitRef, error) {
		var h UnitRef
		err := r.Scan(&h.Code, &h.Name, &h.EffectiveFrom, &h.EffectiveTo)
		return h, err
	})
}

// lockStagedHamlets takes lockHamlets for an import of posts: every hamlet named with a paid post in
// import_stage, before the import's checks read any post.
func lockStagedHamlets(ctx context.Context, tx *Tx) error {
	rows, err := tx.Query(ctx, `SELECT DISTINCT s.hamlet_code FROM import_stage s
		JOIN positions p ON p.code = s.position_code AND p.paid_hamlet_post WHERE s.hamlet_code IS NOT NULL`)
	if err != nil {
		return err
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(codes) == 0 {
		return err
	}
	_, err = lockHamlets(ctx, tx, tx.P.Province, codes)
	return err
}
