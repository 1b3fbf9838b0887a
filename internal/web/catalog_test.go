package web

import (
	"io/fs"
	"regexp"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// TestCatalogues: both languages hold the same keys, and every key a template or handler names exists.
func TestCatalogues(t *testing.T) {
	t.Parallel()
	cats := mustLoadCatalogs()
	for k := range cats["vi"] {
		if _, ok := cats["en"][k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range cats["en"] {
		if _, ok := cats["vi"][k]; !ok {
			t.Errorf("vi.json lacks %q (the reference catalogue)", k)
		}
	}
	used := map[string]bool{}
	literal := regexp.MustCompile(`\b(?:t|tf) "([a-z_0-9.]+)"`)
	_ = fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		b, _ := files.ReadFile(path)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
	// Keys built at run time.
	for _, p := range []string{policy.PolicyDecree29, policy.PolicyDecree154Art9, policy.PolicyDecree154Art10, policy.PolicyEarlyRetire178, policy.PolicyResign178} {
		used["policy."+p] = true
	}
	for _, k := range append(communeKinds, "thon", "to_dan_pho") {
		used["kind."+k] = true
	}
	used["form.choice_invalid"] = true
	for _, k := range []string{"why.chosen", "why.ineligible", "why.equal", "why.less"} {
		used[k] = true
	}
	for _, r := range reasons {
		used["reason."+r] = true
	}
	for _, r := range []string{store.RoleOperator, store.RoleMinistry, store.RoleProvinceEditor, store.RoleProvinceViewer} {
		used["role."+r] = true
	}
	for _, k := range []string{"status.active", "status.left", "status.retired", "gender.male", "gender.female",
		"decision.status_draft", "decision.status_approved", "decision.status_superseded", "basis.central_fund_share", "basis.hdnd_level",
		"password.password_too_short", "password.password_too_long", "password.password_unchanged", "password.password_wrong",
		"flash.logged_out", "flash.password_changed", "flash.draft_saved", "flash.approved", "flash.superseded", "flash.stale",
		"flash.current_decision_exists", "flash.already_superseded", "error.not_found", "error.forbidden", "error.internal", "error.busy", "error.cross_origin",
		"login.required", "login.throttled", "login.bad_credentials", "password.mismatch", "people.q_invalid",
		"form.date_required", "form.reason_required", "form.money_invalid", "form.date_invalid", "form.text_required",
		"form.decision_date_differs", "form.stale", "flash.run_started", "reorg.file_required", "reorg.file_too_large",
		"reorg.no_reference", "reorg.q_hamlet", "reorg.q_post", "reorg.end_post", "reorg.busy"} {
		used[k] = true
	}
	for k := range used {
		if _, ok := cats["vi"][k]; !ok {
			t.Errorf("key %q is used but not in vi.json", k)
		}
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want string
	}{{"0", "0"}, {"999", "999"}, {"1000", "1.000"}, {"2340000", "2.340.000"}, {"744788125", "744.788.125"}, {"-1500", "-1.500"},
		// Money is whole đồng (rounded half away from zero), as in the exports: one function, vnfmt.Money.
		{"12.5", "13"}, {"-1234.5", "-1.235"}, {"-0.4", "0"}, {"-123456789012345", "-123.456.789.012.345"}} {
		if got := formatMoney(decimal.RequireFromString(c.in)); got != c.want {
			t.Errorf("formatMoney(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		n    int64
		want string
	}{
		{744788125, "Bảy trăm bốn mươi bốn triệu bảy trăm tám mươi tám nghìn một trăm hai mươi lăm đồng"},
		{93892500, "Chín mươi ba triệu tám trăm chín mươi hai nghìn năm trăm đồng"},
		{1005000, "Một triệu không trăm linh năm nghìn đồng"},
		{21, "Hai mươi mốt đồng"}, {15, "Mười lăm đồng"}, {1000000000, "Một tỷ đồng"}, {0, "Không đồng"},
	} {
		if got := amountInWords(c.n); got != c.want {
			t.Errorf("amountInWords(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	for in, want := range map[string]string{"0.8 × 3,510,000 × 25 months": "0,8 × 3.510.000 × 25 tháng", "1.5 × 2340000": "1,5 × 2.340.000"} {
		if got := formulaVI(in); got != want {
			t.Errorf("formulaVI(%q) = %q, want %q", in, got, want)
		}
	}
	if got := actDate(mustTime("2026-01-05")); got != "ngày 05 tháng 01 năm 2026" {
		t.Errorf("actDate = %q", got)
	}
	if got := actDate(mustTime("2025-07-20")); got != "ngày 20 tháng 7 năm 2025" {
		t.Errorf("actDate = %q", got)
	}
	for in, want := range map[string]string{"/people?q=x": "/people?q=x", "//evil.example": "/", "https://evil.example/": "/", "/\\evil": "/", "": "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustTime(s string) time.Time {
	v, ok := parseDate(s)
	if !ok {
		panic(s)
	}
	return v
}
