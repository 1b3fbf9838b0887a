package api

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"communehr/internal/store"
)

// Issue 10 item 13b: audit ids are random, not a counter shared by every province: two entries of one
// province written around another province's activity tell nothing of it, and the cursor is no number.
func TestAuditIDsAreOpaque(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	ed := e.key(store.RoleProvinceEditor, "01")
	hcm := e.key(store.RoleProvinceEditor, "79")
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã Một")), 201)
	mustStatus(t, e.do("POST", "/v1/provinces/79/communes", hcm, communeBody("26734", "Phường Bến Nghé")), 201)
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00002", "Xã Hai")), 201)
	r := e.do("GET", "/v1/provinces/01/audit", ed, nil)
	mustStatus(t, r, 200)
	var raw struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	r.json(t, &raw)
	uuid := regexp.MustCompile(`^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$`)
	if len(raw.Items) != 2 {
		t.Fatalf("%d entries, want 2", len(raw.Items))
	}
	for _, it := range raw.Items {
		if !uuid.Match(it["id"]) {
			t.Fatalf("audit id %s is not a random id", it["id"])
		}
	}
	l := auditItems(t, e, "/v1/provinces/01/audit?limit=1", ed)
	if l.NextCursor == nil {
		t.Fatal("no next cursor")
	}
	if strings.Trim(string(raw.Items[0]["id"]), `"`) != l.Items[0].ID {
		t.Fatal("pages disagree")
	}
	// The cursor of province 01 does not page province 79's log (nor say anything about it).
	l79 := auditItems(t, e, "/v1/provinces/79/audit?limit=1", hcm)
	if len(l79.Items) != 1 {
		t.Fatalf("79: %+v", l79)
	}
	if got := auditItems(t, e, "/v1/provinces/79/audit?cursor="+*l.NextCursor, hcm); len(got.Items) != 0 {
		t.Fatalf("a cursor of another province paged: %+v", got)
	}
}

// Issue 10 item 12: an import that changes people writes one audit row per created or changed record,
// with the record before and after (national IDs masked); unchanged rows write none.
func TestImportWritesPerRecordAudit(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	first := "national_id,full_name,gender,birth_date,si_months\n" +
		"001085123456,Lê Văn Ba,male,1985-01-01,10\n" +
		"001186123457,Trần Thị Tư,female,1986-02-02,20\n"
	mustStatus(t, e.upload(ed, "kind=cadres", []byte(first)), 201)
	second := "national_id,full_name,gender,birth_date,si_months\n" +
		"001085123456,Lê Văn Bảy,male,1985-03-01,11\n" +
		"001186123457,Trần Thị Tư,female,1986-02-02,20\n"
	j := importJob(t, e.upload(ed, "kind=cadres", []byte(second)))
	if j.RowsUpdated != 1 || j.RowsUnchanged != 1 {
		t.Fatalf("re-import %+v", j)
	}
	var creates, updates int
	var before, after map[string]any
	for _, it := range auditItems(t, e, "/v1/provinces/01/audit?entity=cadre&limit=500", ed).Items {
		switch it.Action {
		case "create":
			creates++
		case "update":
			updates++
			if err := json.Unmarshal(it.Before, &before); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(it.After, &after); err != nil {
				t.Fatal(err)
			}
		}
	}
	if creates != 2 || updates != 1 {
		t.Fatalf("audit: %d creates, %d updates; want 2 and 1", creates, updates)
	}
	if before["full_name"] != "Lê Văn Ba" || after["full_name"] != "Lê Văn Bảy" || before["birth_date"] != "1985-01-01" ||
		after["birth_date"] != "1985-03-01" || before["si_months"] != 10.0 || after["si_months"] != 11.0 {
		t.Fatalf("before %v after %v", before, after)
	}
	if before["national_id"] != "0010*****456" || after["national_id"] != "0010*****456" {
		t.Fatalf("national ID in the audit log: %v / %v", before["national_id"], after["national_id"])
	}
	// A validation run writes nothing to the register: its only audit rows are its job's (its creation and
	// its end).
	n := len(auditItems(t, e, "/v1/provinces/01/audit?limit=500", ed).Items)
	mustStatus(t, e.upload(ed, "kind=cadres&mode=validate", []byte(strings.ReplaceAll(first, "Ba", "Chín"))), 201)
	items := auditItems(t, e, "/v1/provinces/01/audit?limit=500", ed).Items
	if m := len(items); m != n+2 {
		t.Fatalf("a validation run wrote %d audit rows, want its job's 2", m-n)
	}
	for _, it := range items[:2] {
		if it.Entity != "import_job" {
			t.Fatalf("a validation run audited a %s", it.Entity)
		}
	}
}

