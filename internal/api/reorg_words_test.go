package api

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

var anyUUID = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// officerTexts collects every text of a reorganisation answer an officer reads: the questions' and
// problems' messages, the reasons, details and warnings.
func officerTexts(v any, key string, out *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			officerTexts(val, k, out)
		}
	case []any:
		for _, val := range t {
			officerTexts(val, key, out)
		}
	case string:
		switch key {
		case "message", "reason", "detail", "title", "warnings":
			*out = append(*out, t)
		}
	}
}

// Issue 10 item 13 (wording): the questions a split asks (needs_answer) and the refusal of an apply left
// unanswered name the post's holder, its title and its period, never the post's internal id, in both
// languages; nor does any other text of the preview (a commune split, and a hamlet merger whose answer
// may be "end").
func TestReorganisationQuestionsNameThePersonNotTheID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	commune := map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": reorgMapping()}
	wants := map[string][]string{
		"en": {"Lê Văn Ba", "Vice-chair of the Farmers' Association", "2018-01-01"},
		"vi": {"Lê Văn Ba", "Phó chủ tịch Hội Nông dân", "2018-01-01"},
	}
	for lang, want := range wants {
		checkReorgWords(t, e, ed, commune, lang, want)
	}
	// A hamlet merger: HB's head may go to HA or end.
	if _, err := e.admin.Exec(t.Context(), `
		INSERT INTO hamlets (province_code, code, commune_code, name, kind, households, effective_from) VALUES ('97', 'HB', '90001', 'Thôn B', 'thon', 150, '2010-01-01');
		INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('97', '00000000-0000-4000-8000-000000000004', '097072000004', 'Phạm Văn Bốn', 'male', '1972-01-01', 100);
		INSERT INTO assignments (province_code, id, cadre_id, position_code, hamlet_code, start_date, end_date) VALUES
			('97', '00000000-0000-4000-9000-000000000004', '00000000-0000-4000-8000-000000000004', 'truong_thon_to_truong', 'HB', '2015-01-01', '2027-12-31')`); err != nil {
		t.Fatal(err)
	}
	hamlet := map[string]any{"effective_date": "2026-01-01", "level": "hamlet",
		"mapping": []map[string]string{{"old": "HB", "new": "HA", "coverage": "full"}}}
	checkReorgWords(t, e, ed, hamlet, "en", []string{"Phạm Văn Bốn", "Hamlet head", "2015-01-01 to 2027-12-31", "or end the post"})
	checkReorgWords(t, e, ed, hamlet, "vi", []string{"Phạm Văn Bốn", "Trưởng thôn", "từ 2015-01-01 đến 2027-12-31", "hoặc chấm dứt chức danh"})
}

// checkReorgWords previews and applies (unanswered: 422) body in lang, checks every text an officer
// reads for developer text and ids, and that the text about the post names each of want.
func checkReorgWords(t *testing.T, e *env, token string, body map[string]any, lang string, want []string) {
	t.Helper()
	for _, mode := range []string{"preview", "apply"} {
		r := e.do("POST", "/v1/provinces/97/reorganisations?mode="+mode, token, body, "Accept-Language", lang)
		var answer any
		if err := json.Unmarshal(r.Body, &answer); err != nil {
			t.Fatal(err)
		}
		var texts []string
		officerTexts(answer, "", &texts)
		post := ""
		for _, s := range texts {
			if bad := msgcheck.DeveloperText(s); bad != "" || anyUUID.MatchString(s) || strings.Contains(s, "@") {
				t.Errorf("%s %s: %q (%q)", lang, mode, s, bad)
			}
			if strings.Contains(s, want[0]) {
				post = s
			}
		}
		for _, w := range want {
			if !strings.Contains(post, w) {
				t.Errorf("%s %s: the post's question %q does not name %q (texts %q)", lang, mode, post, w, texts)
			}
		}
	}
}
