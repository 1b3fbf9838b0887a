package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// TestUsersCreatePrintsOneTimePasswordLast runs `server users create` and logs in with the last line.
func TestUsersCreatePrintsOneTimePasswordLast(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	env := envOf(map[string]string{"DATABASE_URL": dbURL})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"users", "create", "--province", "01", "--role", "province_editor", "--username", "an.nguyen"}, env, &out, io.Discard, nil); err != nil {
		t.Fatalf("users create: %v", err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	pw := lines[len(lines)-1]
	if len(pw) != 16 || strings.ContainsAny(pw, " :") {
		t.Fatalf("last line %q is not the password alone", pw)
	}
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, _, err := st.Login(ctx, "an.nguyen", pw, "vi")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("login with the printed password: %+v %v", u, err)
	}
	err = run(ctx, []string{"users", "create", "--province", "01", "--role", "province_editor", "--username", "an.nguyen"}, env, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate user: %v", err)
	}
}
