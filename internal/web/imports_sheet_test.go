package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// uploadSheet posts the import form for a commune sheet as a browser does: kind, mode and the commune
// chosen before the file.
func (b *browser) uploadSheet(mode, commune, content string) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", "commune-sheet")
	_ = mw.WriteField("mode", mode)
	_ = mw.WriteField("commune", commune)
	fw, _ := mw.CreateFormFile("file", "danh-sach-xa.csv")
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.s.srv.URL+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.s.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// Issue 13/14: the console offers the commune sheet, with a chooser of the province's communes in
// force today; a bad row comes back by line and column, a good sheet writes people and their posts.
func TestImportsCommuneSheet(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	var commune, name string
	if err := s.admin.QueryRow(ctx, `SELECT code, name FROM communes WHERE province_code = '99' AND effective_to IS NULL
		ORDER BY code LIMIT 1`).Scan(&commune, &name); err != nil {
		t.Fatal(err)
	}
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	r := e.get("/imports")
	mustStatus(t, r, 200)
	mustContain(t, r, `<option value="commune-sheet">Danh sách theo xã</option>`, `<select id="commune" name="commune"`,
		`<option value="`+commune+`">`+name+` (`+commune+`)</option>`)

	header := "STT,Số CCCD,Họ và tên,Giới tính,Ngày sinh,Chức danh,\"Thôn, tổ dân phố\",Ngày bắt đầu,Kiêm nhiệm\n"
	good := "1,001080900001,Nguyễn Văn Sáu,Nam,17/05/1980,phu_trach_truyen_thanh,,01/01/2026,\n" +
		"2,001180900002,Trần Thị Bảy,Nữ,20/03/1980,,,,\n"
	bad := strings.Replace(good, "20/03/1980", "30/02/1980", 1)
	people := func() (n int) {
		if err := s.admin.QueryRow(ctx, `SELECT count(*) FROM cadres WHERE province_code = '99' AND national_id IN ('001080900001', '001180900002')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	r = e.uploadSheet("validate", commune, header+bad)
	mustStatus(t, r, http.StatusSeeOther)
	r = e.get(r.Location)
	mustStatus(t, r, 200)
	mustContain(t, r, "Danh sách theo xã", `id="import-errors"`, `<td class="num">3</td><td>Ngày sinh</td>`)
	if people() != 0 {
		t.Fatal("a validation wrote rows")
	}

	r = e.uploadSheet("apply", commune, header+good)
	mustStatus(t, r, http.StatusSeeOther)
	mustContain(t, e.get(r.Location), "Đã ghi dữ liệu vào cơ sở dữ liệu.")
	if n := people(); n != 2 {
		t.Fatalf("apply wrote %d people, want 2", n)
	}
	var posts int
	if err := s.admin.QueryRow(ctx, `SELECT count(*) FROM assignments a JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		WHERE c.national_id = '001080900001' AND a.commune_code = $1 AND a.position_code = 'phu_trach_truyen_thanh'`, commune).Scan(&posts); err != nil {
		t.Fatal(err)
	}
	if posts != 1 {
		t.Fatalf("the sheet's post in commune %s: %d", commune, posts)
	}

	// A commune that is not one of the choices: refused on the form beside the chooser, in words.
	r = e.uploadSheet("validate", "98765", header+good)
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Lựa chọn không hợp lệ.")
	_, after, _ := strings.Cut(r.Body, `id="commune-hint"`)
	if !strings.Contains(after[:min(len(after), 400)], "Lựa chọn không hợp lệ.") {
		t.Fatalf("the refusal is not beside the chooser:\n%s", after)
	}
	// The sheet's own row check for a sheet of several communes speaks an officer's words.
	r = e.uploadSheet("validate", "", header+good)
	mustStatus(t, r, http.StatusSeeOther)
	r = e.get(r.Location)
	mustContain(t, r, `<td class="num">2</td><td>Mã xã</td>`)
	if bad := msgcheck.DeveloperText(tableText(r.Body)); bad != "" {
		t.Fatalf("the errors show %q", bad)
	}
}

// tableText is the text of the page's errors table, without its markup.
func tableText(body string) string {
	_, after, _ := strings.Cut(body, `id="import-errors">`)
	table, _, _ := strings.Cut(after, "</table>")
	return tags.ReplaceAllString(table, " ")
}

var tags = regexp.MustCompile(`<[^>]*>`)
