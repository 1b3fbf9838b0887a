package web_test

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"communehr/internal/store"
)

// Issue 13 item 2 in the console: the import page links every kind's Excel template, which downloads in
// the officer's language with the headers the upload accepts.
func TestImportsPageOffersTheTemplates(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	e := s.browser()
	e.login("an.nguyen", s.user("an.nguyen", store.RoleProvinceEditor, "99"), "mật khẩu mới rất dài")
	r := e.get("/imports")
	mustStatus(t, r, 200)
	for _, k := range []string{"communes", "hamlets", "cadres", "assignments", "commune-sheet"} {
		mustContain(t, r, `href="/imports/templates/`+k+`"`)
	}
	d := e.get("/imports/templates/commune-sheet")
	mustStatus(t, d, 200)
	if ct := d.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("content type %q", ct)
	}
	f, err := excelize.OpenReader(strings.NewReader(d.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) < 2 {
		t.Fatalf("rows %v, %v", rows, err)
	}
	if head := strings.Join(rows[0], "|"); !strings.Contains(head, "Số CCCD") || !strings.Contains(head, "Chức danh") {
		t.Fatalf("the Vietnamese template's header is %q", head)
	}
	if nf := e.get("/imports/templates/no-such-kind"); nf.Status != 404 {
		t.Fatalf("unknown kind: %d", nf.Status)
	}
}
