package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"communehr/internal/store"
)

func TestHamletsListAndPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.login("bo.tran", s.user("bo.tran", store.RoleProvinceViewer, "99"), "mật khẩu mới rất dài")
	// A hamlet with a post held on 2025-09-01: its page shows the fund, the post and its holder.
	var code, name, commune, holder string
	if err := s.admin.QueryRow(context.Background(), `SELECT h.code, h.name, h.commune_code, c.full_name
		FROM hamlets h JOIN assignments a ON a.province_code = h.province_code AND a.hamlet_code = h.code
		JOIN cadres c ON c.province_code = a.province_code AND c.id = a.cadre_id
		WHERE h.province_code = '99' AND a.start_date <= '2025-09-01' AND (a.end_date IS NULL OR a.end_date >= '2025-09-01')
		  AND h.effective_from <= '2025-09-01' AND (h.effective_to IS NULL OR h.effective_to >= '2025-09-01')
		ORDER BY h.code LIMIT 1`).Scan(&code, &name, &commune, &holder); err != nil {
		t.Fatal(err)
	}

	r := b.get("/hamlets?q=" + url.QueryEscape(fold(name)) + "&as_of=2025-09-01")
	mustStatus(t, r, 200)
	mustContain(t, r, "/hamlets/"+code+"?as_of=2025-09-01", name)
	r = b.get("/hamlets?commune=" + commune + "&kind=thon&as_of=01/09/2025")
	mustStatus(t, r, 200)
	r = b.get("/hamlets?commune=12&kind=village")
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Mã xã, phường gồm đúng 5 chữ số.", "Lựa chọn không hợp lệ.")

	r = b.get("/hamlets/" + code + "?as_of=2025-09-01")
	mustStatus(t, r, 200)
	mustContain(t, r, name, "Quỹ phụ cấp tại ngày 01/09/2025", "Quỹ phụ cấp hằng tháng", holder, "Nghị định 33/2023")
	mustNotContain(t, r, "Tại ngày này chưa có quy định")
	// Before Decree 33 there was no hamlet fund: the page says so in words.
	r = b.get("/hamlets/" + code + "?as_of=2020-01-01")
	mustStatus(t, r, 200)
	mustNotContain(t, r, "Quỹ phụ cấp hằng tháng")
	mustStatus(t, b.get("/hamlets/no%20such"), http.StatusNotFound)
	mustStatus(t, b.get("/hamlets/ZZZZ"), http.StatusNotFound)

	// Another province's officer sees neither the hamlet nor its name in a search.
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO provinces (province_code, name) VALUES ('01', 'Thành phố Hà Nội')`); err != nil {
		t.Fatal(err)
	}
	o := s.browser()
	o.login("c.le", s.user("c.le", store.RoleProvinceViewer, "01"), "mật khẩu mới rất dài")
	mustStatus(t, o.get("/hamlets/"+code), http.StatusNotFound)
	mustNotContain(t, o.get("/hamlets?q="+url.QueryEscape(fold(name))), name)
}
