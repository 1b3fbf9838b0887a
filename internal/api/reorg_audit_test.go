package api

import (
	"encoding/json"
	"reflect"
	"testing"

	"communehr/internal/store"
)

// recordRows reads province p's communes (code@from), hamlets (code) and posts (id) as JSON, keyed
// "entity id": what the audit log must let one recover.
func recordRows(t *testing.T, e *env, p string) map[string]map[string]any {
	t.Helper()
	rows, err := e.admin.Query(t.Context(), `
		SELECT 'commune ' || code || '@' || to_char(effective_from, 'YYYY-MM-DD'), to_jsonb(c)::text FROM communes c WHERE province_code = $1
		UNION ALL SELECT 'hamlet ' || code, to_jsonb(h)::text FROM hamlets h WHERE province_code = $1
		UNION ALL SELECT 'assignment ' || id, to_jsonb(a)::text FROM assignments a WHERE province_code = $1`, p)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[string]any{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = decodeRecord(t, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeRecord(t *testing.T, s string) map[string]any {
	t.Helper()
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "updated_at") // timestamps are written in the session's time zone; the values are what matter
	delete(m, "created_at")
	return m
}

// checkRecordAudit asserts that every record created or changed between before and after has audit rows
// (written after the audit row numbered since) whose first before is the record before and whose last
// after is the record after; and that no unchanged record has one.
func checkRecordAudit(t *testing.T, e *env, p string, since int64, before, after map[string]map[string]any) int {
	t.Helper()
	rows, err := e.admin.Query(t.Context(), `SELECT entity || ' ' || entity_id, action, coalesce(before::text, ''), coalesce(after::text, '')
		FROM audit_log WHERE province_code = $1 AND id > $2 AND entity IN ('commune', 'hamlet', 'assignment') ORDER BY id`, p, since)
	if err != nil {
		t.Fatal(err)
	}
	type span struct{ first, last map[string]any }
	got := map[string]*span{}
	for rows.Next() {
		var k, action, b, a string
		if err := rows.Scan(&k, &action, &b, &a); err != nil {
			t.Fatal(err)
		}
		if got[k] == nil {
			got[k] = &span{first: decodeRecord(t, b)}
		}
		got[k].last = decodeRecord(t, a)
	}
	rows.Close()
	changed := 0
	for k, now := range after {
		was, existed := before[k]
		if existed && reflect.DeepEqual(was, now) {
			if got[k] != nil {
				t.Errorf("%s did not change, yet has audit rows", k)
			}
			continue
		}
		changed++
		s := got[k]
		switch {
		case s == nil:
			t.Errorf("%s changed (%v → %v) without an audit row", k, was, now)
		case !reflect.DeepEqual(s.first, was) || !reflect.DeepEqual(s.last, now):
			t.Errorf("%s: audit before %v after %v; the record was %v and is %v", k, s.first, s.last, was, now)
		}
	}
	return changed
}

func lastAuditID(t *testing.T, e *env) int64 {
	t.Helper()
	var id int64
	if err := e.admin.QueryRow(t.Context(), `SELECT coalesce(max(id), 0) FROM audit_log`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// Finding 5: a commune merger's apply leaves, besides its one summary row, a row per unit closed or
// created, hamlet moved and post ended or continued, with before and after.
func TestReorganisationApplyAuditsEveryRecord(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	body := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping(),
		"hamlets": map[string]string{"HC": "91002"}, "posts": map[string]string{ids["postC"]: "91001"}}
	before, since := recordRows(t, e, "97"), lastAuditID(t, e)
	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", ed, body), 201)
	// 3 units closed, 2 created, 2 hamlets moved, 2 posts ended and continued in 91001.
	if n := checkRecordAudit(t, e, "97", since, before, recordRows(t, e, "97")); n != 3+2+2+2+2 {
		t.Errorf("%d records changed, want 11", n)
	}
}

// A hamlet merger: the closed hamlet, the hamlet that takes its households, the head's ended post.
func TestHamletMergerAuditsEveryRecord(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedHamletMerger(t, e, `INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date) VALUES
		('97', '00000000-0000-4000-9000-000000000004', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01'),
		('97', '00000000-0000-4000-9000-000000000005', '00000000-0000-4000-8000-000000000005', 'bi_thu_chi_bo', 'HB', '2015-01-01')`)
	before, since := recordRows(t, e, "97"), lastAuditID(t, e)
	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=apply", e.key(store.RoleProvinceEditor, "97"), map[string]any{
		"effective_date": "2026-01-01", "level": "hamlet", "mapping": []map[string]string{{"old": "HB", "new": "HA", "coverage": "full"}},
		"posts": map[string]string{"00000000-0000-4000-9000-000000000004": "end"}}), 201)
	// HB closed, HA's households, the head ended, the secretary ended in HB and continued in HA.
	if n := checkRecordAudit(t, e, "97", since, before, recordRows(t, e, "97")); n != 5 {
		t.Errorf("%d records changed, want 5", n)
	}
}

// POST …/reference-units: one audit row per unit it records, not one row of counts only.
func TestReferenceUnitsAuditEveryUnit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before, since := recordRows(t, e, "22"), lastAuditID(t, e)
	mustStatus(t, e.do("POST", "/v1/provinces/22/reference-units", e.key(store.RoleOperator, ""), nil), 201)
	after := recordRows(t, e, "22")
	if n := checkRecordAudit(t, e, "22", since, before, after); n == 0 || n != len(after) {
		t.Errorf("%d units recorded of %d", n, len(after))
	}
}

// Finding 4: an import that updates the old and the new unit of one code (06661 before and after
// 2025-07-01) writes one update row per unit, each pairing the unit's own before and after, named
// code@YYYY-MM-DD.
func TestImportAuditNamesTheUnitOfACode(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	const head = "code,name,kind,class,effective_from,effective_to\n"
	first := head + "06661,Phường Giếng Đáy,phuong,2,2019-01-01,2025-06-30\n06661,Phường Việt Hưng,phuong,2,2025-07-01,\n"
	if j := importJob(t, e.upload(ed, "kind=communes", []byte(first))); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("first import: %+v", j)
	}
	before, since := recordRows(t, e, "01"), lastAuditID(t, e)
	second := head + "06661,Phường Giếng Đáy Cũ,phuong,2,2019-01-01,2025-06-30\n06661,Phường Việt Hưng Mới,phuong,2,2025-07-01,\n"
	if j := importJob(t, e.upload(ed, "kind=communes", []byte(second))); j.Status != "succeeded" || j.RowsUpdated != 2 {
		t.Fatalf("second import: %+v", j)
	}
	if n := checkRecordAudit(t, e, "01", since, before, recordRows(t, e, "01")); n != 2 {
		t.Errorf("%d units changed, want 2", n)
	}
	var rows int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE id > $1 AND entity = 'commune' AND action = 'update'
		AND entity_id IN ('06661@2019-01-01', '06661@2025-07-01') AND before->>'effective_from' = after->>'effective_from'
		AND entity_id = after->>'code' || '@' || (after->>'effective_from')`, since).Scan(&rows); err != nil || rows != 2 {
		t.Errorf("%d update rows naming their unit (%v), want exactly 2", rows, err)
	}
}
