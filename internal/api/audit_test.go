package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

func auditItems(t *testing.T, e *env, path, token string) auditList {
	t.Helper()
	r := e.do("GET", path, token, nil)
	mustStatus(t, r, 200)
	var l auditList
	r.json(t, &l)
	return l
}

func TestAuditLogListsWritesNewestFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã Đông Anh")), 201)
	mustStatus(t, e.do("PATCH", "/v1/provinces/01/communes/00001", ed, map[string]any{"class": 1}, "If-Match", `"1"`, "X-Request-Id", "req-patch-1"), 200)
	mustStatus(t, e.do("POST", "/v1/provinces/01/hamlets", ed, hamletBody("T1", "00001", "Thôn Một", "thon", 10)), 201)

	l := auditItems(t, e, "/v1/provinces/01/audit", ed)
	var got []string
	for _, it := range l.Items {
		got = append(got, it.Action+" "+it.Entity+" "+it.EntityID)
	}
	if strings.Join(got, ", ") != "create hamlet T1, update commune 00001@2020-01-01, create commune 00001@2020-01-01" || l.NextCursor != nil {
		t.Fatalf("audit log: %v", got)
	}
	if l.Items[0].KeyID == nil || l.Items[0].RequestID == "" || string(l.Items[0].Before) != "null" {
		t.Fatalf("create entry %+v", l.Items[0])
	}

	// The PATCH's entry carries the record before and after the change.
	l = auditItems(t, e, "/v1/provinces/01/audit?entity=commune&entity_id=00001", ed)
	if len(l.Items) != 2 {
		t.Fatalf("commune 00001 entries: %d", len(l.Items))
	}
	patch := l.Items[0]
	var before, after map[string]any
	if err := json.Unmarshal(patch.Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(patch.After, &after); err != nil {
		t.Fatal(err)
	}
	if patch.Action != "update" || patch.RequestID != "req-patch-1" || before["Class"] != float64(2) || after["Class"] != float64(1) ||
		after["Version"] != float64(2) {
		t.Fatalf("patch entry: before %v after %v", before, after)
	}
	if n := len(auditItems(t, e, "/v1/provinces/01/audit?entity=hamlet", ed).Items); n != 1 {
		t.Fatalf("hamlet entries: %d", n)
	}

	// Dates: every write happened today (UTC, the store's clock).
	today := time.Now().UTC()
	for q, want := range map[string]int{
		"from=" + today.Format(time.DateOnly):                                               3,
		"to=" + today.AddDate(0, 0, -1).Format(time.DateOnly):                               0,
		"from=" + today.AddDate(0, 0, 1).Format(time.DateOnly):                              0,
		"from=2020-01-01&to=" + today.Format(time.DateOnly) + "&entity=commune":             2,
		"from=2020-01-01&to=" + today.AddDate(0, 0, 1).Format(time.DateOnly) + "&limit=500": 3,
	} {
		if n := len(auditItems(t, e, "/v1/provinces/01/audit?"+q, ed).Items); n != want {
			t.Errorf("?%s: %d entries, want %d", q, n, want)
		}
	}

	// Cursor pages walk every entry once, newest first.
	var ids []string
	path := "/v1/provinces/01/audit?limit=2"
	for path != "" {
		l := auditItems(t, e, path, ed)
		for _, it := range l.Items {
			ids = append(ids, it.ID)
		}
		path = ""
		if l.NextCursor != nil {
			path = "/v1/provinces/01/audit?limit=2&cursor=" + *l.NextCursor
		}
	}
	if len(ids) != 3 || ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == ids[2] {
		t.Fatalf("paged ids %v", ids)
	}
	// Newest first: the pages follow the order of a single full page.
	var whole []string
	for _, it := range auditItems(t, e, "/v1/provinces/01/audit", ed).Items {
		whole = append(whole, it.ID)
	}
	if strings.Join(whole, ",") != strings.Join(ids, ",") {
		t.Fatalf("paged ids %v, one page %v", ids, whole)
	}
	for _, bad := range []string{"cursor=!!", "cursor=YWJj", "from=yesterday", "entity=Commune", "from=2025-02-01&to=2025-01-01", "limit=0"} {
		mustStatus(t, e.do("GET", "/v1/provinces/01/audit?"+bad, ed, nil), 422)
	}
}

func TestAuditLogIsolationAndMasking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	ed := e.key(store.RoleProvinceEditor, "01")
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã Đông Anh")), 201)
	// A person's record in the log, as the cadres aggregate writes it.
	if _, err := e.admin.Exec(t.Context(), `INSERT INTO audit_log (province_code, action, entity, entity_id, after)
		VALUES ('01', 'create', 'cadre', 'c1', '{"NationalID": "001080012345", "FullName": "Nguyễn Văn An"}')`); err != nil {
		t.Fatal(err)
	}

	hcm := e.key(store.RoleProvinceEditor, "79")
	r := e.do("GET", "/v1/provinces/01/audit", hcm, nil)
	mustStatus(t, r, 404)
	if l := auditItems(t, e, "/v1/provinces/79/audit", hcm); len(l.Items) != 0 {
		t.Fatalf("province 79 sees %d entries", len(l.Items))
	}

	viewer := e.key(store.RoleProvinceViewer, "01")
	l := auditItems(t, e, "/v1/provinces/01/audit?entity=cadre", viewer)
	if len(l.Items) != 1 || !strings.Contains(string(l.Items[0].After), `"0010*****345"`) || strings.Contains(string(l.Items[0].After), "001080012345") {
		t.Fatalf("viewer sees %s", l.Items[0].After)
	}
	l = auditItems(t, e, "/v1/provinces/01/audit?entity=cadre", ed)
	if !strings.Contains(string(l.Items[0].After), "001080012345") {
		t.Fatalf("editor sees %s", l.Items[0].After)
	}
	ministry := e.key(store.RoleMinistry, "")
	if n := len(auditItems(t, e, "/v1/provinces/01/audit", ministry).Items); n != 2 {
		t.Fatalf("ministry sees %d entries", n)
	}
	mustStatus(t, e.do("GET", "/v1/provinces/01/audit", "", nil), 401)
}
