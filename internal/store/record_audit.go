package store

import (
	"context"
	"fmt"
)

// recordAudit makes the set-wise writes that follow in tx (until endRecordAudit) write one audit row per
// record they create or change, with the record before and after, through the per-record triggers the
// imports use (migrations 0014 and 0048): a reorganisation apply and a reference-units load change many
// units, hamlets and posts in a few statements. what names the operation (it is not shown to anyone).
func recordAudit(ctx context.Context, tx *Tx, what string) error {
	_, err := tx.Exec(ctx, `SELECT set_config('app.record_audit', $1, true), set_config('app.request_id', $2, true),
		set_config('app.user_id', $3, true), set_config('app.username', $4, true)`,
		what, tx.P.RequestID, fmt.Sprint(tx.P.UserID), tx.P.Username)
	return err
}

// endRecordAudit stops what recordAudit started.
func endRecordAudit(ctx context.Context, tx *Tx) error {
	_, err := tx.Exec(ctx, `SELECT set_config('app.record_audit', '', true)`)
	return err
}
