package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"communehr/internal/demo"
	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
	"communehr/internal/testdb"
)

// apiMerger is the API's preview of the demo reference province's 2025 merger.
type apiMerger struct {
	UnitsClosed, UnitsCreated, PostsMoved, PostsEnded, PeopleAffected, NeedsAnswer []json.RawMessage
	ExitCostTotal                                                                  decimal.Decimal
}

func (s *site) seedReference() {
	s.t.Helper()
	if _, err := demo.SeedReference(context.Background(), s.st); err != nil {
		s.t.Fatal(err)
	}
}

// apiPreview asks POST /v1/provinces/08/reorganisations?mode=preview with an API key.
func (s *site) apiPreview() apiMerger {
	s.t.Helper()
	_, key := testdb.Key(s.t, s.admin, store.RoleProvinceViewer, demo.ReferenceProvince)
	req, _ := http.NewRequest("POST", s.srv.URL+"/v1/provinces/08/reorganisations?mode=preview",
		strings.NewReader(`{"effective_date":"2025-07-01","level":"commune","mapping":"national-2025"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		UnitsClosed    []json.RawMessage `json:"units_closed"`
		UnitsCreated   []json.RawMessage `json:"units_created"`
		PostsMoved     []json.RawMessage `json:"posts_moved"`
		PostsEnded     []json.RawMessage `json:"posts_ended"`
		PeopleAffected []json.RawMessage `json:"people_affected"`
		NeedsAnswer    []json.RawMessage `json:"needs_answer"`
		ExitCostTotal  decimal.Decimal   `json:"exit_cost_total"`
	}
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&m) != nil {
		s.t.Fatalf("API preview: %d", resp.StatusCode)
	}
	return apiMerger{m.UnitsClosed, m.UnitsCreated, m.PostsMoved, m.PostsEnded, m.PeopleAffected, m.NeedsAnswer, m.ExitCostTotal}
}

// dots writes a whole number as the console does (1.234.567).
func dots(n int64) string {
	s := decimal.NewFromInt(n).String()
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// counts are the figures the page shows, by element id.
var countRe = regexp.MustCompile(`<dd id="([a-z-]+)">([^<]*)</dd>`)

func pageCounts(body string) map[string]string {
	out := map[string]string{}
	for _, m := range countRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func wantCounts(m apiMerger) map[string]string {
	return map[string]string{"units-closed": dots(int64(len(m.UnitsClosed))), "units-created": dots(int64(len(m.UnitsCreated))),
		"posts-moved": dots(int64(len(m.PostsMoved))), "posts-ended": dots(int64(len(m.PostsEnded))),
		"people-affected": dots(int64(len(m.PeopleAffected))), "questions": dots(int64(len(m.NeedsAnswer))),
		"exit-cost": dots(m.ExitCostTotal.IntPart()) + " đ"}
}

var national2025 = url.Values{"level": {"commune"}, "effective_date": {"2025-07-01"}, "mapping": {"national-2025"}}

// answerAll answers every question of a preview page with its first choice.
var questionRe = regexp.MustCompile(`name="((?:hamlet|post):[^"]+)" class="answer"><option value="">[^<]*</option>\s*<option value="([^"]+)"`)

func answerAll(body string, form url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	for _, m := range questionRe.FindAllStringSubmatch(body, -1) {
		out.Set(m[1], m[2])
	}
	return out
}

// Done when: the console's preview of the demo province's 2025 merger shows the API's figures; once the
// split's questions are answered, an editor gets the apply button and a viewer and the Ministry do not
// (and are refused an apply); the page's text is free of developer words.
func TestReorganisationPreviewMatchesTheAPI(t *testing.T) {
	s := newSite(t)
	s.seedReference()
	want := wantCounts(s.apiPreview())
	users := map[string]string{store.RoleProvinceEditor: "bien.tap", store.RoleProvinceViewer: "xem.thu", store.RoleMinistry: "bo.noivu"}
	for role, user := range users {
		province, base := demo.ReferenceProvince, "/reorganisation"
		if role == store.RoleMinistry {
			province, base = "", "/national/08/reorganisation"
		}
		b := s.browser()
		b.login(user, s.user(user, role, province), "một mật khẩu đủ dài")
		mustStatus(t, b.get(base), 200)
		p := b.post(base+"/preview", national2025)
		mustStatus(t, p, 200)
		got := pageCounts(p.Body)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s shows %q, the API %q", role, k, got[k], v)
			}
		}
		if bad := msgcheck.DeveloperText(visibleText(p.Body)); bad != "" {
			t.Errorf("%s: the page shows developer text %q", role, bad)
		}
		p = b.post(base+"/preview", answerAll(p.Body, national2025))
		mustStatus(t, p, 200)
		if q := pageCounts(p.Body)["questions"]; q != "0" {
			t.Fatalf("%s: %s questions left after answering them all", role, q)
		}
		if hasApply := strings.Contains(p.Body, `id="apply"`); hasApply != (role == store.RoleProvinceEditor) {
			t.Errorf("%s: apply button shown %v", role, hasApply)
		}
		if role != store.RoleProvinceEditor {
			form := answerAll(p.Body, national2025)
			form.Set("confirm", "yes")
			if r := b.post("/reorganisation/apply", form); r.Status != http.StatusForbidden && r.Status != http.StatusSeeOther {
				t.Errorf("%s: apply answered %d", role, r.Status)
			}
		}
	}
	var n int
	if err := s.admin.QueryRow(context.Background(), `SELECT count(*) FROM reorganisations`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("previews and refused applies wrote %d reorganisations (%v)", n, err)
	}
}

// Done when: an editor's apply goes through a confirmation page, then writes the reorganisation with an
// audit entry in the editor's name; the same apply again changes nothing; a cross-origin post is refused.
func TestReorganisationApplyByAnEditor(t *testing.T) {
	s := newSite(t)
	s.seedReference()
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "08"), "một mật khẩu đủ dài")
	p := b.post("/reorganisation/preview", national2025)
	form := answerAll(p.Body, national2025)
	p = b.post("/reorganisation/apply", form)
	mustStatus(t, p, 200)
	mustContain(t, p, `id="confirm"`, "nhật ký với tên của bạn")
	form.Set("confirm", "yes")
	evil, _ := http.NewRequest("POST", s.srv.URL+"/reorganisation/apply", strings.NewReader(form.Encode()))
	evil.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	evil.Header.Set("Origin", "https://evil.example")
	evil.Header.Set("Sec-Fetch-Site", "cross-site")
	mustStatus(t, b.do(evil), http.StatusForbidden)
	p = b.post("/reorganisation/apply", form)
	mustStatus(t, p, 200)
	mustContain(t, p, `id="applied"`, "Đã thực hiện sắp xếp đơn vị.")
	var user string
	err := s.admin.QueryRow(context.Background(), `SELECT coalesce(username, '') FROM audit_log WHERE entity = 'reorganisation'`).Scan(&user)
	if err != nil || user != "bien.tap" {
		t.Fatalf("audit of the apply names %q (%v), want the editor", user, err)
	}
	p = b.post("/reorganisation/apply", form)
	mustContain(t, p, "đã được thực hiện trước đây")
}

var tagRe = regexp.MustCompile(`(?s)<[^>]*>`)

// visibleText is the page's text without tags (attribute values such as field names are not shown).
func visibleText(html string) string { return tagRe.ReplaceAllString(html, " ") }

// Done when: an uploaded mapping with a bad line is refused naming the line, and nothing is written.
func TestReorganisationCSVMappingErrors(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	form := url.Values{"level": {"commune"}, "effective_date": {"01/07/2025"}, "mapping": {"csv"},
		"mapping_csv": {"old,new,coverage\n99001,99901,all\n"}}
	p := b.post("/reorganisation/preview", form)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Dòng 2, cột coverage")
	form.Set("mapping_csv", "")
	p = b.post("/reorganisation/preview", form)
	mustStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Hãy chọn tệp phương án sắp xếp.")
}

// postFile sends the reorganisation form with the mapping as an uploaded file (multipart, as the
// browser's file field does).
func (b *browser) postFile(path string, form url.Values, file string) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("mapping_file", "phuong-an.csv")
	_, _ = fw.Write([]byte(file))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.s.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

var postQuestionRe = regexp.MustCompile(`name="(post:[^"]+)" class="answer"`)

// Done when: a province's own hamlet merger, uploaded as a CSV file, is previewed and applied from the
// console: the absorbed hamlet closes the day before, its posts are carried or ended as answered, and
// the page speaks English after the switch.
func TestReorganisationFromAnUploadedMapping(t *testing.T) {
	s := newSite(t)
	var h1, h2 string
	if err := s.admin.QueryRow(context.Background(), `SELECT min(code), max(code) FROM (SELECT code FROM hamlets
		WHERE province_code = '99' AND commune_code = (SELECT min(commune_code) FROM hamlets WHERE province_code = '99')
		  AND effective_to IS NULL ORDER BY code LIMIT 2) x`).Scan(&h1, &h2); err != nil || h1 == h2 {
		t.Fatalf("two hamlets of one commune: %q %q %v", h1, h2, err)
	}
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	form := url.Values{"level": {"hamlet"}, "effective_date": {"01/01/2026"}, "mapping": {"csv"}}
	p := b.postFile("/reorganisation/preview", form, "old,new,coverage\r\n"+h1+","+h2+",full\r\n")
	mustStatus(t, p, 200)
	if c := pageCounts(p.Body); c["units-closed"] != "1" || c["units-created"] != "0" {
		t.Fatalf("preview of %s into %s: %v", h1, h2, c)
	}
	// Answer: every post asked about ends; the mapping travels with the form from now on.
	answers := url.Values{"level": {"hamlet"}, "effective_date": {"01/01/2026"}, "mapping": {"csv"},
		"mapping_csv": {"old,new,coverage\n" + h1 + "," + h2 + ",full\n"}}
	for _, m := range postQuestionRe.FindAllStringSubmatch(p.Body, -1) {
		answers.Set(m[1], "end")
	}
	mustContain(t, b.post("/reorganisation/apply", answers), `id="confirm"`)
	answers.Set("confirm", "yes")
	mustContain(t, b.post("/reorganisation/apply", answers), `id="applied"`)
	var to string
	if err := s.admin.QueryRow(context.Background(), `SELECT effective_to::text FROM hamlets WHERE province_code = '99' AND code = $1`, h1).Scan(&to); err != nil || to != "2025-12-31" {
		t.Fatalf("%s closes on %q (%v), want 2025-12-31", h1, to, err)
	}
	mustStatus(t, b.post("/lang", url.Values{"lang": {"en"}, "back": {"/reorganisation"}}), http.StatusSeeOther)
	mustContain(t, b.get("/reorganisation"), "Reorganisation of administrative units", "Preview")
}
