package policy

import (
	"communehr/internal/msg/msgcheck"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"communehr/internal/msg"
)

// forbiddenInText are developer notes that must never reach a user: spec
// file names, review markers, paths (issue 12, decisions item 4).
var forbiddenInText = []string{"rules.md", "VERIFY", ".md", ".go", "/tmp", "legal-basis", "TODO"}

// TestUserVisibleTextHasNoDeveloperNotes runs every golden case and checks
// every warning, label, reason and error message it produces.
func TestUserVisibleTextHasNoDeveloperNotes(t *testing.T) {
	messages := 0
	defer func() {
		if messages < 20 {
			t.Errorf("only %d rendered messages checked", messages)
		}
	}()
	for _, c := range loadGolden(t) {
		res, err := calculate(c.Calc, c.Input)
		var texts, rendered []string
		for _, e := range inputErrorList(err) {
			texts = append(texts, e.MessageEN, e.MessageVI)
		}
		for _, l := range []msg.Lang{msg.VI, msg.EN} {
			if res == nil {
				break
			}
			// Render the messages in each language, as the edge does.
			pv := reflect.New(reflect.TypeOf(res))
			pv.Elem().Set(reflect.ValueOf(res))
			lz, ok := pv.Interface().(interface{ Localize(msg.Lang) })
			if !ok {
				t.Fatalf("%s: %T cannot be rendered in the reader's language", c.Name, res)
			}
			lz.Localize(l)
			b, _ := json.Marshal(pv.Interface())
			var got struct {
				Lines []struct {
					LabelVI string `json:"label_vi"`
					LabelEN string `json:"label_en"`
					Formula string `json:"formula"`
				} `json:"lines"`
				Warnings []string `json:"warnings"`
				Options  []struct {
					Reason string `json:"reason"`
				} `json:"options"`
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			texts = append(texts, got.Warnings...)
			rendered = append(rendered, got.Warnings...)
			for _, l := range got.Lines {
				texts = append(texts, l.LabelVI, l.LabelEN, l.Formula)
			}
			for _, o := range got.Options {
				texts = append(texts, o.Reason)
				if o.Reason != "" {
					rendered = append(rendered, o.Reason)
				}
			}
		}
		for _, s := range texts {
			for _, bad := range forbiddenInText {
				if strings.Contains(s, bad) {
					t.Errorf("%s: user-visible text %q contains %q", c.Name, s, bad)
				}
			}
		}
		// Warnings and reasons come from the catalogue: no API field name, code or HTTP verb either, and
		// the Vietnamese rendering is Vietnamese.
		messages += len(rendered)
		for _, s := range rendered {
			if bad := msgcheck.DeveloperText(s); bad != "" {
				t.Errorf("%s: message %q contains %q", c.Name, s, bad)
			}
		}
	}
}

func TestCitationReadsAsLawIsCited(t *testing.T) {
	for _, tc := range []struct {
		c      Citation
		vi, en string
	}{
		{cite(instDecree33of2023, "34", "3"), "khoản 3 Điều 34 Nghị định 33/2023/NĐ-CP", "Decree 33/2023 Art. 34 cl. 3"},
		{cite(instDecree178of2024, "7", "2(a)"), "điểm a khoản 2 Điều 7 Nghị định 178/2024/NĐ-CP (sửa đổi bởi Nghị định 67/2025/NĐ-CP)",
			"Decree 178/2024 (as amended by Decree 67/2025) Art. 7 cl. 2(a)"},
		{cite(instDecree135of2020, "4", "1; Phụ lục I"), "khoản 1 Điều 4 và Phụ lục I Nghị định 135/2020/NĐ-CP", "Decree 135/2020 Art. 4 cl. 1; Phụ lục I"},
		{cite(instDecree33of2023, "34", ""), "Điều 34 Nghị định 33/2023/NĐ-CP", "Decree 33/2023 Art. 34"},
	} {
		if got := tc.c.VI(); got != tc.vi {
			t.Errorf("VI() = %q, want %q", got, tc.vi)
		}
		if got := tc.c.EN(); got != tc.en {
			t.Errorf("EN() = %q, want %q", got, tc.en)
		}
	}
}

// An exit inside the Art. 9 window carries no window warning (corner 5).
func TestArt9WindowWarnsOnlyOutside(t *testing.T) {
	work := 12
	for _, tc := range []struct {
		exit string
		warn bool
	}{{"2025-06-30", true}, {"2025-07-01", false}, {"2026-05-30", false}, {"2026-05-31", true}} {
		r, err := NonProfessionalExit(NonProfessionalExitInput{MonthlyAllowance: dec("2000000"), Level: LevelCommune,
			ExitDate: MustDate(tc.exit), WorkMonths: &work, Gender: Male, BirthDate: MustDate("1990-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(strings.Join(r.Warnings, "\n"), "outside the period")
		if got != tc.warn {
			t.Errorf("exit %s: window warning %v, want %v (%q)", tc.exit, got, tc.warn, r.Warnings)
		}
	}
}
