package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

const entitlementRunCols = `province_code, id::text, exit_date, reason, decision_date, roadmap_end, filter, status, failure_reason,
	people_total, people_processed, people_eligible, total::text, totals_by_policy, totals_by_commune, ruleset_version,
	read_ms, compute_ms, write_ms, api_key_id, started_at, finished_at`

func scanEntitlementRun(r pgx.CollectableRow) (EntitlementRun, error) {
	var (
		run                   EntitlementRun
		filter, byPol, byComm []byte
		total                 string
	)
	err := r.Scan(&run.Province, &run.ID, &run.ExitDate, &run.Reason, &run.DecisionDate, &run.RoadmapEnd, &filter, &run.Status,
		&run.FailureReason, &run.PeopleTotal, &run.PeopleProcessed, &run.PeopleEligible, &total, &byPol, &byComm,
		&run.RulesetVersion, &run.ReadMS, &run.ComputeMS, &run.WriteMS, &run.KeyID, &run.StartedAt, &run.FinishedAt)
	if err != nil {
		return run, err
	}
	if run.Total, err = decimal.NewFromString(total); err != nil {
		return run, err
	}
	for _, f := range []struct {
		b []byte
		v any
	}{{filter, &run.Filter}, {byPol, &run.ByPolicy}, {byComm, &run.ByCommune}} {
		if err := json.Unmarshal(f.b, f.v); err != nil {
			return run, err
		}
	}
	if run.ByPolicy == nil {
		run.ByPolicy = []PolicyTotal{}
	}
	if run.ByCommune == nil {
		run.ByCommune = []CommuneTotal{}
	}
	return run, nil
}

// markRunsInterrupted fails the runs of a province whose server is gone: running, and its session's advisory
// lock can be taken; or queued, and not confirmed by its server for queuedStale. The policy
// entitlement_runs_mark_interrupted asks the same (migration 0010).
const markRunsInterrupted = `UPDATE entitlement_runs SET status = 'failed', failure_reason = 'interrupted', finished_at = clock_timestamp()
	WHERE province_code = $1 AND ($2::uuid IS NULL OR id = $2::uuid)
	AND ((status = 'running' AND pg_try_advisory_xact_lock(4713, hashtext(id::text)))
	OR (status = 'queued' AND queued_seen_at < now() - interval '` + queuedStale + `'))`

// GetEntitlementRun returns one run (marking it interrupted first when its session died).
func (s *Store) GetEntitlementRun(ctx context.Context, p Principal, province, id string) (EntitlementRun, error) {
	var out EntitlementRun
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if !validUUID(id) {
			return ErrNotFound
		}
		if _, err := tx.Exec(ctx, markRunsInterrupted, province, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+entitlementRunCols+` FROM entitlement_runs WHERE province_code = $1 AND id = $2::uuid`, province, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, scanEntitlementRun)
		return translate(err)
	})
	return out, err
}

// ListEntitlementRuns returns the province's runs, newest first; before is a cursor (started_at|id).
func (s *Store) ListEntitlementRuns(ctx context.Context, p Principal, province string, limit int, before string) ([]EntitlementRun, error) {
	var out []EntitlementRun
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, markRunsInterrupted, province, nil); err != nil {
			return err
		}
		cond, args := startedBefore(before, []any{province, limit})
		rows, err := tx.Query(ctx, `SELECT `+entitlementRunCols+` FROM entitlement_runs WHERE province_code = $1`+cond+
			` ORDER BY started_at DESC, id DESC LIMIT $2`, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanEntitlementRun)
		return err
	})
	return out, err
}

// Cursor is the list cursor of a run.
func (r EntitlementRun) Cursor() string { return r.StartedAt.Format(time.RFC3339Nano) + "|" + r.ID }

// RunResultRow is one line of results.csv: a result with the person's name.
type RunResultRow struct {
	RunResult
	FullName string
}

// EntitlementRunResults returns the per-person results of a run, by commune, then name.
func (s *Store) EntitlementRunResults(ctx context.Context, p Principal, province, id string) ([]RunResultRow, error) {
	var out []RunResultRow
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT r.cadre_id::text, coalesce(c.full_name, ''), r.commune_code, r.hamlet_code,
			r.position_code, r.level, r.monthly_allowance::text, r.work_months, r.policy, r.total::text, r.eligible, r.reason
			FROM entitlement_run_results r
			LEFT JOIN cadres c ON c.province_code = r.province_code AND c.id = r.cadre_id
			WHERE r.province_code = $1 AND r.run_id = $2::uuid
			ORDER BY r.commune_code NULLS LAST, r.hamlet_code NULLS FIRST, c.full_name, r.cadre_id`, province, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RunResultRow, error) {
			var (
				x     RunResultRow
				allow *string
				total string
			)
			err := r.Scan(&x.CadreID, &x.FullName, &x.CommuneCode, &x.HamletCode, &x.PositionCode, &x.Level, &allow,
				&x.WorkMonths, &x.Policy, &total, &x.Eligible, &x.Reason)
			if err != nil {
				return x, err
			}
			if allow != nil {
				v, err := decimal.NewFromString(*allow)
				if err != nil {
					return x, err
				}
				x.MonthlyAllowance = &v
			}
			x.Total, err = decimal.NewFromString(total)
			return x, err
		})
		return err
	})
	return out, err
}
