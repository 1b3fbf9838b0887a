package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
)

// tokenPrefix marks communehr tokens so that secret scanners can find leaked ones.
const tokenPrefix = "chr_"

// APIKey is an API key as listed by `server keys list`; the token itself is never stored.
type APIKey struct {
	ID       int64  `json:"-"`  // internal (a global sequence); never shown
	PublicID string `json:"id"` // the id `server keys` and the API show: random

	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Province  *string    `json:"province"`
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// ErrUnauthenticated is returned for a missing, unknown or revoked token.
var ErrUnauthenticated = errors.New("unknown or revoked API key")

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ValidRole reports whether role names one of the four API roles.
func ValidRole(role string) bool {
	switch role {
	case RoleOperator, RoleMinistry, RoleProvinceEditor, RoleProvinceViewer:
		return true
	}
	return false
}

// CreateKey makes a new random 32-byte token for role (and province, for province roles), stores its
// SHA-256 hash and returns the token: the only time it is ever seen. conn is an owner connection
// (the application role may read keys, never create them).
func CreateKey(ctx context.Context, conn *pgx.Conn, role, province, name string) (APIKey, string, error) {
	if !ValidRole(role) {
		return APIKey{}, "", fmt.Errorf("unknown role %q (operator, ministry, province_editor, province_viewer)", role)
	}
	provincial := role == RoleProvinceEditor || role == RoleProvinceViewer
	if provincial && province == "" {
		return APIKey{}, "", fmt.Errorf("role %s needs --province CODE", role)
	}
	if !provincial && province != "" {
		return APIKey{}, "", fmt.Errorf("role %s is national: it takes no --province", role)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return APIKey{}, "", err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	var prov *string
	if province != "" {
		prov = &province
	}
	k := APIKey{Name: name, Role: role, Province: prov, Prefix: token[:len(tokenPrefix)+6]}
	err := conn.QueryRow(ctx,
		`INSERT INTO api_keys (name, role, province_code, token_hash, token_prefix)
		 VALUES ($1, $2, $3, $4, $5) RETURNING id, public_id::text, created_at`,
		name, role, prov, hashToken(token), k.Prefix).Scan(&k.ID, &k.PublicID, &k.CreatedAt)
	if err != nil {
		var ce *ConstraintError
		if errors.As(translate(err), &ce) && ce.Kind == "reference" {
			return APIKey{}, "", fmt.Errorf("province %q does not exist", province)
		}
		return APIKey{}, "", err
	}
	return k, token, nil
}

// ListKeys returns every key, newest first.
func ListKeys(ctx context.Context, conn *pgx.Conn) ([]APIKey, error) {
	rows, err := conn.Query(ctx,
		`SELECT id, public_id::text, name, role, province_code, token_prefix, created_at, revoked_at FROM api_keys ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIKey, error) {
		var k APIKey
		err := r.Scan(&k.ID, &k.PublicID, &k.Name, &k.Role, &k.Province, &k.Prefix, &k.CreatedAt, &k.RevokedAt)
		return k, err
	})
}

// RevokeKey marks the key of public id revoked; later requests with its token get 401.
func RevokeKey(ctx context.Context, conn *pgx.Conn, publicID string) error {
	if !uuidText.MatchString(publicID) {
		return fmt.Errorf("%q is not a key id (server keys list shows them)", publicID)
	}
	tag, err := conn.Exec(ctx, `UPDATE api_keys SET revoked_at = now() WHERE public_id = $1::uuid AND revoked_at IS NULL`, publicID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("no active key with id %s", publicID)
	}
	return nil
}

// uuidText is a key's public id as written.
var uuidText = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Authenticate maps a bearer token to its principal. Lookup is by the token's SHA-256 (the hash, not the
// token, is indexed), and the stored hash is then compared in constant time.
func (s *Store) Authenticate(ctx context.Context, token string) (Principal, error) {
	if len(token) < len(tokenPrefix)+8 || len(token) > 200 {
		return Principal{}, ErrUnauthenticated
	}
	h := hashToken(token)
	var (
		id       int64
		publicID string
		role     string
		province *string
		stored   []byte
		revoked  *time.Time
	)
	err := s.pool.QueryRow(ctx,
		`SELECT id, public_id::text, role, province_code, token_hash, revoked_at FROM api_keys WHERE token_hash = $1`, h).
		Scan(&id, &publicID, &role, &province, &stored, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare(stored, h) != 1 || revoked != nil {
		return Principal{}, ErrUnauthenticated
	}
	p := Principal{KeyID: id, KeyPublicID: publicID, Role: role}
	if province != nil {
		p.Province = *province
	}
	return p, nil
}
