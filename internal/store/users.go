package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/argon2"
)

func init() {
	addConstraintFields(map[string]string{
		"users_username_key":       "username",
		"users_username_check":     "username",
		"users_province_check":     "province",
		"users_province_code_fkey": "province",
	})
}

// User is a console officer. The password hash never leaves the store.
type User struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	Role               string     `json:"role"`
	Province           *string    `json:"province"`
	MustChangePassword bool       `json:"must_change_password"`
	FailedLogins       int        `json:"failed_logins"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	CreatedAt          time.Time  `json:"created_at"`
}

// Principal is what the officer's transactions act as: the same role and province an API key would carry,
// with the user named for the audit log.
func (u User) Principal() Principal {
	p := Principal{Role: u.Role, UserID: u.ID, Username: u.Username}
	if u.Province != nil {
		p.Province = *u.Province
	}
	return p
}

// UserError is a refused user or password input: Code is a message key both front doors translate, Field
// the input it concerns.
type UserError struct{ Field, Code string }

func (e *UserError) Error() string { return e.Field + ": " + e.Code }

// ErrBadCredentials is returned for an unknown user, a disabled user or a wrong password, alike.
var ErrBadCredentials = errors.New("unknown user or wrong password")

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// Password rules: long enough to resist guessing, short enough that hashing stays cheap. Passwords are
// never trimmed.
const (
	PasswordMinLen = 10
	PasswordMaxLen = 200
)

// CheckNewPassword refuses a password that is too short or too long (in characters).
func CheckNewPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < PasswordMinLen:
		return &UserError{Field: "new_password", Code: "password_too_short"}
	case n > PasswordMaxLen:
		return &UserError{Field: "new_password", Code: "password_too_long"}
	}
	return nil
}

// argon2id parameters (OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane). They are written into
// each hash, so raising them later leaves old hashes verifiable.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns the PHC-style argon2id string $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword verifies pw against a PHC argon2id string in constant time.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 16 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked when the username is unknown, so that a login takes as long either way.
var dummyHash = func() string {
	h, err := HashPassword("not a password of anyone")
	if err != nil {
		panic(err)
	}
	return h
}()

// OneTimePassword is a random password for a new user, shown once and changed at first login: 16
// characters from an alphabet without look-alikes (0/O, 1/l/I).
func OneTimePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXYZ2345679"
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i, b := range raw {
		raw[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(raw)
}

// NewUser is what creating a user takes; the password is generated.
type NewUser struct {
	Username string
	Role     string
	Province string // province roles only
}

// CreateUser adds an officer with a one-time password (returned, never stored) that must be changed at first
// login. Only an operator principal may (row-level security); the audit row names the new user.
func (s *Store) CreateUser(ctx context.Context, p Principal, in NewUser) (User, string, error) {
	if !usernamePattern.MatchString(in.Username) {
		return User{}, "", &UserError{Field: "username", Code: "username_invalid"}
	}
	if !ValidRole(in.Role) {
		return User{}, "", &UserError{Field: "role", Code: "role_invalid"}
	}
	provincial := in.Role == RoleProvinceEditor || in.Role == RoleProvinceViewer
	if provincial != (in.Province != "") {
		return User{}, "", &UserError{Field: "province", Code: map[bool]string{true: "province_required", false: "province_not_allowed"}[provincial]}
	}
	pw := OneTimePassword()
	hash, err := HashPassword(pw)
	if err != nil {
		return User{}, "", err
	}
	var prov *string
	if in.Province != "" {
		prov = &in.Province
	}
	var u User
	err = s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO users (username, role, province_code, password_hash, must_change_password)
			VALUES ($1, $2, $3, $4, true) RETURNING `+userCols, in.Username, in.Role, prov, hash)
		if err != nil {
			return translate(err)
		}
		if u, err = pgx.CollectExactlyOneRow(rows, scanUser); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, in.Province, "create", "user", fmt.Sprint(u.ID), nil, u)
	})
	if err != nil {
		return User{}, "", err
	}
	return u, pw, nil
}

const userCols = `id, username, role, province_code, must_change_password, failed_logins, last_login_at, created_at`

func scanUser(r pgx.CollectableRow) (User, error) {
	var u User
	err := r.Scan(&u.ID, &u.Username, &u.Role, &u.Province, &u.MustChangePassword, &u.FailedLogins, &u.LastLoginAt, &u.CreatedAt)
	return u, err
}

// userByName reads a user and the password hash (nil, nil-free: ErrBadCredentials when unknown or disabled).
func (s *Store) userByName(ctx context.Context, username string) (User, string, error) {
	var u User
	var hash string
	err := s.pool.QueryRow(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE username = $1 AND disabled_at IS NULL`, username).
		Scan(&u.ID, &u.Username, &u.Role, &u.Province, &u.MustChangePassword, &u.FailedLogins, &u.LastLoginAt, &u.CreatedAt, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, "", ErrBadCredentials
	}
	return u, hash, err
}

// GetUser reads one active user by id.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userCols+` FROM users WHERE id = $1 AND disabled_at IS NULL`, id)
	if err != nil {
		return User{}, err
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, translate(err)
}

// Login checks a username and password and, when they match, opens a new session (a fresh token at
// every login: a token planted before login is never promoted) and returns its token. A wrong password
// counts in failed_logins; an unknown name still pays for one argon2id check.
func (s *Store) Login(ctx context.Context, username, password, language string) (User, string, error) {
	u, hash, err := s.userByName(ctx, username)
	if errors.Is(err, ErrBadCredentials) {
		CheckPassword(dummyHash, password)
		return User{}, "", ErrBadCredentials
	}
	if err != nil {
		return User{}, "", err
	}
	self := Principal{UserID: u.ID, Username: u.Username}
	if !CheckPassword(hash, password) {
		err := s.InTx(ctx, self, func(tx *Tx) error {
			_, err := tx.Exec(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1`, u.ID)
			return err
		})
		if err != nil {
			return User{}, "", err
		}
		return User{}, "", ErrBadCredentials
	}
	var token string
	err = s.InTx(ctx, self, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, last_login_at = $2 WHERE id = $1`, u.ID, tx.Now); err != nil {
			return err
		}
		// Expired sessions of this user go at each login.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)`,
			u.ID, tx.Now, tx.Now.Add(-SessionIdle)); err != nil {
			return err
		}
		token, err = newSession(ctx, tx, u.ID, language)
		return err
	})
	if err != nil {
		return User{}, "", err
	}
	u.FailedLogins = 0
	return u, token, nil
}

// ChangePassword replaces the officer's password after checking the current one, clears
// must_change_password and ends every other session of the officer; keepToken's session stays.
func (s *Store) ChangePassword(ctx context.Context, u User, current, next, keepToken string) error {
	if err := CheckNewPassword(next); err != nil {
		return err
	}
	if current == next {
		return &UserError{Field: "new_password", Code: "password_unchanged"}
	}
	_, hash, err := s.userByName(ctx, u.Username)
	if err != nil {
		return err
	}
	if !CheckPassword(hash, current) {
		return &UserError{Field: "current_password", Code: "password_wrong"}
	}
	newHash, err := HashPassword(next)
	if err != nil {
		return err
	}
	self := Principal{UserID: u.ID, Username: u.Username, Role: u.Role}
	if u.Province != nil {
		self.Province = *u.Province
	}
	return s.InTx(ctx, self, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1`, u.ID, newHash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, u.ID, hashToken(keepToken))
		return err
	})
}
