package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Session timeouts: a session ends after SessionIdle without a request, and SessionAbsolute after login
// whatever happens. Variables so that tests can shorten them.
var (
	SessionIdle     = 30 * time.Minute
	SessionAbsolute = 12 * time.Hour
)

// sessionTouchEvery limits writes: last_seen_at moves at most once a minute per session.
const sessionTouchEvery = time.Minute

// ErrNoSession is returned for a missing, unknown, expired or idle session token.
var ErrNoSession = errors.New("no session")

// Session is a console session as the middleware sees it; the token is only in the cookie.
type Session struct {
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	Language  string
}

// newSession stores the SHA-256 of a new random token for the user and returns the token.
func newSession(ctx context.Context, tx *Tx, userID int64, language string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	if language != "en" {
		language = "vi"
	}
	_, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, language)
		VALUES ($1, $2, $3, $3, $4, $5)`, hashToken(token), userID, tx.Now, tx.Now.Add(SessionAbsolute), language)
	return token, err
}

// SessionUser maps a session token to its session and officer, or ErrNoSession. The lookup is by the
// token's hash (no tenant is known yet), compared again in constant time; an idle or expired session is
// deleted.
func (s *Store) SessionUser(ctx context.Context, token string) (Session, User, error) {
	if len(token) < 40 || len(token) > 60 {
		return Session{}, User{}, ErrNoSession
	}
	h := hashToken(token)
	var sess Session
	var stored []byte
	var seen time.Time
	err := s.pool.QueryRow(ctx, `SELECT token_hash, user_id, created_at, last_seen_at, expires_at, language FROM sessions WHERE token_hash = $1`, h).
		Scan(&stored, &sess.UserID, &sess.CreatedAt, &seen, &sess.ExpiresAt, &sess.Language)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && subtle.ConstantTimeCompare(stored, h) != 1) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, err
	}
	now := s.now().UTC()
	self := Principal{UserID: sess.UserID}
	if !now.Before(sess.ExpiresAt) || !now.Before(seen.Add(SessionIdle)) {
		_ = s.InTx(ctx, self, func(tx *Tx) error {
			_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, h)
			return err
		})
		return Session{}, User{}, ErrNoSession
	}
	u, err := s.GetUser(ctx, sess.UserID)
	if errors.Is(err, ErrNotFound) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, err
	}
	if now.Sub(seen) >= sessionTouchEvery {
		err = s.InTx(ctx, self, func(tx *Tx) error {
			_, err := tx.Exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`, h, tx.Now)
			return err
		})
		if err != nil {
			return Session{}, User{}, err
		}
	}
	return sess, u, nil
}

// Logout deletes the session of token (no error when it is already gone).
func (s *Store) Logout(ctx context.Context, userID int64, token string) error {
	return s.InTx(ctx, Principal{UserID: userID}, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
		return err
	})
}

// SetSessionLanguage records the language the officer chose for this session.
func (s *Store) SetSessionLanguage(ctx context.Context, userID int64, token, language string) error {
	if language != "en" {
		language = "vi"
	}
	return s.InTx(ctx, Principal{UserID: userID}, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sessions SET language = $2 WHERE token_hash = $1`, hashToken(token), language)
		return err
	})
}
