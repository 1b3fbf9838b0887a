package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"communehr/internal/store"
)

func TestFirstLoginChangesPasswordThenShowsTheProvince(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	pw := s.user("an.nguyen", store.RoleProvinceEditor, "99")
	b := s.browser()

	r := b.get("/")
	mustStatus(t, r, http.StatusSeeOther)
	if r.Location != "/login" {
		t.Fatalf("anonymous / redirects to %q", r.Location)
	}
	r = b.get("/login")
	mustStatus(t, r, 200)
	mustContain(t, r, `lang="vi"`, "Đăng nhập", `<label for="username">`)
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP %q", csp)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("no X-Content-Type-Options")
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, "style=") {
		t.Fatal("inline script or style on the page")
	}

	// Wrong password: 422, the form again with the name, no session.
	r = b.post("/login", url.Values{"username": {"an.nguyen"}, "password": {"wrong password"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Tên đăng nhập hoặc mật khẩu không đúng", `value="an.nguyen"`)

	// The one-time password leads to the password form, and nothing else is reachable before.
	r = b.post("/login", url.Values{"username": {"an.nguyen"}, "password": {pw}})
	mustStatus(t, r, http.StatusSeeOther)
	if r.Location != "/password" {
		t.Fatalf("first login goes to %q", r.Location)
	}
	var session *http.Cookie
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "chr_session=") {
			if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || strings.Contains(c, "Secure") {
				t.Fatalf("session cookie %q: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", c)
			}
			session = &http.Cookie{}
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	r = b.get("/people")
	if r.Status != http.StatusSeeOther || r.Location != "/password" {
		t.Fatalf("before the change, /people: %d %q", r.Status, r.Location)
	}
	r = b.post("/password", url.Values{"current_password": {pw}, "new_password": {"short"}, "confirm_password": {"short"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "ít nhất 10 ký tự")
	r = b.post("/password", url.Values{"current_password": {pw}, "new_password": {"mật khẩu mới rất dài"}, "confirm_password": {"mật khẩu mới rất dài"}})
	mustStatus(t, r, http.StatusSeeOther)
	r = b.get("/")
	mustStatus(t, r, 200)
	mustContain(t, r, "Tỉnh Mẫu (dữ liệu minh họa)", "Đã đổi mật khẩu", "người đang giữ chức danh")

	// English by the switch; dates stay dd/mm/yyyy.
	r = b.post("/lang", url.Values{"lang": {"en"}, "back": {"/"}})
	mustStatus(t, r, http.StatusSeeOther)
	r = b.get("/")
	mustContain(t, r, `lang="en"`, "people holding a post")

	// A cross-origin POST is refused (403) and does nothing.
	req, _ := http.NewRequest("POST", s.srv.URL+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r = b.do(req)
	mustStatus(t, r, http.StatusForbidden)
	mustStatus(t, b.get("/"), 200)

	// Logging in again in the same browser replaces the session: the previous token is gone.
	var before string
	for _, c := range b.c.Jar.Cookies(mustURL(s.srv.URL)) {
		if c.Name == "chr_session" {
			before = c.Value
		}
	}
	r = b.post("/login", url.Values{"username": {"an.nguyen"}, "password": {"mật khẩu mới rất dài"}})
	mustStatus(t, r, http.StatusSeeOther)
	if _, _, err := s.st.SessionUser(t.Context(), before); err == nil {
		t.Fatal("the session held before logging in again is still valid")
	}
	mustStatus(t, b.get("/"), 200)

	// Logout ends the session: the old cookie no longer opens anything.
	r = b.post("/logout", nil)
	mustStatus(t, r, http.StatusSeeOther)
	r = b.get("/")
	if r.Status != http.StatusSeeOther || r.Location != "/login" {
		t.Fatalf("after logout, /: %d %q", r.Status, r.Location)
	}
}

func TestLoginIsThrottledPerUser(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	pw := s.user("bo.tran", store.RoleProvinceViewer, "99")
	b := s.browser()
	throttled := false
	for i := 0; i < 8; i++ {
		r := b.post("/login", url.Values{"username": {"bo.tran"}, "password": {"guess number " + string(rune('a'+i))}})
		if r.Status == http.StatusTooManyRequests {
			throttled = true
			mustContain(t, r, "thử lại sau")
			break
		}
		mustStatus(t, r, http.StatusUnprocessableEntity)
	}
	if !throttled {
		t.Fatal("8 wrong passwords in a row were never throttled")
	}
	// Even the right password waits now.
	r := b.post("/login", url.Values{"username": {"bo.tran"}, "password": {pw}})
	mustStatus(t, r, http.StatusTooManyRequests)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
