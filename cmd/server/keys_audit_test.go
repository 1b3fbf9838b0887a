package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"communehr/internal/testdb"
)

// Issue 10 item 12: `server keys create` and `keys revoke` leave audit rows (national scope), with the
// key's role and province and never its token or hash.
func TestKeysCreateAndRevokeAreAudited(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	env := envOf(map[string]string{"DATABASE_URL": dbURL})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "--role", "province_editor", "--province", "01", "--name", "ed"}, env, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	var id string
	if err := admin.QueryRow(ctx, `SELECT public_id::text FROM api_keys WHERE name = 'ed'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"keys", "revoke", id}, env, io.Discard, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := admin.Query(ctx, `SELECT action, coalesce(before::text, ''), after::text FROM audit_log
		WHERE province_code = '' AND entity = 'api_key' AND entity_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var action, before, after string
		if err := rows.Scan(&action, &before, &after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(before+after, token) || strings.Contains(before+after, token[4:]) || strings.Contains(after, "hash") {
			t.Fatalf("the audit row holds the token: %s", after)
		}
		if !strings.Contains(after, `"province_code": "01"`) || !strings.Contains(after, `"role": "province_editor"`) {
			t.Fatalf("audit after %s", after)
		}
		got = append(got, action+" revoked_before="+map[bool]string{true: "null", false: "set"}[!strings.Contains(before, `"revoked_at": "`)]+
			" revoked_after="+map[bool]string{true: "null", false: "set"}[!strings.Contains(after, `"revoked_at": "`)])
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	want := []string{"create revoked_before=null revoked_after=null", "update revoked_before=null revoked_after=set"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("audit rows %q, want %q", got, want)
	}
}
