package api

import (
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// The notes of flagged posts come from the message catalogue in the reader's language (issue 13 item 5,
// the closing note's review): one language per answer, never "Vietnamese / English" in one string, and no
// developer text.
func TestFlaggedPostNotesSpeakTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	reportFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	for _, c := range []struct{ lang, want, not string }{
		{"vi", "đã chấm dứt sau ngày 31/07/2025", "ended after"},
		{"en", "ended after 2025-07-31", "chấm dứt"},
	} {
		r := e.do("GET", "/v1/provinces/01/allowances?as_of=2025-09-01", ed, nil, "Accept-Language", c.lang)
		mustStatus(t, r, 200)
		var rep allowanceReport
		r.json(t, &rep)
		if len(rep.FlaggedPosts) == 0 {
			t.Fatalf("%s: nothing flagged", c.lang)
		}
		for _, f := range rep.FlaggedPosts {
			if !strings.Contains(f.Note, c.want) || strings.Contains(f.Note, c.not) || strings.Contains(f.Note, " / ") {
				t.Fatalf("%s: note %q", c.lang, f.Note)
			}
			if bad := msgcheck.DeveloperText(f.Note); bad != "" {
				t.Fatalf("%s: note %q carries %q", c.lang, f.Note, bad)
			}
		}
	}
	// A hamlet closed on 2024-12-31 read on its own: the note says so in the reader's language.
	r := e.do("GET", "/v1/provinces/01/hamlets/H4/allowances?as_of=2025-03-01", ed, nil, "Accept-Language", "vi")
	mustStatus(t, r, 200)
	var u unitAllowanceReport
	r.json(t, &u)
	if u.FundNote == nil || *u.FundNote != "Đơn vị không còn hiệu lực vào ngày lập báo cáo" {
		t.Fatalf("note %v", u.FundNote)
	}
}
