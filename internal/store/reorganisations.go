package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// A reorganisation (issue 11 item 5) is read, planned and, for an apply, written in one transaction: the
// store reads what the mapping touches (ReorgData), the caller plans it with the rules engine (pure Go, in
// internal/reorg) and returns ReorgActions, and the store writes them with one reorganisations row, one
// audit row for the whole and one per record it creates or changes (before and after). The store knows which rows to touch, never why.

// ReorgUnit is a commune-level unit with the attributes in force on the date it was read for.
type ReorgUnit struct {
	Code, Name, Kind         string
	From                     time.Time
	To                       *time.Time
	Class                    int
	KeySecurityOrder, Border bool
	Island                   bool
	SuccessorCode            *string
}

// Key is the unit's identity.
func (u ReorgUnit) Key() UnitKey { return UnitKey{Code: u.Code, From: u.From} }

// ReorgHamlet is a hamlet with the values in force on the date it was read for and its commune's flags.
type ReorgHamlet struct {
	ReportHamlet
	CommuneFrom   time.Time
	From          time.Time
	To            *time.Time
	CommuneBorder bool
	CommuneIsland bool
	CommuneClass  int
}

// ReorgPost is a post held on the reorganisation's effective date in a unit it touches.
type ReorgPost struct {
	AssignmentID, CadreID, FullName, PositionCode, Level string
	TitleVI, TitleEN                                     string
	PaidHamletPost                                       bool
	MaxPerUnit                                           *int
	CommuneCode                                          *string
	CommuneFrom                                          *time.Time
	HamletCode                                           *string
	Start                                                time.Time
	End                                                  *time.Time
}

// ReorgData is what a reorganisation reads.
type ReorgData struct {
	CommunePostsEnd *time.Time  // the province's own end of its commune-level posts, if recorded
	OldUnits        []ReorgUnit // commune level: units of the mapping's old codes in force the day before
	NewUnits        []ReorgUnit // commune level: units of the mapping's new codes in force on the date
	Hamlets         []ReorgHamlet
	Posts           []ReorgPost
	// Held (hamlet level) is every post of the mapping's hamlets in force on or after the date, whatever
	// its start: what a moved post is counted against (one holder per post, three paid posts per hamlet).
	Held []ReorgPost
}

// ReorgRequest says what to read.
type ReorgRequest struct {
	Province    string
	Level       string // commune | hamlet
	Effective   time.Time
	OldCodes    []string
	NewCodes    []string
	RequestHash []byte // SHA-256 of the normalised request: the apply's idempotency key
}

// ReorgActions is what an apply writes.
type ReorgActions struct {
	CreateUnits   []ReorgUnit
	CloseUnits    []ReorgClose // commune level
	Links         []LineageLink
	CreateHamlets []Hamlet
	HamletChanges []Hamlet // merged-into hamlets' new values from the effective date (hamlet_history)
	MoveHamlets   []ReorgMove
	CloseHamlets  []ReorgClose // hamlet level
	SplitPosts    []ReorgPostSplit
	EndPosts      []ReorgPostEnd
}

// changesUnits reports whether the actions change anything besides lineage links (which may already be
// recorded, e.g. by the reference-units load).
func (a ReorgActions) changesUnits() bool {
	return len(a.CreateUnits)+len(a.CloseUnits)+len(a.CreateHamlets)+len(a.HamletChanges)+len(a.MoveHamlets)+
		len(a.CloseHamlets)+len(a.SplitPosts)+len(a.EndPosts) > 0
}

// ReorgClose ends a unit (or hamlet) on To, naming its single whole successor where there is one.
type ReorgClose struct {
	Code      string
	From      time.Time
	To        time.Time
	Successor *string
}

// ReorgMove puts a hamlet under another commune-level unit.
type ReorgMove struct {
	HamletCode  string
	CommuneCode string
	CommuneFrom time.Time
}

// ReorgPostSplit ends a post on OldEnd in its unit and continues it from NewStart in another (to NewEnd).
type ReorgPostSplit struct {
	AssignmentID string
	OldEnd       time.Time
	NewStart     time.Time
	NewEnd       *time.Time
	CommuneCode  *string
	CommuneFrom  *time.Time
	HamletCode   *string
}

// ReorgPostEnd ends a post on End.
type ReorgPostEnd struct {
	AssignmentID string
	End          time.Time
}

