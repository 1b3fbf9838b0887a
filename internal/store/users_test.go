package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

var cliOperator = store.Principal{Role: store.RoleOperator, Username: "cli"}

func TestPasswordHashIsArgon2idPHC(t *testing.T) {
	t.Parallel()
	h, err := store.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	if !store.CheckPassword(h, "correct horse battery") || store.CheckPassword(h, "correct horse batterY") {
		t.Fatal("CheckPassword does not tell the right password from a wrong one")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", h[:len(h)-3]} {
		if store.CheckPassword(bad, "correct horse battery") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
}

func TestUserLoginSessionLifecycle(t *testing.T) {
	t.Parallel()
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	ctx := context.Background()

	u, pw, err := st.CreateUser(ctx, cliOperator, store.NewUser{Username: "an.nguyen", Role: store.RoleProvinceEditor, Province: "01"})
	if err != nil {
		t.Fatal(err)
	}
	if !u.MustChangePassword || len(pw) != 16 {
		t.Fatalf("new user %+v with password %q: want must_change_password and a 16-character password", u, pw)
	}
	// Only operators create users: RLS refuses an editor even if the code let one through.
	if _, _, err := st.CreateUser(ctx, store.Principal{Role: store.RoleProvinceEditor, Province: "01"},
		store.NewUser{Username: "intruder", Role: store.RoleOperator}); err == nil {
		t.Fatal("a province editor created an operator")
	}
	var ue *store.UserError
	if _, _, err := st.CreateUser(ctx, cliOperator, store.NewUser{Username: "x", Role: store.RoleProvinceEditor, Province: "01"}); !errors.As(err, &ue) || ue.Field != "username" {
		t.Fatalf("short username: %v", err)
	}
	if _, _, err := st.CreateUser(ctx, cliOperator, store.NewUser{Username: "bo.tran", Role: store.RoleMinistry, Province: "01"}); !errors.As(err, &ue) || ue.Field != "province" {
		t.Fatalf("ministry user with a province: %v", err)
	}

	// Wrong password and unknown user look alike; the failure is counted.
	if _, _, err := st.Login(ctx, "an.nguyen", "wrong password!", "vi"); !errors.Is(err, store.ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := st.Login(ctx, "nobody", pw, "vi"); !errors.Is(err, store.ErrBadCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
	var failed int
	if err := admin.QueryRow(ctx, `SELECT failed_logins FROM users WHERE id = $1`, u.ID).Scan(&failed); err != nil || failed != 1 {
		t.Fatalf("failed_logins = %d (%v), want 1", failed, err)
	}

	// Two logins, two different tokens (rotation at login); only the hash is stored.
	_, tok1, err := st.Login(ctx, "an.nguyen", pw, "vi")
	if err != nil {
		t.Fatal(err)
	}
	_, tok2, err := st.Login(ctx, "an.nguyen", pw, "en")
	if err != nil || tok1 == tok2 {
		t.Fatalf("second login: %v, same token %v", err, tok1 == tok2)
	}
	var n int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE token_hash = convert_to($1, 'UTF8')`, tok1).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a raw token is stored (%d, %v)", n, err)
	}
	sess, got, err := st.SessionUser(ctx, tok2)
	if err != nil || got.ID != u.ID || sess.Language != "en" {
		t.Fatalf("SessionUser: %+v %+v %v", sess, got, err)
	}
	if p := got.Principal(); p.Province != "01" || p.Role != store.RoleProvinceEditor || p.UserID != u.ID || p.Username != "an.nguyen" {
		t.Fatalf("principal %+v", p)
	}

	// Changing the password ends the other session, keeps this one, clears must_change_password.
	if err := st.ChangePassword(ctx, got, "not the password", "a new long password", tok2); !errors.As(err, &ue) || ue.Code != "password_wrong" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := st.ChangePassword(ctx, got, pw, "short", tok2); !errors.As(err, &ue) || ue.Code != "password_too_short" {
		t.Fatalf("short password: %v", err)
	}
	if err := st.ChangePassword(ctx, got, pw, "a new long password", tok2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionUser(ctx, tok1); !errors.Is(err, store.ErrNoSession) {
		t.Fatalf("the other session survived a password change: %v", err)
	}
	if _, got, err = st.SessionUser(ctx, tok2); err != nil || got.MustChangePassword {
		t.Fatalf("this session after the change: %+v %v", got, err)
	}
	if _, _, err := st.Login(ctx, "an.nguyen", pw, "vi"); !errors.Is(err, store.ErrBadCredentials) {
		t.Fatal("the one-time password still works")
	}

	// Idle timeout, then absolute timeout.
	now := time.Now()
	st.SetClock(func() time.Time { return now.Add(store.SessionIdle + time.Second) })
	if _, _, err := st.SessionUser(ctx, tok2); !errors.Is(err, store.ErrNoSession) {
		t.Fatalf("idle session still valid: %v", err)
	}
	st.SetClock(time.Now)
	_, tok3, err := st.Login(ctx, "an.nguyen", "a new long password", "vi")
	if err != nil {
		t.Fatal(err)
	}
	for step := time.Duration(0); step <= store.SessionAbsolute; step += store.SessionIdle / 2 {
		at := time.Now().Add(step)
		st.SetClock(func() time.Time { return at })
		if _, _, err := st.SessionUser(ctx, tok3); err != nil {
			if step < store.SessionAbsolute-store.SessionIdle/2 {
				t.Fatalf("active session ended after %v: %v", step, err)
			}
			break
		}
		if step+store.SessionIdle/2 > store.SessionAbsolute {
			t.Fatal("session outlived its absolute timeout")
		}
	}
	st.SetClock(time.Now)

	// Logout deletes the session.
	_, tok4, _ := st.Login(ctx, "an.nguyen", "a new long password", "vi")
	if err := st.Logout(ctx, u.ID, tok4); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionUser(ctx, tok4); !errors.Is(err, store.ErrNoSession) {
		t.Fatal("session valid after logout")
	}

	// The audit row of the creation names the operator.
	var who string
	if err := admin.QueryRow(ctx, `SELECT username FROM audit_log WHERE entity = 'user' AND entity_id = $1`, fmt.Sprint(u.ID)).Scan(&who); err != nil || who != "cli" {
		t.Fatalf("audit of user creation names %q (%v)", who, err)
	}
}
