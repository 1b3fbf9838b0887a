package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 10 item 7: a living owner renews its claim, so a long request keeps its key past the lease; once
// finished, the response is replayed.
func TestIdempotencyClaimIsRenewedWhileItsOwnerLives(t *testing.T) {
	st := twoProvinces(t)
	ctx := context.Background()
	old := store.IdemLease
	store.IdemLease = 1500 * time.Millisecond
	t.Cleanup(func() { store.IdemLease = old })
	hn := store.Principal{KeyID: 1, Role: store.RoleProvinceEditor, Province: "01"}
	hash := []byte("h")
	if rec, err := st.ClaimIdempotencyKey(ctx, hn, "01", "k1", "POST", "/x", hash); rec != nil || err != nil {
		t.Fatalf("first claim: %v %v", rec, err)
	}
	time.Sleep(3 * store.IdemLease)
	if _, err := st.ClaimIdempotencyKey(ctx, hn, "01", "k1", "POST", "/x", hash); !errors.Is(err, store.ErrIdemInProgress) {
		t.Fatalf("a claim whose owner lives was taken over after %s: %v", 3*store.IdemLease, err)
	}
	if err := st.FinishIdempotencyKey(ctx, hn, "01", "k1", store.IdemRecord{Status: 201, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if rec, err := st.ClaimIdempotencyKey(ctx, hn, "01", "k1", "POST", "/x", hash); err != nil || rec == nil || rec.Status != 201 {
		t.Fatalf("after finish: %+v %v", rec, err)
	}
}

// Issue 10 item 7: a claim nobody renews (its owner died) lapses and the retry takes the key over; the
// dead owner's claim can then neither finish nor release the key.
func TestIdempotencyClaimLapsesWhenItsOwnerDies(t *testing.T) {
	st, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	ctx := context.Background()
	old := store.IdemLease
	store.IdemLease = time.Second
	t.Cleanup(func() { store.IdemLease = old })
	// The dead owner: a claim written by another process, never renewed.
	if _, err := admin.Exec(ctx, `INSERT INTO idempotency_keys (province_code, api_key_id, key, method, path, request_hash, status, body,
		lease_until, claim_token) VALUES ('01', 1, 'k', 'POST', '/x', 'h', 0, '', clock_timestamp() + interval '1 second', gen_random_uuid())`); err != nil {
		t.Fatal(err)
	}
	hn := store.Principal{KeyID: 1, Role: store.RoleProvinceEditor, Province: "01"}
	if _, err := st.ClaimIdempotencyKey(ctx, hn, "01", "k", "POST", "/x", []byte("h")); !errors.Is(err, store.ErrIdemInProgress) {
		t.Fatalf("within the lease: %v, want in progress", err)
	}
	time.Sleep(1200 * time.Millisecond)
	if rec, err := st.ClaimIdempotencyKey(ctx, hn, "01", "k", "POST", "/x", []byte("h")); rec != nil || err != nil {
		t.Fatalf("after the lease: %v %v, want the key taken over", rec, err)
	}
	// The old claim (its token) no longer matches: an UPDATE by another token changes nothing.
	tag, err := admin.Exec(ctx, `UPDATE idempotency_keys SET status = 200 WHERE key = 'k' AND claim_token = gen_random_uuid()`)
	if err != nil || tag.RowsAffected() != 0 {
		t.Fatalf("stale token: %v %v", tag, err)
	}
	if err := st.ReleaseIdempotencyKey(ctx, hn, "01", "k"); err != nil {
		t.Fatal(err)
	}
}

// Issue 10 item 13a: national transactions read only their own key's idempotency records (stored
// responses hold national IDs), not every province's.
func TestNationalRoleSeesOnlyItsOwnIdempotencyKeys(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	ctx := context.Background()
	if _, err := admin.Exec(ctx, `INSERT INTO idempotency_keys (province_code, api_key_id, key, method, path, request_hash, status, body)
		VALUES ('01', 7, 'a', 'POST', '/x', 'h', 201, '{"national_id":"001085123456"}'), ('', 8, 'b', 'POST', '/x', 'h', 201, '{}')`); err != nil {
		t.Fatal(err)
	}
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var n int
	if err := tx.QueryRow(ctx, `SELECT set_config('app.role', 'ministry', true), set_config('app.key_id', '8', true)`).Scan(new(string), new(string)); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+store.NationalRole); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM idempotency_keys`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("the national role reads %d idempotency records, want 1 (its own)", n)
	}
}

// Issue 10 item 13c: a decision cannot supersede itself, neither at insert nor by an update.
func TestDecisionCannotSupersedeItself(t *testing.T) {
	t.Parallel()
	_, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	ctx := context.Background()
	if _, err := admin.Exec(ctx, `INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date)
		VALUES ('01', '00000000-0000-4000-8000-000000000001', '001080123456', 'Nguyễn Văn A', 'male', '1980-01-01')`); err != nil {
		t.Fatal(err)
	}
	ins := `INSERT INTO decisions (province_code, id, cadre_id, reason, kind, exit_date, total, ruleset_version, inputs, request,
		parameters, result, supersedes) VALUES ('01', $1, '00000000-0000-4000-8000-000000000001', 'resignation', 'cadre',
		$3::date, 0, 'v1', '{}', '{}', '{}', '{}', $2)`
	const a, b = "00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"
	check := func(what string, err error) {
		t.Helper()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23514" {
			t.Fatalf("%s: %v, want a check violation", what, err)
		}
	}
	_, err := admin.Exec(ctx, ins, a, a, "2025-08-01")
	check("insert superseding itself", err)
	if _, err := admin.Exec(ctx, ins, b, nil, "2025-08-02"); err != nil {
		t.Fatal(err)
	}
	_, err = admin.Exec(ctx, `UPDATE decisions SET superseded_by = id, status = 'superseded' WHERE id = $1`, b)
	check("update superseded by itself", err)
	// Nor by a decision that does not name it as the one it supersedes; the correction that does is fine.
	const c, d = "00000000-0000-4000-8000-00000000000c", "00000000-0000-4000-8000-00000000000d"
	if _, err := admin.Exec(ctx, ins, c, nil, "2025-08-03"); err != nil {
		t.Fatal(err)
	}
	_, err = admin.Exec(ctx, `UPDATE decisions SET superseded_by = $2, status = 'superseded' WHERE id = $1`, b, c)
	check("update superseded by an unrelated decision", err)
	if _, err := admin.Exec(ctx, ins, d, b, "2025-08-04"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `UPDATE decisions SET superseded_by = $2, status = 'superseded' WHERE id = $1`, b, d); err != nil {
		t.Fatalf("the correction that names it: %v", err)
	}
}