// ReorgPlanner plans a reorganisation from what was read; people reads the named people (with all their
// posts and the schedule in force on the day before the effective date) for the exit computations. It
// returns the actions and the summary the response shows (stored with an apply).
type ReorgPlanner func(d ReorgData, people PeopleReader) (ReorgActions, any, error)

// PeopleReader reads people with all their posts and the province's schedule in force on scheduleOn.
type PeopleReader func(ids []string, scheduleOn time.Time) ([]EntitlementPerson, error)

// ErrReorgApplied carries the summary of an identical apply made before.
type ErrReorgApplied struct {
	ID      string
	Summary json.RawMessage
}

func (e *ErrReorgApplied) Error() string { return "reorganisation already applied: " + e.ID }

// lockClassReorganisations serialises a province's reorganisations (and their preview reads against an
// apply in progress do not need it: they read a snapshot).
const lockClassReorganisations = 4731

// PreviewReorganisation reads and plans in one read-only transaction.
func (s *Store) PreviewReorganisation(ctx context.Context, p Principal, req ReorgRequest, plan ReorgPlanner) (any, error) {
	var summary any
	err := s.Heavy(ctx, req.Province, func() error {
		return s.InTx(ctx, p, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, `SET TRANSACTION READ ONLY`); err != nil {
				return err
			}
			d, people, err := readReorg(ctx, tx, req)
			if err != nil {
				return err
			}
			acts, sum, err := plan(d, people)
			if err != nil {
				return err
			}
			// The apply's last check, on the rows as they are: what it would refuse, the preview refuses.
			if err := checkReorgChildren(ctx, tx, acts, plannedChildren(d)); err != nil {
				return err
			}
			summary = sum
			return nil
		})
	})
	return summary, err
}

// ApplyReorganisation reads, plans and writes in one transaction with one audit row. An identical request
// applied before is *ErrReorgApplied with the first apply's summary, and nothing is written.
func (s *Store) ApplyReorganisation(ctx context.Context, p Principal, req ReorgRequest, plan ReorgPlanner, withID func(summary any, id string) any) (any, error) {
	var out any
	err := s.Heavy(ctx, req.Province, func() error { return s.applyReorganisation(ctx, p, req, plan, withID, &out) })
	return out, err
}

func (s *Store) applyReorganisation(ctx context.Context, p Principal, req ReorgRequest, plan ReorgPlanner, withID func(summary any, id string) any, out *any) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClassReorganisations, req.Province); err != nil {
			return err
		}
		if err := lockSuccessorChains(ctx, tx, "communes", req.Province); err != nil {
			return err
		}
		if err := lockSuccessorChains(ctx, tx, "hamlets", req.Province); err != nil {
			return err
		}
		if err := lockReorg(ctx, tx, req); err != nil {
			return err
		}
		var prev ErrReorgApplied
		err := tx.QueryRow(ctx, `SELECT id::text, summary FROM reorganisations
			WHERE province_code = $1 AND level = $2 AND effective_date = $3 AND request_hash = $4`,
			req.Province, req.Level, req.Effective, req.RequestHash).Scan(&prev.ID, &prev.Summary)
		if err == nil {
			return &prev
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		d, people, err := readReorg(ctx, tx, req)
		if err != nil {
			return err
		}
		acts, summary, err := plan(d, people)
		if err != nil {
			return err
		}
		if !acts.changesUnits() {
			// Nothing but links: when they are all recorded already, the register already says what this
			// reorganisation says, and the apply writes nothing (no row, no audit entry).
			n, err := InsertLineage(ctx, tx, req.Province, acts.Links)
			if err != nil {
				return err
			}
			if n == 0 {
				*out = withID(summary, "")
				return nil
			}
		}
		if err := recordAudit(ctx, tx, "reorganisation"); err != nil {
			return err
		}
		if err := writeReorg(ctx, tx, req, acts); err != nil {
			return err
		}
		if err := endRecordAudit(ctx, tx); err != nil {
			return err
		}
		if err := checkReorgPosts(ctx, tx, req.Province, acts.SplitPosts); err != nil {
			return err
		}
		if err := checkReorgChildren(ctx, tx, acts, nil); err != nil {
			return err
		}
		var id string
		if err := tx.QueryRow(ctx, `SELECT gen_random_uuid()::text`).Scan(&id); err != nil {
			return err
		}
		*out = withID(summary, id)
		body, err := json.Marshal(*out)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO reorganisations (province_code, id, level, effective_date, request_hash, summary, api_key_id, request_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, req.Province, id, req.Level, req.Effective, req.RequestHash, body, tx.P.KeyID, tx.P.RequestID); err != nil {
			return translate(err)
		}
		// The audit entry says what changed in counts; each changed unit, hamlet and post has its own row with
		// before and after (recordAudit); the whole answer is the reorganisations row's summary.
		return tx.Audit(ctx, req.Province, "create", "reorganisation", id, nil, map[string]any{
			"level": req.Level, "effective_date": req.Effective.Format(time.DateOnly),
			"units_created": len(acts.CreateUnits), "units_closed": len(acts.CloseUnits), "lineage_links": len(acts.Links),
			"hamlets_created": len(acts.CreateHamlets), "hamlets_changed": len(acts.HamletChanges), "hamlets_moved": len(acts.MoveHamlets),
			"hamlets_closed": len(acts.CloseHamlets), "posts_split": len(acts.SplitPosts), "posts_ended": len(acts.EndPosts)})
	})
}

