package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Job states shared by imports and entitlement runs (issue 10): a job waits `queued` for a slot of the job
// runner, then runs on the jobs' pool (Options.JobConns), holding one connection for its data transaction
// and taking a second one only for short writes (its row, its progress) that never wait for anything a
// job holds. It ends succeeded, failed (invalid_rows, invalid_file, interrupted, internal) or cancelled.

// Causes of a job's end before its work was done, set as the cause of the job's context
// (context.WithCancelCause) by whoever stops it.
var (
	// ErrJobCancelled: the editor cancelled the job; it rolls back and reads cancelled.
	ErrJobCancelled = errors.New("the job was cancelled by its editor")
	// ErrJobInterrupted: the server is shutting down; the job rolls back and reads failed/interrupted.
	ErrJobInterrupted = errors.New("the server is shutting down")
)

// QueuedKeepalive is how often the server confirms its queued jobs (TouchQueuedJob); a queued job not
// confirmed for queuedStale belongs to a server that died, and readers mark it failed/interrupted (the
// policies of migration 0010 say the same).
const (
	QueuedKeepalive = 20 * time.Second
	queuedStale     = "2 minutes"
)

// TouchQueuedJob confirms that a queued job (kind "import" or "entitlement_run") still waits on this server.
func (s *Store) TouchQueuedJob(ctx context.Context, p Principal, kind, province, id string) error {
	t, ok := jobTables[kind]
	if !ok {
		return ErrNotFound
	}
	wctx, cancel := context.WithTimeout(ctx, progressTimeout)
	defer cancel()
	return s.inTxOn(wctx, s.jobPool, p, func(tx *Tx) error {
		_, err := tx.Exec(wctx, fmt.Sprintf(`UPDATE %s SET queued_seen_at = now() WHERE province_code = $1 AND id = $2::uuid
			AND status = 'queued'`, t.table), province, id)
		return err
	})
}

// ErrJobNotQueued is returned when a queued job is started but its row is no longer queued (it was
// cancelled in the meantime): the job does nothing.
var ErrJobNotQueued = errors.New("the job is no longer queued")

// jobEnd is the final state of a job that stopped before its work was done.
func jobEnd(ctx context.Context) (status string, reason *string) {
	switch {
	case errors.Is(context.Cause(ctx), ErrJobCancelled):
		return "cancelled", nil
	case ctx.Err() != nil:
		return "failed", strPtr("interrupted")
	}
	return "failed", strPtr("internal")
}

// JobEndCause is the final state a job stopped with cause gets (for a job dropped from the queue).
func JobEndCause(cause error) (status string, reason *string) {
	if errors.Is(cause, ErrJobCancelled) {
		return "cancelled", nil
	}
	return "failed", strPtr("interrupted")
}

// progressTimeout bounds a progress write: progress is best effort, never a reason to wait.
const progressTimeout = 2 * time.Second

// jobProgress runs one short progress write on the jobs' pool, giving up after progressTimeout.
func (s *Store) jobProgress(ctx context.Context, p Principal, sql string, args ...any) {
	wctx, cancel := context.WithTimeout(ctx, progressTimeout)
	defer cancel()
	_ = s.inTxOn(wctx, s.jobPool, p, func(tx *Tx) error {
		_, err := tx.Exec(wctx, sql, args...)
		return err
	})
}

// jobTables maps a job kind to its table and audit entity.
var jobTables = map[string]struct{ table, entity string }{
	"import":          {"import_jobs", "import_job"},
	"entitlement_run": {"entitlement_runs", "entitlement_run"},
}

// EndJob records the end of a job (kind "import" or "entitlement_run") that stopped before its work was
// done: status cancelled, or failed with reason (interrupted, internal). Only a queued or running job
// changes; the change is audited. It runs on the jobs' pool, after the job released its data connection,
// and outlives ctx's cancellation (bounded by 10 s). It reports whether the job changed.
func (s *Store) EndJob(ctx context.Context, p Principal, kind, province, id, status string, reason *string) (bool, error) {
	finished, err := s.EndJobAt(ctx, p, kind, province, id, status, reason)
	return finished != nil, err
}