// Issue 10 item 12: a job or run marked interrupted (here by a viewer's read, who may not write the audit
// log itself) leaves an audit row.
func TestInterruptedJobsAreAudited(t *testing.T) {
	t.Parallel()
	e, _ := importEnv(t)
	viewer := e.key(store.RoleProvinceViewer, "01")
	const job, run = "00000000-0000-4000-8000-0000000000a1", "00000000-0000-4000-8000-0000000000b1"
	e.exec(`INSERT INTO import_jobs (province_code, id, kind, mode, status) VALUES ('01', $1, 'cadres', 'apply', 'running')`, job)
	e.exec(`INSERT INTO entitlement_runs (province_code, id, exit_date, reason, status) VALUES ('01', $1, '2025-08-01', 'reorganisation', 'running')`, run)
	mustStatus(t, e.do("GET", "/v1/provinces/01/imports/"+job, viewer, nil), 200)
	mustStatus(t, e.do("GET", "/v1/provinces/01/entitlement-runs/"+run, viewer, nil), 200)
	for entity, id := range map[string]string{"import_job": job, "entitlement_run": run} {
		items := auditItems(t, e, "/v1/provinces/01/audit?entity="+entity+"&entity_id="+id, viewer).Items
		if len(items) != 1 || items[0].Action != "update" || !strings.Contains(string(items[0].After), `"interrupted"`) ||
			!strings.Contains(string(items[0].Before), `"running"`) {
			t.Fatalf("%s audit: %+v", entity, items)
		}
	}
}

// Issue 10 item 12: posts imported with INSERT … ON CONFLICT DO UPDATE are audited too: one create per new
// post, one update (before and after) per changed post, none for an unchanged one; communes and hamlets
// likewise.
func TestImportAuditCoversEveryKind(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV)))
	importJob(t, e.upload(ed, "kind=hamlets", []byte("code,commune_code,name,kind,households,effective_from\n00100-01,00100,Thôn Đông,thon,420,2020-01-01\n")))
	importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date\n001080000001,Nguyễn Văn An,male,1980-05-17\n001080000002,Nguyễn Văn Bình,male,1980-05-17\n")))
	posts := "national_id,position_code,hamlet_code,start_date,end_date\n" +
		"001080000001,bi_thu_chi_bo,00100-01,2024-01-01,\n" +
		"001080000002,truong_thon_to_truong,00100-01,2024-01-01,\n"
	if j := importJob(t, e.upload(ed, "kind=assignments", []byte(posts))); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("posts: %+v", j)
	}
	changed := strings.Replace(posts, "truong_thon_to_truong,00100-01,2024-01-01,", "truong_thon_to_truong,00100-01,2024-01-01,2025-12-31", 1)
	if j := importJob(t, e.upload(ed, "kind=assignments", []byte(changed))); j.Status != "succeeded" || j.RowsUpdated != 1 || j.RowsUnchanged != 1 {
		t.Fatalf("changed posts: %+v", j)
	}
	count := func(entity, action string) int {
		n := 0
		for _, it := range auditItems(t, e, "/v1/provinces/01/audit?limit=500&entity="+entity, ed).Items {
			if it.Action == action {
				n++
				if action == "update" && entity == "assignment" &&
					(!strings.Contains(string(it.Before), `"end_date":null`) || !strings.Contains(string(it.After), `"end_date":"2025-12-31"`)) {
					t.Errorf("assignment update before %s after %s", it.Before, it.After)
				}
			}
		}
		return n
	}
	for _, c := range []struct {
		entity, action string
		want           int
	}{{"commune", "create", 3}, {"hamlet", "create", 1}, {"cadre", "create", 2}, {"assignment", "create", 2}, {"assignment", "update", 1}} {
		if n := count(c.entity, c.action); n != c.want {
			t.Errorf("%s %s: %d audit rows, want %d", c.entity, c.action, n, c.want)
		}
	}
}