// lockReorg locks, before anything is read for the plan, every row the plan reads and the apply writes:
// the units of the mapping (commune level: the old and new units, and the hamlets of the old ones; hamlet
// level: the old and new hamlets), then the posts held in them, in code order. The transaction stays
// READ COMMITTED, so each later read sees every write committed before the locks were granted, and no
// write that touches those rows can commit until the apply does: a post created in a merging unit
// (its foreign key and checkPostInUnitLife take FOR KEY SHARE on the unit) waits, then sees the unit
// closed. (REPEATABLE READ would not do: its snapshot is taken by the transaction's first statement,
// before the locks, and would miss a post committed in between.) A deadlock with such a writer is
// retried by InTx.
func lockReorg(ctx context.Context, tx *Tx, req ReorgRequest) error {
	codes := append(append([]string(nil), req.OldCodes...), req.NewCodes...)
	p, on := req.Province, req.Effective
	type lock struct {
		sql  string
		args []any
	}
	locks := []lock{
		{`SELECT 1 FROM hamlets WHERE province_code = $1 AND code = ANY($2) ORDER BY code FOR UPDATE`, []any{p, codes}},
		{`SELECT 1 FROM assignments WHERE province_code = $1 AND hamlet_code = ANY($2) AND (end_date IS NULL OR end_date >= $3)
			ORDER BY id FOR UPDATE`, []any{p, codes, on}},
	}
	if req.Level == "commune" {
		locks = []lock{
			{`SELECT 1 FROM communes WHERE province_code = $1 AND code = ANY($2) ORDER BY code, effective_from FOR UPDATE`, []any{p, codes}},
			{`SELECT 1 FROM hamlets WHERE province_code = $1 AND commune_code = ANY($2) ORDER BY code FOR UPDATE`, []any{p, codes}},
			{`SELECT 1 FROM assignments WHERE province_code = $1 AND (end_date IS NULL OR end_date >= $3)
			   AND (commune_code = ANY($2) OR hamlet_code IN (SELECT code FROM hamlets h WHERE h.province_code = $1 AND h.commune_code = ANY($2)))
			 ORDER BY id FOR UPDATE`, []any{p, codes, on}},
		}
	}
	for _, l := range locks {
		if _, err := tx.Exec(ctx, l.sql, l.args...); err != nil {
			return err
		}
	}
	return nil
}

