package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"communehr/internal/store"
)

var decisionPath = regexp.MustCompile(`^/decisions/[0-9a-f-]{36}$`)

func TestEditorFindsComputesApprovesAndPrints(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	pw := s.user("an.nguyen", store.RoleProvinceEditor, "99")
	b := s.browser()
	b.login("an.nguyen", pw, "mật khẩu mới rất dài")
	id, name, nid := s.communeWorker()

	// By CCCD: exactly one, shown in full to an editor.
	r := b.get("/people?q=" + nid)
	mustStatus(t, r, 200)
	mustContain(t, r, "Tìm thấy 1 người", name, nid, "/people/"+id)
	// By name without accents.
	r = b.get("/people?q=" + url.QueryEscape(fold(name)))
	mustStatus(t, r, 200)
	mustContain(t, r, "/people/"+id)

	// The person's page: posts over time, and the computation line by line with citations.
	r = b.get("/people/" + id + "?last_day_worked=2025-07-31&reason=reorganisation")
	mustStatus(t, r, 200)
	mustContain(t, r, "Quá trình giữ chức danh", "31/07/2025", "Các chế độ có thể áp dụng", "có lợi nhất, được chọn", "Nghị định", "save-draft")

	// A bad date is a field error beside its input (422), not a 500.
	r = b.get("/people/" + id + "?last_day_worked=31-31-2025&reason=reorganisation")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Vui lòng nhập ngày")

	// Save the draft, approve it, print it.
	r = b.post("/people/"+id+"/decisions", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"reorganisation"}})
	mustStatus(t, r, http.StatusSeeOther)
	if !decisionPath.MatchString(r.Location) {
		t.Fatalf("saved draft redirects to %q", r.Location)
	}
	dpath := r.Location
	r = b.get(dpath)
	mustStatus(t, r, 200)
	mustContain(t, r, "Đã lưu dự thảo quyết định", "Dự thảo", `id="approve"`)
	r = b.get("/")
	mustContain(t, r, dpath, name)

	r = b.post(dpath+"/approve", url.Values{"version": {"1"}, "decision_number": {""}, "decision_date": {"2025-07-20"}, "signer_title": {"CHỦ TỊCH"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Vui lòng nhập nội dung")
	r = b.post(dpath+"/approve", url.Values{"version": {"1"}, "decision_number": {"5"}, "decision_date": {"2025-07-20"}, "signer_title": {"KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"}})
	mustStatus(t, r, http.StatusSeeOther)
	r = b.get(dpath)
	mustContain(t, r, "Đã phê duyệt", "20/07/2025")
	mustNotContain(t, r, `id="approve"`)

	r = b.get(dpath + "/print")
	mustStatus(t, r, 200)
	mustContain(t, r, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 05/QĐ-UBND",
		"ngày 20 tháng 7 năm 2025", "QUYẾT ĐỊNH:", "Căn cứ Luật Tổ chức chính quyền địa phương", "Điều 1.", "Điều 3.",
		"Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phụ lục", "Bằng chữ:", name)
	if strings.Contains(r.Body, "DỰ THẢO") {
		t.Fatal("an approved decision prints as a draft")
	}

	// A correction supersedes the approved decision: a new draft, the old one marked superseded.
	r = b.post(dpath+"/supersede", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"streamlining"}})
	mustStatus(t, r, http.StatusSeeOther)
	if !decisionPath.MatchString(r.Location) || r.Location == dpath {
		t.Fatalf("supersede redirects to %q", r.Location)
	}
	mustContain(t, b.get(r.Location), "Đã tạo dự thảo thay thế", "Dự thảo", dpath)
	r = b.get(dpath)
	mustContain(t, r, "Đã bị thay thế")
	mustNotContain(t, r, "/supersede")

	// The audit log names the officer.
	var n int
	if err := s.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE province_code = '99' AND username = 'an.nguyen' AND entity = 'decision'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("audit rows naming the officer: %d (%v)", n, err)
	}
}

func TestViewerSeesNoWriteButtonAndNoFullCCCD(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	pw := s.user("bo.tran", store.RoleProvinceViewer, "99")
	b := s.browser()
	b.login("bo.tran", pw, "mật khẩu mới rất dài")
	id, _, nid := s.communeWorker()

	r := b.get("/people?q=" + nid)
	mustStatus(t, r, 200)
	mustContain(t, r, store.MaskNationalID(nid))
	mustNotContain(t, r, nid)
	r = b.get("/people/" + id + "?last_day_worked=2025-07-31&reason=reorganisation")
	mustStatus(t, r, 200)
	mustContain(t, r, "có lợi nhất, được chọn")
	mustNotContain(t, r, nid, "save-draft", `method="post" action="/people`)
	r = b.post("/people/"+id+"/decisions", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"reorganisation"}})
	mustStatus(t, r, http.StatusForbidden)
}

func TestAnotherProvincesPersonIsNotFound(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	if _, err := s.admin.Exec(t.Context(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	pw := s.user("c.le", store.RoleProvinceEditor, "01")
	b := s.browser()
	b.login("c.le", pw, "mật khẩu mới rất dài")
	id, name, nid := s.communeWorker()
	mustStatus(t, b.get("/people/"+id), http.StatusNotFound)
	r := b.get("/people?q=" + nid)
	mustNotContain(t, r, name)
	r = b.post("/people/"+id+"/decisions", url.Values{"last_day_worked": {"2025-07-31"}, "reason": {"reorganisation"}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("saving for another province's person: %d", r.Status)
	}
}

// fold drops Vietnamese accents the simple way, for a search typed without them.
func fold(s string) string {
	r := strings.NewReplacer("à", "a", "á", "a", "ả", "a", "ã", "a", "ạ", "a", "ă", "a", "ằ", "a", "ắ", "a", "ẳ", "a", "ẵ", "a", "ặ", "a",
		"â", "a", "ầ", "a", "ấ", "a", "ẩ", "a", "ẫ", "a", "ậ", "a", "è", "e", "é", "e", "ẻ", "e", "ẽ", "e", "ẹ", "e", "ê", "e",
		"ề", "e", "ế", "e", "ể", "e", "ễ", "e", "ệ", "e", "ì", "i", "í", "i", "ỉ", "i", "ĩ", "i", "ị", "i", "ò", "o", "ó", "o",
		"ỏ", "o", "õ", "o", "ọ", "o", "ô", "o", "ồ", "o", "ố", "o", "ổ", "o", "ỗ", "o", "ộ", "o", "ơ", "o", "ờ", "o", "ớ", "o",
		"ở", "o", "ỡ", "o", "ợ", "o", "ù", "u", "ú", "u", "ủ", "u", "ũ", "u", "ụ", "u", "ư", "u", "ừ", "u", "ứ", "u", "ử", "u",
		"ữ", "u", "ự", "u", "ỳ", "y", "ý", "y", "ỷ", "y", "ỹ", "y", "ỵ", "y", "đ", "d", "Đ", "D")
	return r.Replace(strings.ToLower(s))
}
