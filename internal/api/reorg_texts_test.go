package api

import (
	"encoding/json"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Done when (brief reorgcsv item 4): no text of a reorganisation an officer reads — a question of a split,
// a refusal's detail and messages, of a JSON request or of a file — names an API field, a record id
// (UUID), a unit's internal id (code@date), a JSON pointer or an HTTP verb, in either language.
func TestReorganisationTextsReadAsWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedReorg(t, e)
	ed := e.key(store.RoleProvinceEditor, "97")
	body := func(mapping any) map[string]any {
		return map[string]any{"effective_date": "2025-07-01", "level": "commune", "mapping": mapping}
	}
	calls := []struct {
		name, mode string
		body       any
	}{
		{"questions of a split", "preview", body(reorgMapping())},
		{"an apply with open questions", "apply", body(reorgMapping())},
		{"a mapping of the wrong type", "preview", body(5)},
		{"an unknown built-in mapping", "preview", body("national-2030")},
		{"no mapping", "preview", map[string]any{"effective_date": "2025-07-01", "level": "commune"}},
		{"bad values", "preview", body([]map[string]string{{"old": "", "new": "91001", "coverage": "most", "new_kind": "tinh"}})},
		{"a new unit without a name", "preview", body([]map[string]string{{"old": "90001", "new": "91001", "coverage": "full"}})},
		{"a unit both whole and split", "preview", body([]map[string]string{{"old": "90001", "new": "90002", "coverage": "full"},
			{"old": "90001", "new": "90003", "coverage": "partial"}})},
		{"a file without its columns", "preview", rawBody{"text/csv", []byte("cu,moi\n90001,91001\n")}},
		{"a file with a short line", "preview", rawBody{"text/csv", []byte("old,new,coverage\n90001,91001\n")}},
	}
	for _, c := range calls {
		for _, lang := range []string{"en", "vi"} {
			q := "?mode=" + c.mode
			if _, ok := c.body.(rawBody); ok {
				q += "&effective_date=2025-07-01&level=commune"
			}
			r := e.do("POST", "/v1/provinces/97/reorganisations"+q, ed, c.body, "Accept-Language", lang)
			var texts []string
			var out struct {
				Detail string `json:"detail"`
				Errors []struct {
					Message string `json:"message"`
				} `json:"errors"`
				NeedsAnswer []struct {
					Message string `json:"message"`
				} `json:"needs_answer"`
			}
			if err := json.Unmarshal(r.Body, &out); err != nil {
				t.Fatal(err)
			}
			texts = append(texts, out.Detail)
			for _, f := range out.Errors {
				texts = append(texts, f.Message)
			}
			for _, q := range out.NeedsAnswer {
				texts = append(texts, q.Message)
			}
			if len(texts) < 2 {
				t.Errorf("%s (%s): nothing to read: %s", c.name, lang, r.Body)
			}
			for _, s := range texts {
				if bad := msgcheck.DeveloperText(s); bad != "" || strings.Contains(s, "@") || strings.Contains(s, "/mapping") || strings.Contains(s, "national-20") {
					t.Errorf("%s (%s): %q shows %q", c.name, lang, s, bad)
				}
			}
		}
	}
}
