package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chrome is one headless Chromium for a test's subtests; each officer gets a tab in a browser context of
// their own (separate cookies). Screenshots go to out.
type chrome struct {
	browser context.Context
	out     string
}

// startChrome starts Chromium (skipping or failing as browserPath says) at 1366×768.
func startChrome(t *testing.T) *chrome {
	t.Helper()
	path := browserPath(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768))
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return &chrome{browser: browser, out: outDir(t)}
}

// officer opens a tab in a browser context of its own. The tab is opened now, under the browser: a tab
// opened by a first action under a subtest's deadline would close with that deadline.
func (c *chrome) officer(t *testing.T) context.Context {
	ctx, cancel := chromedp.NewContext(c.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// within bounds one subtest's wait (120 s): a deadline against a hung page, not a speed goal (make
// bench-console measures speed); under make test the API and server packages' parallel tests share the
// machine with the browser.
func (c *chrome) within(t *testing.T, ctx context.Context) context.Context {
	return c.withinFor(t, ctx, 120*time.Second)
}

// withinFor bounds a longer subtest's wait (one that applies a province-wide change on a loaded machine).
func (c *chrome) withinFor(t *testing.T, ctx context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return ctx
}

func (c *chrome) do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func (c *chrome) shot(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.out, file), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func (c *chrome) body(t *testing.T, ctx context.Context) string {
	t.Helper()
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	return html
}

// text reads the text of sel. A page that refreshes itself (a run's progress) can be replaced between
// finding the node and reading it ("No node with given id found"): the read is then tried again.
func (c *chrome) text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	for try := 0; ; try++ {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err == nil {
			return s
		}
		if try == 5 || !strings.Contains(err.Error(), "No node with given id found") {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// firstLogin logs in a province's officer with a one-time password and sets newPW, ending on the
// province's dashboard (its cards: the password page has a heading too).
func (c *chrome) firstLogin(t *testing.T, ctx context.Context, srvURL, user, pw, newPW string) {
	t.Helper()
	c.do(t, ctx, chromedp.Navigate(srvURL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#current_password")),
		chromedp.SendKeys(chromedp.CSS("#current_password"), pw), chromedp.SendKeys(chromedp.CSS("#new_password"), newPW),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), newPW), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("section.cards")))
}
