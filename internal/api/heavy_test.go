package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// hold takes a place of the store's heavy-work gate for province until the test releases it: the
// deterministic stand-in for a long preview or report running there.
func hold(t *testing.T, st *store.Store, province string) (release func()) {
	t.Helper()
	entered, done, finished := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		finished <- st.Heavy(context.Background(), province, func() error { close(entered); <-done; return nil })
	}()
	select {
	case <-entered:
	case err := <-finished:
		t.Fatalf("hold %s: %v", province, err)
	}
	var once bool
	return func() {
		if !once {
			once = true
			close(done)
			if err := <-finished; err != nil {
				t.Errorf("hold %s: %v", province, err)
			}
		}
	}
}

// Issue 10 item 1 as a class: heavy synchronous work of one province (a reorganisation preview, the
// province's allowance report) cannot take the service from the others. While the province's place is
// taken its next heavy request waits, then gets 429 with Retry-After and a message in the caller's
// language, having written nothing; its light reads and another province's requests are answered; the
// national summary is refused only once the whole service's places are taken; a freed place serves again.
func TestHeavyWorkOfOneProvinceDoesNotStallTheOthers(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, store.Options{Heavy: store.HeavyLimits{Total: 2, PerProvince: 1, Wait: 50 * time.Millisecond}})
	seedReorg(t, e)
	e.province("98", "Tỉnh Khác")
	ed97, view98, ministry := e.key(store.RoleProvinceEditor, "97"), e.key(store.RoleProvinceViewer, "98"), e.key(store.RoleMinistry, "")
	preview := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping()}

	release97 := hold(t, e.st, "97")
	defer release97()
	for _, tc := range []struct{ method, path string }{
		{"POST", "/v1/provinces/97/reorganisations?mode=preview"},
		{"POST", "/v1/provinces/97/reorganisations?mode=apply"},
		{"GET", "/v1/provinces/97/allowances?as_of=2025-06-15"},
	} {
		var body any
		if tc.method == "POST" {
			body = preview
		}
		r := e.do(tc.method, tc.path, ed97, body, "Accept-Language", "vi")
		mustStatus(t, r, 429)
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s: 429 without Retry-After", tc.method, tc.path)
		}
		p := r.problem(t)
		if !strings.Contains(p.Detail, "thử lại") {
			t.Errorf("%s %s: detail %q is not the Vietnamese busy message", tc.method, tc.path, p.Detail)
		}
		if bad := msgcheck.DeveloperText(p.Title + " " + p.Detail); bad != "" {
			t.Errorf("%s %s: developer text %q", tc.method, tc.path, bad)
		}
	}
	var n int
	if err := e.admin.QueryRow(context.Background(), `SELECT count(*) FROM reorganisations`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused apply wrote %d reorganisations (%v)", n, err)
	}
	// Light reads of the busy province, another province's report and the national summary go on.
	mustStatus(t, e.do("GET", "/v1/provinces/97/communes", ed97, nil), 200)
	mustStatus(t, e.do("GET", "/v1/provinces/97/communes/90001/allowances?as_of=2025-06-15", ed97, nil), 200)
	mustStatus(t, e.do("GET", "/v1/provinces/98/allowances", view98, nil), 200)
	mustStatus(t, e.do("GET", "/v1/national/summary", ministry, nil), 200)

	// With the whole service's places taken, the national summary waits and is refused too.
	release98 := hold(t, e.st, "98")
	r := e.do("GET", "/v1/national/summary", ministry, nil)
	mustStatus(t, r, 429)
	if r.problem(t).Title != "Too many large computations at once" {
		t.Errorf("English title %q", r.problem(t).Title)
	}
	release98()
	release97()
	mustStatus(t, e.do("POST", "/v1/provinces/97/reorganisations?mode=preview", ed97, preview), 200)
	mustStatus(t, e.do("GET", "/v1/national/summary", ministry, nil), 200)
}
