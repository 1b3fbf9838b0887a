package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

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
	// ErrIdemLost: the claim lapsed and another request took the key over.
	ErrIdemLost = errors.New("the idempotency claim was taken over")
)

// IdemLease is how long an in-progress claim holds without being renewed. The owner renews it every
// third of that while its request runs (IdemClaim.Keep); a claim whose owner died (a crash, a kill, a
// lost connection) lapses and the next retry with the key takes it over.
var IdemLease = 30 * time.Second

// idemClaim is an in-progress claim on an Idempotency-Key, owned by one request of this process: its
// token, and the stop of the goroutine that renews its lease.
type idemClaim struct {
	token string
	stop  func()
}

type idemClaimKey struct {
	s          *Store
	keyID      int64
	scope, key string
}

// idemClaims are this process's in-progress claims, so that Finish and Release act only on the claim the
// request made (never on one that lapsed and was taken over by another request).
var idemClaims sync.Map

// ClaimIdempotencyKey records that a request with key is starting. It returns (nil, nil) when this request
// is the first, or the first after a lapsed claim (the caller must then call FinishIdempotencyKey or
// ReleaseIdempotencyKey; until then the claim's lease is renewed); the stored response when the same
// request already completed; or ErrIdemMismatch / ErrIdemInProgress. The claim commits at once, so a
// concurrent duplicate sees it and never runs twice.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, p Principal, scope, key, method, path string, hash []byte) (*IdemRecord, error) {
	var (
		rec     *IdemRecord
		claimed bool
	)
	token := newToken()
	err := s.InTx(ctx, p, func(tx *Tx) error {
		// A new key, or one whose in-progress claim lapsed (its owner stopped renewing it): take it.
		tag, err := tx.Exec(ctx,
			`INSERT INTO idempotency_keys (province_code, api_key_id, key, method, path, request_hash, status, body, lease_until, claim_token)
			 VALUES ($1, $2, $3, $4, $5, $6, 0, '', clock_timestamp() + make_interval(secs => $7), $8::uuid)
			 ON CONFLICT (province_code, api_key_id, key) DO UPDATE SET method = EXCLUDED.method, path = EXCLUDED.path,
			   request_hash = EXCLUDED.request_hash, lease_until = EXCLUDED.lease_until, claim_token = EXCLUDED.claim_token,
			   created_at = now()
			 WHERE idempotency_keys.status = 0 AND (idempotency_keys.lease_until IS NULL OR idempotency_keys.lease_until < clock_timestamp())`,
			scope, p.KeyID, key, method, path, hash, IdemLease.Seconds(), token)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			claimed = true
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
	if err == nil && claimed {
		k := idemClaimKey{s, p.KeyID, scope, key}
		c := &idemClaim{token: token, stop: s.keepIdemClaim(p, scope, key, token)}
		if old, loaded := idemClaims.Swap(k, c); loaded {
			old.(*idemClaim).stop()
		}
	}
	return rec, err
}

// takeIdemClaim removes and stops this process's claim on key; nil when there is none.
func (s *Store) takeIdemClaim(p Principal, scope, key string) *idemClaim {
	v, ok := idemClaims.LoadAndDelete(idemClaimKey{s, p.KeyID, scope, key})
	if !ok {
		return nil
	}
	c := v.(*idemClaim)
	c.stop()
	return c
}

// keepIdemClaim renews the claim's lease every third of IdemLease until the returned stop is called (stop
// waits for the renewer to end; calling it twice is harmless).
func (s *Store) keepIdemClaim(p Principal, scope, key, token string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(IdemLease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), IdemLease/3)
				_ = s.InTx(ctx, p, func(tx *Tx) error {
					_, err := tx.Exec(ctx, `UPDATE idempotency_keys SET lease_until = clock_timestamp() + make_interval(secs => $5)
						WHERE province_code = $1 AND api_key_id = $2 AND key = $3 AND status = 0 AND claim_token = $4::uuid`,
						scope, p.KeyID, key, token, IdemLease.Seconds())
					return err
				})
				cancel()
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); <-finished }) }
}

// FinishIdempotencyKey stores the response of the request that claimed key; ErrIdemLost when its claim
// lapsed and another request took the key over.
func (s *Store) FinishIdempotencyKey(ctx context.Context, p Principal, scope, key string, rec IdemRecord) error {
	c := s.takeIdemClaim(p, scope, key)
	if c == nil {
		return ErrIdemLost
	}
	return s.InTx(ctx, p, func(tx *Tx) error {
		tag, err := tx.Exec(ctx,
			`UPDATE idempotency_keys SET status = $5, content_type = $6, location = $7, body = $8, lease_until = NULL, claim_token = NULL
			 WHERE province_code = $1 AND api_key_id = $2 AND key = $3 AND status = 0 AND claim_token = $4::uuid`,
			scope, p.KeyID, key, c.token, rec.Status, rec.ContentType, rec.Location, rec.Body)
		if err == nil && tag.RowsAffected() == 0 {
			return ErrIdemLost
		}
		return err
	})
}

// ReleaseIdempotencyKey forgets a claim whose request failed, so the client may retry with the same key.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, p Principal, scope, key string) error {
	c := s.takeIdemClaim(p, scope, key)
	if c == nil {
		return nil
	}
	return s.InTx(ctx, p, func(tx *Tx) error {
		_, err := tx.Exec(ctx,
			`DELETE FROM idempotency_keys WHERE province_code = $1 AND api_key_id = $2 AND key = $3 AND status = 0 AND claim_token = $4::uuid`,
			scope, p.KeyID, key, c.token)
		return err
	})
}

// newToken is a random UUID (version 4) in text form.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// PurgeIdempotencyKeys deletes the Idempotency-Key records made more than age ago, in every province,
// except a claim still in progress (the server's janitor; a SECURITY DEFINER function, migration 0057).
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, age time.Duration) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT purge_idempotency_keys(make_interval(secs => $1))`, age.Seconds()).Scan(&n)
	return n, err
}
