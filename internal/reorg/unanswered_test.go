package reorg

import (
	"errors"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
)

// Done when: an apply refused for a split without an answer names the hamlet and the post's holder and
// the units to choose from, in words: no assignment id, no dated unit key, no "end" value.
func TestUnansweredSplitReadsAsWords(t *testing.T) {
	id := "6f1c2a9e-8b1d-4c1e-9a53-0e5d7c1b2a40"
	err := unanswered([]Question{
		{Kind: "post", ID: id, Unit: "00100@2025-07-01", Choices: []string{"00101", "00102", "end"}, Name: "Nguyễn Văn An"},
		{Kind: "hamlet", ID: "00100-01", Unit: "00100@2025-07-01", Choices: []string{"00101", "00102"}, Name: "Thôn Đông"},
	})
	var inv *Invalid
	if !errors.As(err, &inv) || len(inv.Fields) != 2 {
		t.Fatalf("refusal %v", err)
	}
	want := []string{"Nguyễn Văn An", "Thôn Đông"}
	for i, f := range inv.Fields {
		for _, text := range []string{f.EN, f.VI} {
			if bad := msgcheck.DeveloperText(text); bad != "" || strings.Contains(text, id) || strings.Contains(text, "@") ||
				strings.Contains(text, ", end") || !strings.Contains(text, want[i]) || !strings.Contains(text, "00101, 00102") {
				t.Errorf("reason %q (developer text %q)", text, bad)
			}
		}
	}
}
