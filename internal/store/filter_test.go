package store

import (
	"reflect"
	"testing"
)

// One value binds every ? of its condition; several bind one ? each, in turn; arg numbers on; the page
// size is written into the statement (a generic plan for it is kept), not bound.
func TestListQueryNumbersPlaceholders(t *testing.T) {
	t.Parallel()
	q := newListQuery("province_code = $1", "01")
	q.add("kind = ?", "xa")
	q.add("effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?)", "2025-07-01")
	q.add("superseded_by IS NULL")
	q.add("(code, effective_from) > (?, ?)", "00004", "2020-01-01")
	fn := q.arg("2025-07-01")
	page := q.page("code, effective_from", 50)
	want := "province_code = $1 AND kind = $2 AND effective_from <= $3 AND (effective_to IS NULL OR effective_to >= $3)" +
		" AND superseded_by IS NULL AND (code, effective_from) > ($4, $5)"
	if got := q.where(); got != want {
		t.Errorf("where:\n got %s\nwant %s", got, want)
	}
	if fn != "$6" || page != " ORDER BY code, effective_from LIMIT 50" {
		t.Errorf("arg %s, page %q", fn, page)
	}
	if wantArgs := []any{"01", "xa", "2025-07-01", "00004", "2020-01-01", "2025-07-01"}; !reflect.DeepEqual(q.args, wantArgs) {
		t.Errorf("args %v", q.args)
	}
}

// A province code is written into a list's statement; any other value is bound.
func TestProvinceListInlinesOnlyProvinceCodes(t *testing.T) {
	t.Parallel()
	q := newProvinceList("province_code", "08")
	q.add("kind = ?", "xa")
	if got := q.where(); got != "province_code = '08' AND kind = $1" || !reflect.DeepEqual(q.args, []any{"xa"}) {
		t.Errorf("08: %s %v", got, q.args)
	}
	for _, p := range []string{"8", "080", "0'", "ab", ""} {
		q := newProvinceList("province_code", p)
		if got := q.where(); got != "province_code = $1" || !reflect.DeepEqual(q.args, []any{p}) {
			t.Errorf("%q: %s %v", p, got, q.args)
		}
	}
}
