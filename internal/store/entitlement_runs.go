package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// Entitlement runs (issue 6, item 4). Like an import job, a run's data work is one transaction that holds
// the run's advisory lock until it ends, so that a reader who can take the lock knows the running session
// died (the run is interrupted). The run row is committed first so that progress is visible; the results
// and the final state are written in the data transaction and commit together.
//
// Reading is set-based: one query lists the matching people (ids), then each batch of people is read with
// two queries (the people, and all their assignments with their units); the schedule in force and the
// province's allowance basis are read once. The computation is the caller's (RunWork.Compute), so that it
// is exactly the one POST cadres/{id}/entitlements runs. Results are written with COPY through a staging
// table (Tx.CopyInsert). Each phase is timed and the durations are stored with the run.

const lockClassEntitlementRun = 4713

// RunFilter narrows a run: people holding, on the day before the exit, a post in a commune (commune posts
// and the posts of its hamlets) and/or at a level; or the people named by ids (whether or not they hold a
// post: the results then say why none applies).
type RunFilter struct {
	CommuneCode   string   `json:"commune_code,omitempty"`
	PositionLevel string   `json:"position_level,omitempty"`
	IDs           []string `json:"ids,omitempty"`
}

// PolicyTotal is the count and total of the people for whom one policy was chosen ("" = none applies).
type PolicyTotal struct {
	Policy string          `json:"policy"`
	People int             `json:"people"`
	Total  decimal.Decimal `json:"total"`
}

// CommuneTotal is the count, eligible count and total of the people whose main post is in one commune
// ("" = no post held).
type CommuneTotal struct {
	CommuneCode string          `json:"commune_code"`
	People      int             `json:"people"`
	Eligible    int             `json:"eligible"`
	Total       decimal.Decimal `json:"total"`
}

// EntitlementRun is the run resource.
type EntitlementRun struct {
	Province        string
	ID              string
	ExitDate        time.Time
	Reason          string
	DecisionDate    *time.Time
	RoadmapEnd      *time.Time
	Filter          RunFilter
	Status          string
	FailureReason   *string
	PeopleTotal     int
	PeopleProcessed int
	PeopleEligible  int
	Total           decimal.Decimal
	ByPolicy        []PolicyTotal
	ByCommune       []CommuneTotal
	RulesetVersion  string
	ReadMS          int
	ComputeMS       int
	WriteMS         int
	KeyID           *int64
	StartedAt       time.Time
	FinishedAt      *time.Time
}

// RunResult is one person's result in a run.
type RunResult struct {
	CadreID          string
	CommuneCode      *string
	HamletCode       *string
	PositionCode     *string
	Level            *string
	MonthlyAllowance *decimal.Decimal
	WorkMonths       *int
	Policy           string
	Total            decimal.Decimal
	Eligible         bool
	Reason           string
}

// RunWork is what the HTTP layer supplies to a run.
type RunWork struct {
	BatchSize      int
	RulesetVersion string
	// Compute turns one batch of people (each with every assignment and the schedule in force on the day
	// before the exit) into one result per person, in the same order.
	Compute func(people []EntitlementPerson) []RunResult
	Started func(EntitlementRun) // called once the run row is visible (running)
}

// runPhases accumulates the time spent in each phase.
type runPhases struct{ read, compute, write time.Duration }

func (ph *runPhases) timed(d *time.Duration, fn func() error) error {
	t := time.Now()
	err := fn()
	*d += time.Since(t)
	return err
}

// RunEntitlements runs one entitlement run to its end and returns the finished run. The run row is made
// running first (inserted and audited, or moved from queued) and finished inside the data transaction. A
// run stopped before its end (its context cancelled: by its editor, by the shutdown; or an error) rolls
// back and is recorded cancelled, failed/interrupted or failed/internal, once its data connection is
// released; the returned error is then the context's cause or the error.
//
// Connections: the data transaction holds one connection of the jobs' pool; the run row and the progress
// are written on a second, short-lived one of the same pool (see Options.JobConns): never on the
// requests' pool.
func (s *Store) RunEntitlements(ctx context.Context, p Principal, run EntitlementRun, w RunWork) (EntitlementRun, error) {
	if p.Role != RoleProvinceEditor {
		return run, ErrNotFound
	}
	if w.BatchSize <= 0 {
		w.BatchSize = 2000
	}
	out, err := s.runEntitlementsConn(ctx, p, run, w)
	if err == nil || errors.Is(err, ErrJobNotQueued) {
		return out, err
	}
	status, reason := jobEnd(ctx)
	if finished, e := s.EndJobAt(ctx, p, "entitlement_run", run.Province, run.ID, status, reason); e == nil && finished != nil {
		out.Status, out.FailureReason, out.FinishedAt = status, reason, finished
	}
	if cause := context.Cause(ctx); ctx.Err() != nil && cause != nil {
		err = cause
	}
	return out, err
}

