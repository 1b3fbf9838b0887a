package store

import "context"

// auditImportRecords makes the upsert of an applied import write one audit row per record it creates or
// changes, with the record before and after (issue 10 item 12). The rows are written set-based, one
// INSERT … SELECT per upsert statement, by the statement-level triggers of migration 0014, which act only
// while app.import_job is set in the transaction; a validation run writes none (and rolls back anyway).
func auditImportRecords(ctx context.Context, tx *Tx, job ImportJob) error {
	if job.Mode != "apply" {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT set_config('app.import_job', $1, true), set_config('app.request_id', $2, true)`,
		job.ID, tx.P.RequestID)
	return err
}
