package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"communehr/internal/store"
)

// TestReorganisationInTheBrowser drives headless Chromium through the reorganisation page of the demo's
// real province (08 with the old Hà Giang units): the preview of the 2025 merger shows the API's counts
// and cost; the editor answers the split's questions, confirms and applies; a viewer previews with no
// apply button; an editor of the demo province starts an entitlement run and follows it to its totals.
func TestReorganisationInTheBrowser(t *testing.T) {
	ch := startChrome(t)
	s := newSite(t)
	s.seedReference()
	want := wantCounts(s.apiPreview())
	editorPW := s.user("bien.tap", store.RoleProvinceEditor, "08")
	viewerPW := s.user("xem.thu", store.RoleProvinceViewer, "08")
	runnerPW := s.user("an.nguyen", store.RoleProvinceEditor, "99")

	counts := func(t *testing.T, ctx context.Context) {
		t.Helper()
		for id, v := range want {
			if got := ch.text(t, ctx, "#"+id); got != v {
				t.Errorf("%s shows %q, the API's preview %q", id, got, v)
			}
		}
	}
	// preview previews the 2025 merger (the page's default mapping), then answers every question with
	// its first choice and previews again.
	preview := func(t *testing.T, ctx context.Context, shotName string) {
		t.Helper()
		ch.do(t, ctx, chromedp.Navigate(s.srv.URL+"/reorganisation"), chromedp.WaitVisible(chromedp.CSS("#preview")),
			chromedp.Click(chromedp.CSS("#mapping_national")), chromedp.Click(chromedp.CSS("#preview")),
			chromedp.WaitVisible(chromedp.CSS("#reorg-counts")))
		counts(t, ctx)
		if shotName != "" {
			ch.shot(t, ctx, shotName)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.querySelectorAll("select.answer").forEach(function (s) { s.selectedIndex = 1; }); true`)); err != nil {
			t.Fatal(err)
		}
		// The answered page has no question left (waiting for the counts alone would read the old page).
		ch.do(t, ctx, chromedp.Click(chromedp.CSS("#answer")), chromedp.WaitNotPresent(chromedp.CSS("select.answer")),
			chromedp.WaitVisible(chromedp.CSS("#reorg-counts")))
		if q := ch.text(t, ctx, "#questions"); q != "0" {
			t.Fatalf("%s questions left after answering", q)
		}
	}
	t.Run("an editor previews the 2025 merger, answers, confirms and applies", func(t *testing.T) {
		// Four previews of a province-wide merger and its apply: seconds each on a loaded machine.
		ctx := ch.withinFor(t, ch.officer(t), 3*time.Minute)
		ch.firstLogin(t, ctx, s.srv.URL, "bien.tap", editorPW, "một mật khẩu mới đủ dài")
		preview(t, ctx, "reorganisation-preview.png")
		ch.do(t, ctx, chromedp.Click(chromedp.CSS("#apply")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
		ch.shot(t, ctx, "reorganisation-confirm.png")
		ch.do(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#applied")))
		ch.shot(t, ctx, "reorganisation-applied.png")
		if msg := ch.text(t, ctx, "#applied"); msg != "Đã thực hiện sắp xếp đơn vị." {
			t.Fatalf("after the apply: %q", msg)
		}
		var user string
		if err := s.admin.QueryRow(t.Context(), `SELECT username FROM audit_log WHERE entity = 'reorganisation'`).Scan(&user); err != nil || user != "bien.tap" {
			t.Fatalf("the apply's audit names %q (%v)", user, err)
		}
	})
	t.Run("a viewer previews and has no apply button", func(t *testing.T) {
		// The editor applied already: the viewer's preview is of the register as it now stands, so only
		// the absence of the button is checked here.
		ctx := ch.within(t, ch.officer(t))
		ch.firstLogin(t, ctx, s.srv.URL, "xem.thu", viewerPW, "một mật khẩu khác đủ dài")
		ch.do(t, ctx, chromedp.Navigate(s.srv.URL+"/reorganisation"), chromedp.WaitVisible(chromedp.CSS("#preview")),
			chromedp.Click(chromedp.CSS("#preview")), chromedp.WaitVisible(chromedp.CSS("#reorg-counts")))
		ch.shot(t, ctx, "viewer-reorganisation.png")
		if html := ch.body(t, ctx); strings.Contains(html, `id="apply"`) || strings.Contains(html, `id="confirm"`) || strings.Contains(html, "/reorganisation/apply") {
			t.Fatal("the viewer's reorganisation page has an apply button")
		}
	})
	t.Run("an editor starts an entitlement run and follows it to its totals", func(t *testing.T) {
		ctx := ch.within(t, ch.officer(t))
		ch.firstLogin(t, ctx, s.srv.URL, "an.nguyen", runnerPW, "một mật khẩu mới đủ dài")
		ch.do(t, ctx, chromedp.Navigate(s.srv.URL+"/reports/runs"), chromedp.WaitVisible(chromedp.CSS("#start-run")),
			chromedp.SetValue(chromedp.CSS("#last_day_worked"), "2025-07-31"), chromedp.SetValue(chromedp.CSS("#reason"), "reorganisation"),
			chromedp.Click(chromedp.CSS("#start-run")), chromedp.WaitVisible(chromedp.CSS("#progress")))
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(ch.text(t, ctx, "main span[role=status]"), "Hoàn tất") {
			if time.Now().After(deadline) {
				t.Fatalf("the run page never showed the run finished: %q", ch.text(t, ctx, "main span[role=status]"))
			}
			time.Sleep(500 * time.Millisecond)
		}
		ch.shot(t, ctx, "run.png")
		if total := ch.text(t, ctx, "dl.facts"); !strings.Contains(total, "đ") {
			t.Fatalf("the run page shows no total: %q", total)
		}
	})
}
