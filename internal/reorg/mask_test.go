package reorg

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var idRun = regexp.MustCompile(`[0-9]{12}`)

// fill sets every string of v (structs, slices, pointers, one level of recursion per type) to s.
func fill(v reflect.Value, s string, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s, depth)
			}
		}
	case reflect.Slice:
		if depth > 2 {
			return
		}
		n := reflect.MakeSlice(v.Type(), 2, 2)
		for i := 0; i < 2; i++ {
			fill(n.Index(i), s, depth+1)
		}
		v.Set(n)
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem().Name() == "Date" {
			return
		}
		if depth > 2 {
			return
		}
		n := reflect.New(v.Type().Elem())
		fill(n.Elem(), s, depth+1)
		v.Set(n)
	}
}

// Done when (brief reorgcsv item 2): every text of a summary, whatever field it sits in (this test fills
// all of them, so a field added later is covered), reaches a viewer masked; only the record ids the
// service made are kept.
func TestMaskedSummaryMasksEveryText(t *testing.T) {
	var s Summary
	fill(reflect.ValueOf(&s).Elem(), "Xã 001234567890", 0)
	for i := range s.NeedsAnswer {
		s.NeedsAnswer[i].Kind = "hamlet"
	}
	mask := func(x string) string { return idRun.ReplaceAllString(x, "0012*****890") }
	b, err := json.Marshal(s.Masked(mask))
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	_ = json.Unmarshal(b, &back)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case string:
			kept := strings.HasSuffix(path, "reorganisation_id") || strings.HasSuffix(path, "assignment_id") || strings.HasSuffix(path, "cadre_id")
			if idRun.MatchString(x) != kept {
				t.Errorf("%s = %q", path, x)
			}
		case map[string]any:
			for k, e := range x {
				walk(path+"/"+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"/*", e)
			}
		}
	}
	walk("", back)
	// The console's fields (not in JSON) too.
	for _, q := range s.Masked(mask).NeedsAnswer {
		if idRun.MatchString(q.Name + q.PositionCode) {
			t.Errorf("question %+v", q)
		}
	}
	if s.UnitsClosed[0].Name != "Xã 001234567890" {
		t.Error("Masked changed the summary it copies")
	}
}

// Masking with nothing to mask changes nothing, empty lists included (the contract says [] not null).
func TestMaskedSummaryKeepsEmptyLists(t *testing.T) {
	s := newSummary("hamlet", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s.FundsBefore.Communes, s.FundsAfter.Hamlets = []FundLine{}, []FundLine{}
	a, _ := json.Marshal(s)
	b, _ := json.Marshal(s.Masked(func(x string) string { return x }))
	if string(a) != string(b) {
		t.Errorf("masked %s, want %s", b, a)
	}
}
