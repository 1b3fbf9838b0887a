package store

import (
	"strings"
	"testing"
)

// Only values made of safe characters are inlined into the one-trip BEGIN; anything else is bound.
func TestBeginQueryInlinesOnlyPlainValues(t *testing.T) {
	q, ok := beginQuery(Principal{Role: RoleProvinceViewer, Province: "99", KeyID: 42, UserID: 7})
	if !ok || !strings.HasPrefix(q, "BEGIN; ") || !strings.Contains(q, "'99'") || !strings.Contains(q, "'42'") ||
		!strings.Contains(q, "'7'") || strings.Contains(q, NationalRole) {
		t.Errorf("province viewer: %q, %v", q, ok)
	}
	if q, ok := beginQuery(Principal{Role: RoleOperator}); !ok || !strings.HasSuffix(q, "SET LOCAL ROLE "+NationalRole) {
		t.Errorf("operator: %q, %v", q, ok)
	}
	for _, p := range []Principal{
		{Role: RoleProvinceViewer, Province: "9'9"},
		{Role: "x'); DROP TABLE cadres; --", Province: "99"},
		{Role: RoleProvinceViewer, Province: "99\\"},
		{Role: RoleProvinceViewer, Province: strings.Repeat("9", 65)},
	} {
		if q, ok := beginQuery(p); ok {
			t.Errorf("%+v inlined: %q", p, q)
		}
	}
}