// insertRun writes a new run row (queued or running) and audits its creation.
func insertRun(ctx context.Context, tx *Tx, run EntitlementRun, status, rulesetVersion string) (time.Time, error) {
	var started time.Time
	filterJSON, err := json.Marshal(run.Filter)
	if err != nil {
		return started, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO entitlement_runs (province_code, id, exit_date, reason, decision_date, roadmap_end,
		filter, status, ruleset_version, api_key_id, request_id, started_at)
		VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, clock_timestamp()) RETURNING started_at`,
		run.Province, run.ID, run.ExitDate, run.Reason, run.DecisionDate, run.RoadmapEnd, filterJSON, status, rulesetVersion,
		tx.P.KeyID, tx.P.RequestID).Scan(&started)
	if err != nil {
		return started, err
	}
	return started, tx.Audit(ctx, run.Province, "create", "entitlement_run", run.ID, nil, map[string]any{
		"exit_date": run.ExitDate.Format(time.DateOnly), "reason": run.Reason, "filter": run.Filter, "status": status})
}

func (s *Store) runEntitlementsConn(ctx context.Context, p Principal, run EntitlementRun, w RunWork) (EntitlementRun, error) {
	conn, err := s.jobPool.Acquire(ctx)
	if err != nil {
		return run, err
	}
	defer conn.Release()
	ptx, err := conn.Begin(ctx)
	if err != nil {
		return run, err
	}
	defer func() { _ = ptx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := ptx.Exec(ctx, `SELECT set_config('app.province', $1, true), set_config('app.role', $2, true),
		set_config('app.key_id', $3, true), pg_advisory_xact_lock($4, hashtext($5)), `+setLocalAppRole,
		p.Province, p.Role, fmt.Sprint(p.KeyID), lockClassEntitlementRun, run.ID); err != nil {
		return run, fmt.Errorf("begin entitlement run: %w", err)
	}
	tx := &Tx{Tx: ptx, P: p, Now: s.now().UTC()}

	// The run row, committed on its own (on a second connection of the jobs' pool, which always has one
	// more than the jobs that may run) so that GET shows it running; the run's advisory lock is already
	// held, so no reader can take it for dead.
	err = s.inTxOn(ctx, s.jobPool, p, func(jtx *Tx) error {
		if run.Status == "queued" {
			tag, err := jtx.Exec(ctx, `UPDATE entitlement_runs SET status = 'running'
				WHERE province_code = $1 AND id = $2::uuid AND status = 'queued'`, run.Province, run.ID)
			if err == nil && tag.RowsAffected() == 0 {
				err = ErrJobNotQueued
			}
			return err
		}
		var err error
		run.StartedAt, err = insertRun(ctx, jtx, run, "running", w.RulesetVersion)
		return err
	})
	if err != nil {
		return run, translate(err)
	}
	run.Status, run.RulesetVersion = "running", w.RulesetVersion
	run.ByPolicy, run.ByCommune = []PolicyTotal{}, []CommuneTotal{}
	if w.Started != nil {
		w.Started(run)
	}
	out, err := s.runEntitlementData(ctx, tx, run, w)
	if err != nil {
		return run, err
	}
	if err := ptx.Commit(ctx); err != nil {
		return run, translate(err)
	}
	return out, nil
}

// runWriteChunk is how many result rows an entitlement run buffers before writing them.
const runWriteChunk = 10000

func (s *Store) runEntitlementData(ctx context.Context, tx *Tx, run EntitlementRun, w RunWork) (EntitlementRun, error) {
	var ph runPhases
	before := run.ExitDate.AddDate(0, 0, -1)
	var (
		ids      []string
		basis    string
		schedule []ScheduleEntry
	)
	err := ph.timed(&ph.read, func() error {
		var err error
		if ids, err = runPeople(ctx, tx, run.Province, before, run.Filter); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT allowance_basis FROM provinces WHERE province_code = $1`, run.Province).Scan(&basis); err != nil {
			return translate(err)
		}
		schedule, err = scheduleInForce(ctx, tx, run.Province, before)
		return err
	})
	if err != nil {
		return run, err
	}
	run.PeopleTotal = len(ids)
	s.runProgress(ctx, tx.P, run.Province, run.ID, 0, len(ids))
	agg := newRunTotals()
	cols := []string{"province_code", "run_id", "cadre_id", "commune_code", "hamlet_code", "position_code", "level",
		"monthly_allowance", "work_months", "policy", "total", "eligible", "reason"}
	var runID pgtype.UUID // binary for COPY (a string would go through a failed plan first)
	if err := runID.Scan(run.ID); err != nil {
		return run, err
	}
	var pending [][]any
	for start := 0; start < len(ids); start += w.BatchSize {
		batch := ids[start:min(start+w.BatchSize, len(ids))]
		var people []EntitlementPerson
		if err := ph.timed(&ph.read, func() error {
			var err error
			people, err = readRunBatch(ctx, tx, run.Province, batch, basis, schedule, before)
			return err
		}); err != nil {
			return run, err
		}
		var results []RunResult
		_ = ph.timed(&ph.compute, func() error { results = w.Compute(people); return nil })
		if len(results) != len(people) {
			return run, fmt.Errorf("entitlement run: %d results for %d people", len(results), len(people))
		}
		err := ph.timed(&ph.write, func() error {
			for _, r := range results {
				agg.add(r)
				var cadre pgtype.UUID
				if err := cadre.Scan(r.CadreID); err != nil {
					return err
				}
				pending = append(pending, []any{run.Province, runID, cadre, r.CommuneCode, r.HamletCode, r.PositionCode, r.Level,
					numericPtr(r.MonthlyAllowance), r.WorkMonths, r.Policy, numeric(r.Total), r.Eligible, r.Reason})
			}
			// Results go to the table in chunks of runWriteChunk rows: each CopyInsert is four statements
			// (staging table, COPY, INSERT … SELECT, TRUNCATE), so fewer, larger chunks cost less.
			if len(pending) >= runWriteChunk || start+len(batch) >= len(ids) {
				if _, err := tx.CopyInsert(ctx, "entitlement_run_results", cols, pgx.CopyFromRows(pending)); err != nil {
					return err
				}
				pending = pending[:0]
			}
			s.runProgress(ctx, tx.P, run.Province, run.ID, start+len(batch), len(ids))
			return nil
		})
		if err != nil {
			return run, err
		}
	}
	err = ph.timed(&ph.write, func() error {
		agg.finish(&run)
		run.PeopleProcessed = run.PeopleTotal
		run.ReadMS, run.ComputeMS, run.WriteMS = int(ph.read.Milliseconds()), int(ph.compute.Milliseconds()), int(ph.write.Milliseconds())
		bp, err := json.Marshal(run.ByPolicy)
		if err != nil {
			return err
		}
		bc, err := json.Marshal(run.ByCommune)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `UPDATE entitlement_runs SET status = 'succeeded', people_total = $3, people_processed = $3,
			people_eligible = $4, total = $5, totals_by_policy = $6, totals_by_commune = $7, read_ms = $8, compute_ms = $9,
			write_ms = $10, finished_at = clock_timestamp()
			WHERE province_code = $1 AND id = $2::uuid RETURNING finished_at`,
			run.Province, run.ID, run.PeopleTotal, run.PeopleEligible, run.Total, bp, bc, run.ReadMS, run.ComputeMS, run.WriteMS).
			Scan(&run.FinishedAt)
		if err != nil {
			return translate(err)
		}
		run.Status = "succeeded"
		return tx.Audit(ctx, run.Province, "update", "entitlement_run", run.ID, map[string]any{"status": "running"},
			map[string]any{"status": run.Status, "people_total": run.PeopleTotal, "people_eligible": run.PeopleEligible,
				"total": run.Total.String()})
	})
	return run, err
}

