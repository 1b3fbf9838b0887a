package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"communehr/internal/store"
)

func TestCommunesListAndPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.login("bo.tran", s.user("bo.tran", store.RoleProvinceViewer, "99"), "mật khẩu mới rất dài")
	var code, name string
	if err := s.admin.QueryRow(context.Background(), `SELECT code, name FROM communes WHERE province_code = '99' ORDER BY code LIMIT 1`).Scan(&code, &name); err != nil {
		t.Fatal(err)
	}

	r := b.get("/communes?q=" + url.QueryEscape(fold(name)) + "&as_of=2025-08-01")
	mustStatus(t, r, 200)
	mustContain(t, r, "/communes/"+code, name)
	r = b.get("/communes?as_of=99/99/2025")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Ngày không hợp lệ")
	r = b.get("/communes/" + code)
	mustStatus(t, r, 200)
	mustContain(t, r, name, "thôn, tổ dân phố tại ngày", "/people/")

	// Another province's officer: the commune does not exist for them.
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	o := s.browser()
	o.login("c.le", s.user("c.le", store.RoleProvinceViewer, "01"), "mật khẩu mới rất dài")
	mustStatus(t, o.get("/communes/"+code), http.StatusNotFound)
	mustNotContain(t, o.get("/communes?q="+url.QueryEscape(fold(name))), name)
}