// readReorg reads what a reorganisation touches, set-wise: a whole province's units, hamlets, posts and
// people at once. Nested loops are off, as for imports: right after a large load (the reference units,
// an import) the statistics are stale and the planner, expecting one row, rescans the province's units
// per post (0.2 s instead of 10 ms for the demo province's 971 posts). And each statement is planned for
// its own arguments (as planEachTime): from a connection's sixth preview on, the generic plan compared
// every post with each element of the arrays of codes and people (= ANY($n) of a parameter is a linear
// search; of a constant, a hash), 45 and 280 ms of database CPU instead of 8 and 4 ms for province 08.
func readReorg(ctx context.Context, tx *Tx, req ReorgRequest) (ReorgData, PeopleReader, error) {
	var d ReorgData
	if _, err := tx.Exec(ctx, `SET LOCAL enable_nestloop = off; SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
		return d, nil, err
	}
	before := req.Effective.AddDate(0, 0, -1)
	var basis string
	if err := tx.QueryRow(ctx, `SELECT commune_posts_end, allowance_basis FROM provinces WHERE province_code = $1`, req.Province).
		Scan(&d.CommunePostsEnd, &basis); err != nil {
		return d, nil, translate(err)
	}
	var err error
	if req.Level == "commune" {
		if d.OldUnits, err = readReorgUnits(ctx, tx, req.Province, before, req.OldCodes); err != nil {
			return d, nil, err
		}
		if d.NewUnits, err = readReorgUnits(ctx, tx, req.Province, req.Effective, req.NewCodes); err != nil {
			return d, nil, err
		}
		// The hamlets of the old units still in force on the date, with their posts held on it.
		rows, err := tx.Query(ctx, `SELECT `+reorgHamletCols+`
			FROM hamlets_at($2) h JOIN communes_at($2) c ON c.province_code = h.province_code AND c.code = h.commune_code AND c.effective_from = h.commune_from
			WHERE h.province_code = $1 AND h.commune_code = ANY($3) AND (h.effective_to IS NULL OR h.effective_to >= $4)
			ORDER BY h.code`, req.Province, before, req.OldCodes, req.Effective)
		if err != nil {
			return d, nil, err
		}
		if d.Hamlets, err = pgx.CollectRows(rows, scanReorgHamlet); err != nil {
			return d, nil, err
		}
	} else {
		codes := append(append([]string(nil), req.OldCodes...), req.NewCodes...)
		rows, err := tx.Query(ctx, `SELECT `+reorgHamletCols+`
			FROM hamlets_at($2) h JOIN communes_at($2) c ON c.province_code = h.province_code AND c.code = h.commune_code AND c.effective_from = h.commune_from
			WHERE h.province_code = $1 AND h.code = ANY($3)
			ORDER BY h.code`, req.Province, before, codes)
		if err != nil {
			return d, nil, err
		}
		if d.Hamlets, err = pgx.CollectRows(rows, scanReorgHamlet); err != nil {
			return d, nil, err
		}
	}
	hamletCodes := make([]string, len(d.Hamlets))
	for i, h := range d.Hamlets {
		hamletCodes[i] = h.Code
	}
	communeCodes, communeFroms := []string{}, []time.Time{}
	for _, u := range d.OldUnits {
		communeCodes, communeFroms = append(communeCodes, u.Code), append(communeFroms, u.From)
	}
	rows, err := tx.Query(ctx, `SELECT `+reorgPostCols+`
		FROM assignments a JOIN positions p ON p.code = a.position_code
		JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		WHERE a.province_code = $1 AND a.start_date < $2 AND (a.end_date IS NULL OR a.end_date >= $2)
		  AND (a.hamlet_code = ANY($3)
		    OR (a.commune_code, a.commune_from) IN (SELECT * FROM unnest($4::text[], $5::date[])))
		ORDER BY a.cadre_id, a.start_date, a.id`, req.Province, req.Effective, hamletCodes, communeCodes, communeFroms)
	if err != nil {
		return d, nil, err
	}
	if d.Posts, err = pgx.CollectRows(rows, scanReorgPost); err != nil {
		return d, nil, err
	}
	if req.Level == "hamlet" {
		if d.Held, err = readHeldPosts(ctx, tx, req.Province, req.Effective, hamletCodes); err != nil {
			return d, nil, err
		}
	}
	people := func(ids []string, scheduleOn time.Time) ([]EntitlementPerson, error) {
		if len(ids) == 0 {
			return nil, nil
		}
		schedule, err := scheduleInForce(ctx, tx, req.Province, scheduleOn)
		if err != nil {
			return nil, err
		}
		return readRunBatch(ctx, tx, req.Province, ids, basis, schedule, scheduleOn)
	}
	return d, people, nil
}

const reorgPostCols = `a.id::text, a.cadre_id::text, c.full_name, a.position_code, p.level, p.title_vi, p.title_en,
	p.paid_hamlet_post, p.max_per_unit, a.commune_code, a.commune_from, a.hamlet_code, a.start_date, a.end_date`

func scanReorgPost(r pgx.CollectableRow) (ReorgPost, error) {
	var p ReorgPost
	err := r.Scan(&p.AssignmentID, &p.CadreID, &p.FullName, &p.PositionCode, &p.Level, &p.TitleVI, &p.TitleEN,
		&p.PaidHamletPost, &p.MaxPerUnit, &p.CommuneCode, &p.CommuneFrom, &p.HamletCode, &p.Start, &p.End)
	return p, err
}

// readHeldPosts reads every post of the hamlets in force on or after on, whatever its start.
func readHeldPosts(ctx context.Context, tx *Tx, province string, on time.Time, hamlets []string) ([]ReorgPost, error) {
	rows, err := tx.Query(ctx, `SELECT `+reorgPostCols+`
		FROM assignments a JOIN positions p ON p.code = a.position_code
		JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		WHERE a.province_code = $1 AND a.hamlet_code = ANY($3) AND (a.end_date IS NULL OR a.end_date >= $2)
		ORDER BY a.start_date, a.id`, province, on, hamlets)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanReorgPost)
}

const reorgHamletCols = `h.code, h.commune_code, h.name, h.kind, h.households, h.key_security_order, h.border_or_island,
	h.converted_from_thon, h.commune_from, h.effective_from, h.effective_to, c.border, c.island, c.class`

func scanReorgHamlet(r pgx.CollectableRow) (ReorgHamlet, error) {
	var h ReorgHamlet
	err := r.Scan(&h.Code, &h.CommuneCode, &h.Name, &h.Kind, &h.Households, &h.KeySecurityOrder, &h.BorderOrIsland,
		&h.ConvertedFromThon, &h.CommuneFrom, &h.From, &h.To, &h.CommuneBorder, &h.CommuneIsland, &h.CommuneClass)
	h.InForce = true
	return h, err
}

func readReorgUnits(ctx context.Context, tx *Tx, province string, on time.Time, codes []string) ([]ReorgUnit, error) {
	rows, err := tx.Query(ctx, `SELECT code, name, kind, effective_from, effective_to, class, key_security_order, border, island, successor_code
		FROM communes_at($2) WHERE province_code = $1 AND code = ANY($3) ORDER BY code`, province, on, codes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReorgUnit, error) {
		var u ReorgUnit
		err := r.Scan(&u.Code, &u.Name, &u.Kind, &u.From, &u.To, &u.Class, &u.KeySecurityOrder, &u.Border, &u.Island, &u.SuccessorCode)
		return u, err
	})
}

// writeReorg writes the actions set-wise (one statement per kind of change), in an order that keeps every
// foreign key satisfied: new units and hamlets, lineage, moves, posts, then closures.
func writeReorg(ctx context.Context, tx *Tx, req ReorgRequest, a ReorgActions) error {
	p := req.Province
	exec := func(what, sql string, args ...any) error {
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("reorganisation: %s: %w", what, translate(err))
		}
		return nil
	}
	if n := len(a.CreateUnits); n > 0 {
		codes, names, kinds, froms, classes := make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n), make([]int32, n)
		for i, u := range a.CreateUnits {
			codes[i], names[i], kinds[i], froms[i], classes[i] = u.Code, u.Name, u.Kind, u.From, int32(u.Class)
		}
		if err := exec("create units", `INSERT INTO communes (province_code, code, name, kind, class, effective_from)
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::date[])`, p, codes, names, kinds, classes, froms); err != nil {
			return err
		}
	}
	if _, err := InsertLineage(ctx, tx, p, a.Links); err != nil {
		return err
	}
	for _, h := range a.CreateHamlets {
		if err := exec("create hamlet", `INSERT INTO hamlets (province_code, code, commune_code, commune_from, name, kind, households,
			key_security_order, border_or_island, converted_from_thon, effective_from)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, p, h.Code, h.CommuneCode, h.CommuneFrom, h.Name, h.Kind,
			h.Households, h.KeySecurityOrder, h.BorderOrIsland, h.ConvertedFromThon, h.EffectiveFrom); err != nil {
			return err
		}
	}
	for _, after := range a.HamletChanges {
		before, err := getHamlet(ctx, tx, p, after.Code, true)
		if err != nil {
			return err
		}
		next := before
		next.Households = after.Households
		if err := recordHamletVersion(ctx, tx, before, next, &req.Effective); err != nil {
			return err
		}
		if err := exec("merge households", `UPDATE hamlets SET households = $3, version = version + 1, updated_at = now()
			WHERE province_code = $1 AND code = $2`, p, after.Code, after.Households); err != nil {
			return err
		}
	}
	if n := len(a.MoveHamlets); n > 0 {
		codes, communes, froms := make([]string, n), make([]string, n), make([]time.Time, n)
		for i, m := range a.MoveHamlets {
			codes[i], communes[i], froms[i] = m.HamletCode, m.CommuneCode, m.CommuneFrom
		}
		if err := recordHamletMoves(ctx, tx, p, req.Effective, codes, communes, froms); err != nil {
			return fmt.Errorf("reorganisation: move hamlets: %w", err)
		}
		if err := exec("move hamlets", `UPDATE hamlets h SET commune_code = m.c, commune_from = m.f, version = h.version + 1, updated_at = now()
			FROM unnest($2::text[], $3::text[], $4::date[]) AS m(code, c, f)
			WHERE h.province_code = $1 AND h.code = m.code`, p, codes, communes, froms); err != nil {
			return err
		}
	}
	if n := len(a.SplitPosts); n > 0 {
		ids, oldEnds, starts, ends := make([]string, n), make([]time.Time, n), make([]time.Time, n), make([]*time.Time, n)
		communes, communeFroms, hamlets := make([]*string, n), make([]*time.Time, n), make([]*string, n)
		for i, s := range a.SplitPosts {
			ids[i], oldEnds[i], starts[i], ends[i] = s.AssignmentID, s.OldEnd, s.NewStart, s.NewEnd
			communes[i], communeFroms[i], hamlets[i] = s.CommuneCode, s.CommuneFrom, s.HamletCode
		}
		if err := exec("end moved posts", `UPDATE assignments a SET end_date = s.e, version = a.version + 1, updated_at = now()
			FROM unnest($2::uuid[], $3::date[]) AS s(id, e) WHERE a.province_code = $1 AND a.id = s.id`, p, ids, oldEnds); err != nil {
			return err
		}
		if err := exec("continue moved posts", `INSERT INTO assignments (province_code, cadre_id, position_code, commune_code, commune_from,
				hamlet_code, start_date, end_date, concurrent, elected, term_end, allowance_override)
			SELECT a.province_code, a.cadre_id, a.position_code, s.c, s.cf, s.h, s.st, s.en, a.concurrent, a.elected, a.term_end, a.allowance_override
			FROM unnest($2::uuid[], $3::date[], $4::date[], $5::text[], $6::date[], $7::text[]) AS s(id, st, en, c, cf, h)
			JOIN assignments a ON a.province_code = $1 AND a.id = s.id`, p, ids, starts, ends, communes, communeFroms, hamlets); err != nil {
			return err
		}
	}
	if n := len(a.EndPosts); n > 0 {
		ids, ends := make([]string, n), make([]time.Time, n)
		for i, e := range a.EndPosts {
			ids[i], ends[i] = e.AssignmentID, e.End
		}
		if err := exec("end posts", `UPDATE assignments a SET end_date = s.e, version = a.version + 1, updated_at = now()
			FROM unnest($2::uuid[], $3::date[]) AS s(id, e) WHERE a.province_code = $1 AND a.id = s.id`, p, ids, ends); err != nil {
			return err
		}
	}
	if n := len(a.CloseUnits); n > 0 {
		codes, froms, tos, succ := make([]string, n), make([]time.Time, n), make([]time.Time, n), make([]*string, n)
		for i, c := range a.CloseUnits {
			codes[i], froms[i], tos[i], succ[i] = c.Code, c.From, c.To, c.Successor
		}
		if err := exec("close units", `UPDATE communes c SET effective_to = s.t, successor_code = coalesce(s.sc, c.successor_code),
				version = c.version + 1, updated_at = now()
			FROM unnest($2::text[], $3::date[], $4::date[], $5::text[]) AS s(code, f, t, sc)
			WHERE c.province_code = $1 AND c.code = s.code AND c.effective_from = s.f`, p, codes, froms, tos, succ); err != nil {
			return err
		}
	}
	if n := len(a.CloseHamlets); n > 0 {
		codes, tos, succ := make([]string, n), make([]time.Time, n), make([]*string, n)
		for i, c := range a.CloseHamlets {
			codes[i], tos[i], succ[i] = c.Code, c.To, c.Successor
		}
		if err := exec("close hamlets", `UPDATE hamlets h SET effective_to = s.t, successor_code = coalesce(s.sc, h.successor_code),
				version = h.version + 1, updated_at = now()
			FROM unnest($2::text[], $3::date[], $4::text[]) AS s(code, t, sc)
			WHERE h.province_code = $1 AND h.code = s.code`, p, codes, tos, succ); err != nil {
			return err
		}
	}
	return nil
}