// runProgress writes people_processed (and people_total) in a transaction of its own, so that GET sees it
// while the run's data transaction is open (best effort, on the jobs' pool; see jobProgress).
func (s *Store) runProgress(ctx context.Context, p Principal, province, id string, done, total int) {
	s.jobProgress(ctx, p, `UPDATE entitlement_runs SET people_processed = $3, people_total = $4
		WHERE province_code = $1 AND id = $2::uuid AND status = 'running'`, province, id, done, total)
}

// runPeople lists, in one query, the ids of the people a run covers, in id order (a hamlet post by its
// hamlet's commune on the date).
func runPeople(ctx context.Context, tx *Tx, province string, before time.Time, f RunFilter) ([]string, error) {
	posts := `EXISTS (SELECT 1 FROM assignments a JOIN positions p ON p.code = a.position_code
		LEFT JOIN hamlets h ON h.province_code = a.province_code AND h.code = a.hamlet_code
		LEFT JOIN hamlet_history hv ON hv.province_code = h.province_code AND hv.hamlet_code = h.code
		  AND hv.valid_from <= $2 AND (hv.valid_to IS NULL OR hv.valid_to >= $2)
		WHERE a.province_code = c.province_code AND a.cadre_id = c.id
		AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)
		AND ($3 = '' OR coalesce(a.commune_code, hv.commune_code, h.commune_code) = $3) AND ($4 = '' OR p.level = $4))
		AND NOT EXISTS (SELECT 1 FROM cadre_status_history so WHERE ` + statusOutOn("so", "c.province_code", "c.id", "$2") + `)`
	where := posts
	args := []any{province, before, f.CommuneCode, f.PositionLevel}
	if len(f.IDs) > 0 {
		args = append(args, f.IDs)
		where = `c.id = ANY($5::uuid[])`
		if f.CommuneCode != "" || f.PositionLevel != "" {
			where += ` AND ` + posts
		} else {
			where += ` AND $2::date IS NOT NULL AND $3::text IS NOT NULL AND $4::text IS NOT NULL`
		}
	}
	rows, err := tx.Query(ctx, `SELECT c.id::text FROM cadres c WHERE c.province_code = $1 AND `+where+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// readRunBatch reads one batch of people and all their assignments (with their units) in two queries.
func readRunBatch(ctx context.Context, tx *Tx, province string, ids []string, basis string, schedule []ScheduleEntry,
	valuesOn time.Time) ([]EntitlementPerson, error) {
	rows, err := tx.Query(ctx, `SELECT c.id::text, c.full_name, c.gender, c.birth_date, c.si_months, `+personStatusCols+`, `+personLawCols+`
		FROM cadres c LEFT JOIN cadre_status_history so ON `+statusOutOn("so", "c.province_code", "c.id", "$3::date")+`
		WHERE c.province_code = $1 AND c.id = ANY($2::uuid[]) ORDER BY c.id`, province, ids, valuesOn)
	if err != nil {
		return nil, err
	}
	people, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EntitlementPerson, error) {
		p := EntitlementPerson{AllowanceBasis: basis, Schedule: schedule}
		err := r.Scan(append([]any{&p.CadreID, &p.FullName, &p.Gender, &p.BirthDate, &p.SIMonths, &p.Status, &p.StatusFrom}, p.lawDest()...)...)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT `+personPostCols+`
		WHERE a.province_code = $1 AND a.cadre_id = ANY($2::uuid[])
		ORDER BY a.cadre_id, a.start_date, a.concurrent, a.id`, province, ids, valuesOn)
	if err != nil {
		return nil, err
	}
	posts, err := pgx.CollectRows(rows, scanPersonPost)
	if err != nil {
		return nil, err
	}
	// Both lists are in cadre id order: merge.
	j := 0
	for i := range people {
		for j < len(posts) && posts[j].CadreID < people[i].CadreID {
			j++
		}
		k := j
		for k < len(posts) && posts[k].CadreID == people[i].CadreID {
			k++
		}
		people[i].Posts = posts[j:k:k]
		j = k
	}
	return people, nil
}

// numeric encodes a decimal for COPY directly (a decimal.Decimal goes through driver.Valuer, a string and
// a failed plan first).
func numeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func numericPtr(d *decimal.Decimal) pgtype.Numeric {
	if d == nil {
		return pgtype.Numeric{}
	}
	return numeric(*d)
}

// runTotals aggregates results by policy and by commune.
type runTotals struct {
	byPolicy  map[string]*PolicyTotal
	byCommune map[string]*CommuneTotal
	eligible  int
	total     decimal.Decimal
}

func newRunTotals() *runTotals {
	return &runTotals{byPolicy: map[string]*PolicyTotal{}, byCommune: map[string]*CommuneTotal{}}
}

func (t *runTotals) add(r RunResult) {
	pt := t.byPolicy[r.Policy]
	if pt == nil {
		pt = &PolicyTotal{Policy: r.Policy}
		t.byPolicy[r.Policy] = pt
	}
	pt.People++
	pt.Total = pt.Total.Add(r.Total)
	code := ""
	if r.CommuneCode != nil {
		code = *r.CommuneCode
	}
	ct := t.byCommune[code]
	if ct == nil {
		ct = &CommuneTotal{CommuneCode: code}
		t.byCommune[code] = ct
	}
	ct.People++
	ct.Total = ct.Total.Add(r.Total)
	if r.Eligible {
		ct.Eligible++
		t.eligible++
	}
	t.total = t.total.Add(r.Total)
}

func (t *runTotals) finish(run *EntitlementRun) {
	run.ByPolicy = make([]PolicyTotal, 0, len(t.byPolicy))
	for _, v := range t.byPolicy {
		run.ByPolicy = append(run.ByPolicy, *v)
	}
	sort.Slice(run.ByPolicy, func(i, j int) bool { return run.ByPolicy[i].Policy < run.ByPolicy[j].Policy })
	run.ByCommune = make([]CommuneTotal, 0, len(t.byCommune))
	for _, v := range t.byCommune {
		run.ByCommune = append(run.ByCommune, *v)
	}
	sort.Slice(run.ByCommune, func(i, j int) bool { return run.ByCommune[i].CommuneCode < run.ByCommune[j].CommuneCode })
	run.PeopleEligible, run.Total = t.eligible, t.total
}
