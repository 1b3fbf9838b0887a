package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// Audit appends one row to the audit log in the transaction's own work, so a write and its audit row
// commit or roll back together. before/after are marshalled to JSON (nil → SQL NULL).
func (tx *Tx) Audit(ctx context.Context, province, action, entity, entityID string, before, after any) error {
	b, err := jsonOrNil(before)
	if err != nil {
		return err
	}
	a, err := jsonOrNil(after)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx,
		`INSERT INTO audit_log (province_code, at, api_key_id, request_id, action, entity, entity_id, before, after, user_id, username)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nullif($10, 0), nullif($11, ''))`,
		province, tx.Now, tx.P.KeyID, tx.P.RequestID, action, entity, entityID, b, a, tx.P.UserID, tx.P.Username)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}

func jsonOrNil(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}
