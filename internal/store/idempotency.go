package store

import (
	"bytes"
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// IdemRecord is the stored first response to an Idempotency-Key.
type IdemRecord struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

var (
	// ErrIdemMismatch: the key was used before with another request body.
	ErrIdemMismatch = errors.New("idempotency key reused with a different request")
	// ErrIdemInProgress: the first request with this key has not finished yet.
	ErrIdemInProgress = errors.New("a request with this idempotency key is in progress")
)

// ClaimIdempotencyKey records that a request with key is starting. It returns (nil, nil) when this request
// is the first (the caller must then call FinishIdempotencyKey or ReleaseIdempotencyKey), the stored
// response when the same request already completed, or ErrIdemMismatch / ErrIdemInProgress.
// The claim commits at once, so a concurrent duplicate sees it and never runs twice.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, p Principal, scope, key, method, path string, hash []byte) (*IdemRecord, error) {
	var rec *IdemRecord
	err := s.InTx(ctx, p, func(tx *Tx) error {
		tag, err := tx.Exec(ctx,
			`INSERT INTO idempotency_keys (province_code, api_key_id, key, method, path, request_hash, status, body)
			 VALUES ($1, $2, $3, $4, $5, $6, 0, '') ON CONFLICT DO NOTHING`,
			scope, p.KeyID, key, method, path, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var (
			stored []byte
			r      IdemRecord
		)
		err = tx.QueryRow(ctx,
			`SELECT request_hash, status, content_type, location, body FROM idempotency_keys
			 WHERE province_code = $1 AND api_key_id = $2 AND key = $3`, scope, p.KeyID, key).
			Scan(&stored, &r.Status, &r.ContentType, &r.Location, &r.Body)
		if errors.Is(err, pgx.ErrNoRows) {
			return errors.New("idempotency key vanished during claim")
		}
		if err != nil {
			return err
		}
		switch {
		case !bytes.Equal(stored, hash):
			return ErrIdemMismatch
		case r.Status == 0:
			return ErrIdemInProgress
		}
		rec = &r
		return nil
	})
	return rec, err
}

// FinishIdempotencyKey stores the response of the request that claimed key.
func (s *Store) FinishIdempotencyKey(ctx context.Context, p Principal, scope, key string, rec IdemRecord) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		_, err := tx.Exec(ctx,
			`UPDATE idempotency_keys SET status = $4, content_type = $5, location = $6, body = $7
			 WHERE province_code = $1 AND api_key_id = $2 AND key = $3`,
			scope, p.KeyID, key, rec.Status, rec.ContentType, rec.Location, rec.Body)
		return err
	})
}

// ReleaseIdempotencyKey forgets a claim whose request failed, so the client may retry with the same key.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, p Principal, scope, key string) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		_, err := tx.Exec(ctx,
			`DELETE FROM idempotency_keys WHERE province_code = $1 AND api_key_id = $2 AND key = $3 AND status = 0`,
			scope, p.KeyID, key)
		return err
	})
}
