package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"communehr/internal/demo"
	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// The console's heavy pages go through the same gate as the API (one implementation in the store): while
// the province's place is taken, its reorganisation preview answers 429 with a page asking to try again
// in the officer's language (not "something went wrong"), and serves again once the place is free.
func TestConsoleHeavyPageSaysTryAgainWhenTheProvinceIsBusy(t *testing.T) {
	s := newSiteWith(t, store.Options{Heavy: store.HeavyLimits{Total: 2, PerProvince: 1, Wait: 50 * time.Millisecond}})
	s.seedReference()
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, demo.ReferenceProvince), "một mật khẩu đủ dài")

	entered, done, finished := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		finished <- s.st.Heavy(context.Background(), demo.ReferenceProvince, func() error { close(entered); <-done; return nil })
	}()
	<-entered
	p := b.post("/reorganisation/preview", national2025)
	close(done)
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	mustStatus(t, p, 429)
	if p.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	text := visibleText(p.Body)
	if !strings.Contains(text, "thử lại sau ít giây") {
		t.Errorf("the page does not ask to try again: %s", text)
	}
	if bad := msgcheck.DeveloperText(text); bad != "" {
		t.Errorf("developer text %q", bad)
	}
	mustStatus(t, b.post("/reorganisation/preview", national2025), 200)
}
