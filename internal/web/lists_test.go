package web_test

import (
	"context"
	"html"
	"regexp"
	"testing"

	"communehr/internal/store"
)

var nextRe = regexp.MustCompile(`href="(/hamlets\?[^"]+)" id="next-page"`)
var hamletLinkRe = regexp.MustCompile(`href="/hamlets/([^"?]+)\?as_of=`)

// Done when: a list longer than a page is read page by page through the next-page link, every unit in
// force on the day exactly once (the lists used to stop at 500 without saying so).
func TestListsPageThroughEveryUnit(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.login("xem.thu", s.user("xem.thu", store.RoleProvinceViewer, "99"), "một mật khẩu đủ dài")
	var want int
	if err := s.admin.QueryRow(context.Background(), `SELECT count(*) FROM hamlets WHERE province_code = '99'
		AND effective_from <= '2025-09-01' AND (effective_to IS NULL OR effective_to >= '2025-09-01')`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if want <= 200 {
		t.Fatalf("the demo province has %d hamlets: too few to page", want)
	}
	seen := map[string]bool{}
	path, pages := "/hamlets?as_of=2025-09-01", 0
	for path != "" {
		p := b.get(path)
		mustStatus(t, p, 200)
		pages++
		for _, m := range hamletLinkRe.FindAllStringSubmatch(p.Body, -1) {
			if seen[m[1]] {
				t.Fatalf("hamlet %s is on two pages", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := nextRe.FindStringSubmatch(p.Body); m != nil {
			path = html.UnescapeString(m[1])
		}
		if pages > 100 {
			t.Fatal("the pages do not end")
		}
	}
	if len(seen) != want || pages < 2 {
		t.Fatalf("%d pages listed %d hamlets, %d are in force", pages, len(seen), want)
	}
}
