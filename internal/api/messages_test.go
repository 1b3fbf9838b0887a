package api

import (
	"encoding/json"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"

	"communehr/internal/msg"
	"communehr/internal/store"
)

// One message catalogue for both languages (issue 12 item 4; issue 13 item 5): warnings and reasons are
// rendered in the reader's language, chosen by Accept-Language, never "English / Vietnamese" in one string,
// and never with an API field name, a code or an HTTP verb.
func TestCalculationMessagesSpeakTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	tok := e.key(store.RoleProvinceViewer, "01")
	type result struct {
		Warnings []string `json:"warnings"`
		Options  []struct {
			Reason string `json:"reason"`
		} `json:"options"`
	}
	call := func(name, body, lang string) (result, string) {
		r := e.do("POST", "/v1/calculations/"+name, tok, body, "Accept-Language", lang)
		mustStatus(t, r, 200)
		var out result
		r.json(t, &out)
		return out, r.Header.Get("Content-Language")
	}
	// Commune fund without population or area: the increments are not applied, and it says so.
	vi, cl := call("commune-fund", `{"class":1,"as_of":"2025-03-01"}`, "vi-VN,vi;q=0.9,en;q=0.5")
	en, clEN := call("commune-fund", `{"class":1,"as_of":"2025-03-01"}`, "en")
	if cl != "vi" || clEN != "en" || len(vi.Warnings) != 1 || len(en.Warnings) != 1 {
		t.Fatalf("vi %v (%s), en %v (%s)", vi.Warnings, cl, en.Warnings, clEN)
	}
	if want := msg.New("d33.increments_not_applied"); vi.Warnings[0] != want.Render(msg.VI) || en.Warnings[0] != want.Render(msg.EN) {
		t.Fatalf("vi %q, en %q", vi.Warnings[0], en.Warnings[0])
	}
	// A cadre leaving after Decree 178 stopped being offered: every option says why, in Vietnamese.
	body := `{"kind":"cadre","gender":"male","birth_date":"1966-09-10","decision_date":"2025-09-01","exit_date":"2025-10-01",
		"monthly_salary":"10000000","si_months":240}`
	vi, _ = call("best-exit", body, "vi")
	en, _ = call("best-exit", body, "en-GB")
	if len(vi.Options) == 0 || len(vi.Options) != len(en.Options) {
		t.Fatalf("options vi %v en %v", vi.Options, en.Options)
	}
	for i, o := range vi.Options {
		for _, s := range []string{o.Reason, en.Options[i].Reason} {
			if s == "" || strings.Contains(s, " / ") || msgcheck.DeveloperText(s) != "" {
				t.Errorf("reason %q", s)
			}
		}
		if o.Reason == en.Options[i].Reason {
			t.Errorf("option %d: the same reason in both languages: %q", i, o.Reason)
		}
	}
	if !strings.Contains(vi.Options[0].Reason, "Không áp dụng Nghị định 178/2024/NĐ-CP") ||
		!strings.Contains(en.Options[0].Reason, "Decree 178/2024 is not offered") {
		t.Fatalf("vi %q / en %q", vi.Options[0].Reason, en.Options[0].Reason)
	}
	for _, w := range append(vi.Warnings, en.Warnings...) {
		if strings.Contains(w, " / ") || msgcheck.DeveloperText(w) != "" {
			t.Errorf("warning %q", w)
		}
	}
}

func TestEntitlementAndReportMessagesSpeakTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entitlementFixture(e)
	ed := e.key(store.RoleProvinceEditor, "01")
	body := map[string]any{"exit_date": "2025-05-01", "decision_date": "2025-03-01", "reason": "reorganisation"}
	r := e.do("POST", "/v1/provinces/01/cadres/"+cadreH+"/entitlements", ed, body, "Accept-Language", "vi")
	mustStatus(t, r, 200)
	var out entitlementResponse
	r.json(t, &out)
	if len(out.Result.Warnings) == 0 {
		t.Fatalf("no warnings: %s", r.Body)
	}
	for _, w := range out.Result.Warnings {
		if !strings.ContainsAny(w, "ăâđêôơưạảấầậắằặẹếềệịọốồộớờợụứừựỳ") || strings.Contains(w, " / ") || msgcheck.DeveloperText(w) != "" {
			t.Errorf("Vietnamese warning %q", w)
		}
	}
	// The report's notes (commune posts ended on 2025-08-01: no commune fund) in the reader's language.
	for lang, want := range map[string]string{"vi": "chấm dứt", "en": "ended"} {
		r = e.do("GET", "/v1/provinces/01/allowances?as_of=2025-09-01", ed, nil, "Accept-Language", lang)
		mustStatus(t, r, 200)
		var rep struct {
			Communes []struct {
				FundNote *string `json:"fund_note"`
			} `json:"communes"`
		}
		if err := json.Unmarshal(r.Body, &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Communes) == 0 || rep.Communes[0].FundNote == nil || !strings.Contains(*rep.Communes[0].FundNote, want) ||
			strings.Contains(*rep.Communes[0].FundNote, " / ") {
			t.Errorf("%s: %s", lang, r.Body)
		}
	}
}

// The person's field errors come from the catalogue: "national_id chữ số thứ 4 …, nhưng gender là nữ"
// (issue 13) now reads as a sentence about the identity number and the gender, in either language.
func TestCadreFieldErrorsNameNoAPIField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	body := map[string]any{"national_id": "001185012345", "full_name": "Nguyễn Văn 2", "gender": "male", "birth_date": "1985-03-02",
		"status": "retired"}
	for lang, want := range map[string]string{"vi": "chỉ giới tính nữ, nhưng giới tính ghi là nam", "en": "means female, but the gender given is male"} {
		r := e.do("POST", "/v1/provinces/01/cadres", ed, body, "Accept-Language", lang)
		mustStatus(t, r, 422)
		p := r.problem(t)
		if len(p.Errors) != 3 {
			t.Fatalf("%s: %+v", lang, p.Errors)
		}
		found := false
		for _, f := range p.Errors {
			if bad := msgcheck.DeveloperText(f.Message); bad != "" {
				t.Errorf("%s: %q names %q", lang, f.Message, bad)
			}
			found = found || strings.Contains(f.Message, want)
		}
		if !found {
			t.Errorf("%s: %+v", lang, p.Errors)
		}
	}
}

// validator's messages name the field by its catalogue label, in either language.
func TestValidatorMessagesUseFieldLabels(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	for lang, want := range map[string]string{"vi": "Số định danh cá nhân", "en": "The identity number"} {
		r := e.do("POST", "/v1/provinces/01/cadres", ed, map[string]any{"full_name": "Nguyễn Văn An", "gender": "male",
			"birth_date": "1985-03-02"}, "Accept-Language", lang)
		mustStatus(t, r, 422)
		p := r.problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Pointer != "/national_id" || !strings.HasPrefix(p.Errors[0].Message, want) ||
			msgcheck.DeveloperText(p.Errors[0].Message) != "" {
			t.Errorf("%s: %+v", lang, p.Errors)
		}
	}
}
