package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"communehr/internal/store"
)

// browserPath finds Debian's chromium. Under make test (TEST_BROWSER set) a missing browser fails the
// test; elsewhere the browser tests are skipped.
func browserPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("TEST_BROWSER") != "" {
		t.Fatal("chromium is not installed: apt-get install chromium poppler-utils (make test does it when run as root)")
	}
	t.Skip("chromium is not installed: skipping the browser tests (make test installs it)")
	return ""
}

// outDir is where the screenshots and the PDF go: testdata/out (ignored by git), kept after the test.
func outDir(t *testing.T) string {
	dir := filepath.Join("testdata", "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestConsoleInTheBrowser drives headless Chromium through the console: one browser for every subtest,
// each officer in a browser context of their own (separate cookies).
func TestConsoleInTheBrowser(t *testing.T) {
	chromium := browserPath(t)
	s := newSite(t)
	out := outDir(t)
	editorPW := s.user("an.nguyen", store.RoleProvinceEditor, "99")
	viewerPW := s.user("bo.tran", store.RoleProvinceViewer, "99")
	id, name, nid := s.communeWorker()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768))
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}

	// officer opens a tab in a browser context of its own; within bounds one subtest's wait.
	officer := func(t *testing.T) context.Context {
		ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		// Open the tab now, under ctx: a tab opened by a first action under a subtest's deadline would
		// close with that deadline.
		if err := chromedp.Do(ctx); err != nil {
			t.Fatal(err)
		}
		return ctx
	}
	// A deadline against a hung page, not a speed goal (make bench-console measures speed): under make test
	// the API and server packages' parallel tests share the machine with the browser.
	within := func(t *testing.T, ctx context.Context) context.Context {
		ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	do := func(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	shot := func(t *testing.T, ctx context.Context, file string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	body := func(t *testing.T, ctx context.Context) string {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatal(err)
		}
		return html
	}
	text := func(t *testing.T, ctx context.Context, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	login := func(t *testing.T, ctx context.Context, user, pw, newPW, prefix string) {
		t.Helper()
		do(t, ctx, chromedp.Navigate(s.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
		if prefix != "" {
			shot(t, ctx, prefix+"login.png")
		}
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), pw),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#current_password")))
		if prefix != "" {
			shot(t, ctx, prefix+"password.png")
		}
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#current_password"), pw), chromedp.SendKeys(chromedp.CSS("#new_password"), newPW),
			chromedp.SendKeys(chromedp.CSS("#confirm_password"), newPW), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("section.cards")))
	}

	editorTab := officer(t)
	var decisionURL string
	t.Run("first login and password change lead to the province's dashboard", func(t *testing.T) {
		editor := within(t, editorTab)
		login(t, editor, "an.nguyen", editorPW, "một mật khẩu mới đủ dài", "")
		if h1 := text(t, editor, "main h1"); !strings.Contains(h1, "Tỉnh Mẫu") {
			t.Fatalf("dashboard heading %q does not name the province", h1)
		}
		shot(t, editor, "dashboard.png")
	})
	t.Run("search a person by CCCD", func(t *testing.T) {
		editor := within(t, editorTab)
		do(t, editor, chromedp.Navigate(s.srv.URL+"/people"), chromedp.SendKeys(chromedp.CSS("#q"), nid),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(`a[href="/people/`+id+`"]`)))
		shot(t, editor, "people.png")
		if !strings.Contains(body(t, editor), name) {
			t.Fatalf("search by CCCD does not show %s", name)
		}
	})
	t.Run("communes of the province", func(t *testing.T) {
		editor := within(t, editorTab)
		do(t, editor, chromedp.Navigate(s.srv.URL+"/communes"), chromedp.WaitVisible(chromedp.CSS("main table")))
		shot(t, editor, "communes.png")
		do(t, editor, chromedp.Click(chromedp.CSS(`main table a[href^="/communes/"]`)), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
		shot(t, editor, "commune.png")
	})
	t.Run("hamlets of the province, and a hamlet's fund", func(t *testing.T) {
		editor := within(t, editorTab)
		do(t, editor, chromedp.Navigate(s.srv.URL+"/hamlets?as_of=2025-09-01"), chromedp.WaitVisible(chromedp.CSS("main table")))
		shot(t, editor, "hamlets.png")
		do(t, editor, chromedp.Click(chromedp.CSS(`main table a[href^="/hamlets/"]`)), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
		shot(t, editor, "hamlet.png")
	})
	t.Run("upload a file with a bad row and see the error", func(t *testing.T) {
		editor := within(t, editorTab)
		file := filepath.Join(t.TempDir(), "nguoi.csv")
		if err := os.WriteFile(file, []byte(badCadres), 0o644); err != nil {
			t.Fatal(err)
		}
		do(t, editor, chromedp.Navigate(s.srv.URL+"/imports"), chromedp.WaitVisible(chromedp.CSS("#file")),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}), chromedp.Click(chromedp.CSS("#upload")),
			chromedp.WaitVisible(chromedp.CSS("#import-errors")))
		shot(t, editor, "import.png")
		if txt := text(t, editor, "#import-errors tbody"); !strings.Contains(txt, "birth_date") || !strings.Contains(txt, "3") {
			t.Fatalf("the import page does not show the bad row's line and column: %q", txt)
		}
		do(t, editor, chromedp.Navigate(s.srv.URL+"/imports"), chromedp.WaitVisible(chromedp.CSS("main table")))
		shot(t, editor, "imports.png")
	})
	t.Run("the schedule and the reports, at 1366×768 and on a phone", func(t *testing.T) {
		editor := within(t, editorTab)
		pages := []struct{ file, path, wait string }{
			{"schedule", "/schedule", "#save-schedule"},
			{"reports", "/reports?as_of=2025-09-01", "figure.chart svg"},
			{"hamlets", "/hamlets?as_of=2025-09-01", "main table"},
			{"imports", "/imports", "#upload"},
			{"dashboard", "/", "section.cards"},
		}
		for _, p := range pages {
			do(t, editor, chromedp.Navigate(s.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			shot(t, editor, p.file+"-1366.png")
		}
		do(t, editor, chromedp.EmulateViewport(390, 844))
		for _, p := range pages {
			do(t, editor, chromedp.Navigate(s.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			shot(t, editor, p.file+"-phone.png")
			// Only tables scroll sideways (inside their own box); the page itself fits the phone.
			wide, err := chromedp.Run(editor, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
			if err != nil || wide {
				t.Errorf("%s scrolls sideways on a phone (%v)", p.path, err)
			}
		}
		do(t, editor, chromedp.EmulateViewport(1366, 768))
	})
	t.Run("compute, save, approve and print the decision to PDF", func(t *testing.T) {
		editor := within(t, editorTab)
		do(t, editor, chromedp.Navigate(s.srv.URL+"/people/"+id), chromedp.WaitVisible(chromedp.CSS("#last_day_worked")),
			chromedp.SetValue(chromedp.CSS("#last_day_worked"), "2025-07-31"), chromedp.SetValue(chromedp.CSS("#reason"), "reorganisation"),
			chromedp.Click(chromedp.CSS(`form[method=get] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#save-draft")))
		shot(t, editor, "person.png")
		do(t, editor, chromedp.Click(chromedp.CSS("#save-draft")), chromedp.WaitVisible(chromedp.CSS("#approve")))
		loc, err := chromedp.Run(editor, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		decisionURL = loc
		// The confirmation dialog (app.js) is answered yes, as the officer would.
		if _, err := chromedp.Run(editor, chromedp.Evaluate[bool](`window.confirm = function () { return true; }; true`)); err != nil {
			t.Fatal(err)
		}
		do(t, editor, chromedp.SendKeys(chromedp.CSS("#decision_number"), "5"),
			chromedp.SetValue(chromedp.CSS("#approve_date"), "2025-07-20"),
			chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitNotPresent(chromedp.CSS("#approve")))
		if st := text(t, editor, "#decision-status"); st != "Đã phê duyệt" {
			t.Fatalf("status after approval: %q", st)
		}
		shot(t, editor, "decision.png")
		do(t, editor, chromedp.Navigate(decisionURL+"/print"), chromedp.WaitVisible(chromedp.CSS(".annex")))
		shot(t, editor, "print.png")
		pdf, err := chromedp.Run(editor, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(out, "decision.pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		txt, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext (apt-get install poppler-utils): %v", err)
		}
		flat := strings.Join(strings.Fields(string(txt)), " ") // lines wrap where the PDF's layout wraps them
		for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 05/QĐ-UBND",
			"QUYẾT ĐỊNH", "Điều 1.", name, "Bằng chữ", "Nơi nhận", "Phụ lục"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the PDF does not say %q:\n%s", want, txt)
			}
		}
	})
	t.Run("a viewer sees no write button and no full CCCD", func(t *testing.T) {
		viewer := within(t, officer(t))
		login(t, viewer, "bo.tran", viewerPW, "một mật khẩu khác đủ dài", "viewer-")
		do(t, viewer, chromedp.Navigate(s.srv.URL+"/people?q="+url.QueryEscape(nid)), chromedp.WaitVisible(chromedp.CSS(`a[href="/people/`+id+`"]`)))
		shot(t, viewer, "viewer-people.png")
		if html := body(t, viewer); strings.Contains(html, nid) || !strings.Contains(html, store.MaskNationalID(nid)) {
			t.Fatal("the viewer's search shows the full CCCD, or not the masked one")
		}
		do(t, viewer, chromedp.Navigate(s.srv.URL+"/people/"+id+"?last_day_worked=2025-07-31&reason=reorganisation"),
			chromedp.WaitVisible(chromedp.CSS("tr.chosen")))
		shot(t, viewer, "viewer-person.png")
		html := body(t, viewer)
		if strings.Contains(html, nid) || strings.Contains(html, "save-draft") || strings.Contains(html, `method="post" action="/people`) {
			t.Fatal("the viewer's person page shows the full CCCD or a write button")
		}
		if decisionURL != "" {
			do(t, viewer, chromedp.Navigate(decisionURL), chromedp.WaitVisible(chromedp.CSS("#decision-status")))
			if html := body(t, viewer); strings.Contains(html, "/supersede") || strings.Contains(html, "/approve") {
				t.Fatal("the viewer's decision page has a write form")
			}
		}
	})
	t.Run("a Ministry user sees the national chart, at 1366×768 and on a phone", func(t *testing.T) {
		pw := s.user("bo.truong", store.RoleMinistry, "")
		ministry := within(t, officer(t))
		do(t, ministry, chromedp.Navigate(s.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")),
			chromedp.SendKeys(chromedp.CSS("#username"), "bo.truong"), chromedp.SendKeys(chromedp.CSS("#password"), pw),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#current_password")),
			chromedp.SendKeys(chromedp.CSS("#current_password"), pw), chromedp.SendKeys(chromedp.CSS("#new_password"), "mật khẩu của Bộ đủ dài"),
			chromedp.SendKeys(chromedp.CSS("#confirm_password"), "mật khẩu của Bộ đủ dài"), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(`main a[href="/national"]`)),
			chromedp.Click(chromedp.CSS(`main a[href="/national"]`)), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
		// The chart is drawn: a bar for the demo province's fund has a width.
		w, err := chromedp.Run(ministry, chromedp.Evaluate[float64](`document.querySelector("figure.chart rect.fund").getBBox().width`))
		if err != nil || w <= 0 {
			t.Fatalf("the national chart has no fund bar (width %v, %v)", w, err)
		}
		if !strings.Contains(text(t, ministry, "figure.chart"), "Tỉnh Mẫu") {
			t.Fatal("the national chart does not name the demo province")
		}
		shot(t, ministry, "national.png")
		do(t, ministry, chromedp.Click(chromedp.CSS(`main table a[href^="/national/99"]`)), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
		shot(t, ministry, "national-province.png")
		do(t, ministry, chromedp.EmulateViewport(390, 844), chromedp.Navigate(s.srv.URL+"/national"), chromedp.WaitVisible(chromedp.CSS("figure.chart svg")))
		shot(t, ministry, "national-phone.png")
		wide, err := chromedp.Run(ministry, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if err != nil || wide {
			t.Fatalf("the national page scrolls sideways on a phone (%v)", err)
		}
	})
}