// EndJobAt is EndJob returning when the job finished, as stored (nil when it did not change). A job's
// started_at and finished_at are both the database's clock, so a job never finishes before it started.
func (s *Store) EndJobAt(ctx context.Context, p Principal, kind, province, id, status string, reason *string) (*time.Time, error) {
	t, ok := jobTables[kind]
	if !ok || !validUUID(id) {
		return nil, ErrNotFound
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var finished *time.Time
	err := s.inTxOn(wctx, s.jobPool, p, func(tx *Tx) error {
		var before string
		err := tx.QueryRow(wctx, fmt.Sprintf(`SELECT status FROM %s WHERE province_code = $1 AND id = $2::uuid
			AND status IN ('queued', 'running') FOR UPDATE`, t.table), province, id).Scan(&before)
		if err != nil {
			if e := translate(err); errors.Is(e, ErrNotFound) {
				return nil
			}
			return err
		}
		var at time.Time
		if err := tx.QueryRow(wctx, fmt.Sprintf(`UPDATE %s SET status = $3, failure_reason = $4, finished_at = clock_timestamp()
			WHERE province_code = $1 AND id = $2::uuid RETURNING finished_at`, t.table), province, id, status, reason).Scan(&at); err != nil {
			return err
		}
		finished = &at
		if status == "failed" && reason != nil && *reason == "interrupted" {
			return nil // the interrupted-job trigger (migrations 0014, 0049) writes its audit row
		}
		after := map[string]any{"status": status}
		if reason != nil {
			after["failure_reason"] = *reason
		}
		return tx.Audit(wctx, province, "update", t.entity, id, map[string]any{"status": before}, after)
	})
	if err != nil {
		return nil, err
	}
	return finished, nil
}

// QueueImport records an import job that waits for a slot of the job runner (status queued).
func (s *Store) QueueImport(ctx context.Context, p Principal, job ImportJob) (ImportJob, error) {
	if p.Role != RoleProvinceEditor {
		return job, ErrNotFound
	}
	if job.Header == nil {
		job.Header = []string{}
	}
	err := s.InTx(ctx, p, func(tx *Tx) error {
		job.Status, job.Errors = "queued", []RowError{}
		err := tx.QueryRow(ctx, `INSERT INTO import_jobs (province_code, id, kind, mode, status, header, delimiter, api_key_id, request_id,
			started_at, queued_seen_at) VALUES ($1, $2::uuid, $3, $4, 'queued', $5, $6, $7, $8, statement_timestamp(), statement_timestamp())
			RETURNING started_at`,
			job.Province, job.ID, job.Kind, job.Mode, job.Header, delimiterOf(job), p.KeyID, p.RequestID).Scan(&job.StartedAt)
		if err != nil {
			return err
		}
		return auditJobCreate(ctx, tx, job, "queued")
	})
	return job, translate(err)
}

// QueueEntitlementRun records (and audits) an entitlement run that waits for a slot of the job runner
// (status queued).
func (s *Store) QueueEntitlementRun(ctx context.Context, p Principal, run EntitlementRun, rulesetVersion string) (EntitlementRun, error) {
	if p.Role != RoleProvinceEditor {
		return run, ErrNotFound
	}
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		if run.StartedAt, err = insertRun(ctx, tx, run, "queued", rulesetVersion); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE entitlement_runs SET queued_seen_at = started_at WHERE province_code = $1 AND id = $2::uuid`,
			run.Province, run.ID)
		return err
	})
	if err != nil {
		return run, translate(err)
	}
	run.Status, run.RulesetVersion = "queued", rulesetVersion
	run.ByPolicy, run.ByCommune = []PolicyTotal{}, []CommuneTotal{}
	return run, nil
}

// auditJobCreate audits the creation of an import job with the status it starts in (queued, running, or
// failed for a file refused before its rows). With auditJobStatus, EndJob and the interrupted-job trigger,
// every state of an import job is in the audit log, as every state of an entitlement run is (issue 10
// item 12).
func auditJobCreate(ctx context.Context, tx *Tx, job ImportJob, status string) error {
	after := map[string]any{"kind": job.Kind, "mode": job.Mode, "status": status}
	if status == "failed" {
		after["failure_reason"], after["errors_total"] = "invalid_file", job.ErrorsTotal
	}
	return tx.Audit(ctx, job.Province, "create", "import_job", job.ID, nil, after)
}

// auditJobStatus audits an import job's change of status from before to status, with its failure reason
// and the figures of its end (extra, may be nil).
func auditJobStatus(ctx context.Context, tx *Tx, job ImportJob, before, status string, reason *string, extra map[string]any) error {
	after := map[string]any{"status": status}
	if reason != nil {
		after["failure_reason"] = *reason
	}
	for k, v := range extra {
		after[k] = v
	}
	return tx.Audit(ctx, job.Province, "update", "import_job", job.ID, map[string]any{"status": before}, after)
}
