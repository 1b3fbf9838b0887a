package msg

import (
	"bufio"
	"communehr/internal/msg/msgcheck"
	"os"
	"regexp"
	"strings"
	"testing"
)

var verb = regexp.MustCompile(`%\[\d+\][a-z]`)

// TestEveryCodeHasBothLanguages: Vietnamese is the reference, English follows; both texts exist, differ (a
// copy is not a translation) and take the same arguments.
func TestEveryCodeHasBothLanguages(t *testing.T) {
	if len(Codes()) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, c := range Codes() {
		vi, en, _ := Texts(c)
		if strings.TrimSpace(vi) == "" || strings.TrimSpace(en) == "" {
			t.Errorf("%s: vi %q, en %q", c, vi, en)
			continue
		}
		if vi == en {
			t.Errorf("%s: the Vietnamese text is the English one: %q", c, vi)
		}
		if a, b := argSet(vi), argSet(en); a != b {
			t.Errorf("%s: arguments differ: vi %s, en %s", c, a, b)
		}
		if strings.Contains(vi, "%") && !verb.MatchString(vi) || strings.Contains(en, "%") && !verb.MatchString(en) {
			t.Errorf("%s: arguments must be positional (%%[1]s)", c)
		}
	}
}

func argSet(s string) string {
	seen := map[string]bool{}
	for _, m := range verb.FindAllString(s, -1) {
		seen[m] = true
	}
	var out []string
	for _, c := range []string{"1", "2", "3", "4", "5", "6"} {
		if seen["%["+c+"]s"] {
			out = append(out, c)
		}
	}
	return strings.Join(out, ",")
}

// apiFieldNames reads every property name of openapi.yaml that is an identifier (snake_case): the names a
// reader must never meet in a message.
func apiFieldNames(t *testing.T) []string {
	f, err := os.Open("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	prop := regexp.MustCompile(`^\s+([a-z][a-z0-9]*(?:_[a-z0-9]+)+):`)
	seen := map[string]bool{}
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if m := prop.FindStringSubmatch(sc.Text()); m != nil && !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	if len(out) < 50 {
		t.Fatalf("only %d field names read from openapi.yaml", len(out))
	}
	return out
}

// TestNoDeveloperTextInTheCatalogue: rendered with arguments in both languages, no message names an API
// field, an HTTP verb, a file, a path or a review note.
func TestNoDeveloperTextInTheCatalogue(t *testing.T) {
	fields := apiFieldNames(t)
	for _, c := range Codes() {
		m := Message{Code: c}
		vi, _, _ := Texts(c)
		for i := 0; i < len(verb.FindAllString(vi, -1)); i++ {
			m.Args = append(m.Args, Text{VI: "giá trị", EN: "value"})
		}
		for _, l := range []Lang{VI, EN} {
			s := m.Render(l)
			if strings.Contains(s, "%!") {
				t.Errorf("%s/%s: bad arguments: %q", c, l, s)
			}
			if bad := msgcheck.DeveloperText(s); bad != "" {
				t.Errorf("%s/%s: %q contains %q", c, l, s, bad)
			}
			for _, f := range fields {
				if regexp.MustCompile(`\b` + f + `\b`).MatchString(s) {
					t.Errorf("%s/%s: %q names the API field %q", c, l, s, f)
				}
			}
		}
	}
}

func TestDeveloperTextCatchesWhatItShould(t *testing.T) {
	for _, s := range []string{"see rules.md", "VERIFY this", "hãy PUT theo nghị quyết", "(GET /v1/positions)",
		"national_id chữ số thứ 4", "in decree33.go", "TODO"} {
		if msgcheck.DeveloperText(s) == "" {
			t.Errorf("%q passed", s)
		}
	}
	for _, s := range []string{"Nghị định 33/2023/NĐ-CP", "Decree 178/2024 Art. 7 cl. 2(a)", "1–6 odd months → ½ year",
		"Thời gian công tác 124 tháng", "2025-06-16"} {
		if bad := msgcheck.DeveloperText(s); bad != "" {
			t.Errorf("%q refused for %q", s, bad)
		}
	}
}

func TestRenderPicksTheLanguageAndNewRefusesUnknownCodes(t *testing.T) {
	m := New("d29.transition_no_difference", "1,000")
	if m.Render(VI) != "Tính lại theo Nghị định 154/2025/NĐ-CP được 1,000, không cao hơn theo Nghị định 29/2023/NĐ-CP: không có phần chênh lệch" ||
		!strings.HasPrefix(m.Render(EN), "Recalculated under Decree 154/2025") {
		t.Fatalf("%q / %q", m.Render(VI), m.Render(EN))
	}
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown code was accepted")
		}
	}()
	New("no.such_code")
}
