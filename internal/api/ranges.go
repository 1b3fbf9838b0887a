package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr"
)

// Numeric ranges (issue 10 item 9). Every numeric field of every request body, and every numeric column
// of every import, has its range in openapi.yaml: `minimum`/`maximum` for integers, and for amounts sent
// as decimal strings the extensions `x-minimum`, `x-maximum` (decimal strings) and `x-decimal-places`.
// The ranges are read from the embedded contract once and enforced here, so the contract and the server
// cannot drift apart, and a value the database columns cannot hold (2147483648 people, 10^14 km²) is a
// precise 422 naming the field (or the CSV line and column), never a 500.

// numRule is one field's range.
type numRule struct {
	min, max *decimal.Decimal
	places   int32 // at most this many decimals; -1 when unrestricted
}

type rangeTable struct {
	body   map[string]map[string]numRule // "METHOD /pattern" → JSON pointer (with * for array items) → rule
	column map[string]numRule            // import column → rule (the create schemas of the four kinds)
}

var (
	rangesOnce sync.Once
	ranges     rangeTable
	rangesErr  error
)

// importSchemas are the request schemas whose fields the import columns of each kind mirror.
var importSchemas = []string{"CommuneCreate", "HamletCreate", "CadreCreate", "AssignmentCreate"}

func loadRanges() (rangeTable, error) {
	rangesOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(communehr.OpenAPI)
		if err != nil {
			rangesErr = fmt.Errorf("openapi.yaml: %w", err)
			return
		}
		ranges = rangeTable{body: map[string]map[string]numRule{}, column: map[string]numRule{}}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				if op.RequestBody == nil || op.RequestBody.Value == nil {
					continue
				}
				mt := op.RequestBody.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil {
					continue
				}
				rules := map[string]numRule{}
				if err := collectRules(mt.Schema, "", rules, 0); err != nil {
					rangesErr = fmt.Errorf("openapi.yaml %s %s: %w", method, path, err)
					return
				}
				if len(rules) > 0 {
					ranges.body[strings.ToUpper(method)+" "+path] = rules
				}
			}
		}
		for _, name := range importSchemas {
			s := doc.Components.Schemas[name]
			if s == nil {
				rangesErr = fmt.Errorf("openapi.yaml: no schema %s", name)
				return
			}
			rules := map[string]numRule{}
			if err := collectRules(s, "", rules, 0); err != nil {
				rangesErr = fmt.Errorf("openapi.yaml %s: %w", name, err)
				return
			}
			for ptr, r := range rules {
				ranges.column[strings.TrimPrefix(ptr, "/")] = r
			}
		}
	})
	return ranges, rangesErr
}

// collectRules walks a schema (properties, array items, allOf) and records the rule of every numeric
// field under its JSON pointer.
func collectRules(ref *openapi3.SchemaRef, ptr string, out map[string]numRule, depth int) error {
	if ref == nil || ref.Value == nil || depth > 8 {
		return nil
	}
	s := ref.Value
	for _, sub := range s.AllOf {
		if err := collectRules(sub, ptr, out, depth+1); err != nil {
			return err
		}
	}
	rule, ok, err := ruleOf(s)
	if err != nil {
		return fmt.Errorf("%s: %w", ptr, err)
	}
	if ok {
		if prev, seen := out[ptr]; seen {
			rule = tighter(prev, rule)
		}
		out[ptr] = rule
	}
	for name, p := range s.Properties {
		if err := collectRules(p, ptr+"/"+name, out, depth+1); err != nil {
			return err
		}
	}
	if s.Items != nil {
		if err := collectRules(s.Items, ptr+"/*", out, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// ruleOf reads one schema's range: minimum/maximum of an integer or number, or the x- extensions of a
// decimal string.
func ruleOf(s *openapi3.Schema) (numRule, bool, error) {
	r := numRule{places: -1}
	switch {
	case s.Type.Is("integer") || s.Type.Is("number"):
		if s.Min != nil {
			d := decimal.NewFromFloat(*s.Min)
			r.min = &d
		}
		if s.Max != nil {
			d := decimal.NewFromFloat(*s.Max)
			r.max = &d
		}
		if s.Type.Is("integer") {
			r.places = 0
		}
		return r, true, nil
	case s.Extensions["x-minimum"] != nil || s.Extensions["x-maximum"] != nil:
		for key, dst := range map[string]**decimal.Decimal{"x-minimum": &r.min, "x-maximum": &r.max} {
			v, ok := s.Extensions[key]
			if !ok {
				continue
			}
			str, ok := v.(string)
			if !ok {
				return r, false, fmt.Errorf("%s must be a decimal string", key)
			}
			d, err := decimal.NewFromString(str)
			if err != nil {
				return r, false, fmt.Errorf("%s %q: %w", key, str, err)
			}
			*dst = &d
		}
		if v, ok := s.Extensions["x-decimal-places"]; ok {
			n, ok := v.(float64)
			if !ok || n < 0 || n != float64(int32(n)) {
				return r, false, fmt.Errorf("x-decimal-places must be a whole number")
			}
			r.places = int32(n)
		}
		return r, true, nil
	}
	return r, false, nil
}

func tighter(a, b numRule) numRule {
	if b.min != nil && (a.min == nil || b.min.GreaterThan(*a.min)) {
		a.min = b.min
	}
	if b.max != nil && (a.max == nil || b.max.LessThan(*a.max)) {
		a.max = b.max
	}
	if b.places >= 0 && (a.places < 0 || b.places < a.places) {
		a.places = b.places
	}
	return a
}

// violation checks one value against the rule; ok is false with the messages when it is outside.
// The code is the validator's for the same rule (min, max), so that the records API and an import answer
// one rule with one code.
func (r numRule) violation(d decimal.Decimal) (code, en, vi string, ok bool) {
	if (r.min != nil && d.LessThan(*r.min)) || (r.max != nil && d.GreaterThan(*r.max)) {
		code = "max"
		if r.min != nil && d.LessThan(*r.min) {
			code = "min"
		}
		switch {
		case r.min != nil && r.max != nil:
			return code, "must be " + r.min.String() + " or more and at most " + r.max.String(),
				"phải từ " + r.min.String() + " trở lên và không quá " + r.max.String(), false
		case r.min != nil:
			return code, "must be " + r.min.String() + " or more", "phải từ " + r.min.String() + " trở lên", false
		default:
			return code, "must be at most " + r.max.String(), "phải không quá " + r.max.String(), false
		}
	}
	if r.places >= 0 && -d.Exponent() > r.places && !d.Equal(d.Truncate(r.places)) {
		if r.places == 0 {
			return "integer", "must be a whole number", "phải là số nguyên", false
		}
		return "decimal_places", fmt.Sprintf("must have at most %d decimal places", r.places), fmt.Sprintf("tối đa %d chữ số thập phân", r.places), false
	}
	return "", "", "", true
}

// checkBodyRanges holds a decoded JSON body to the ranges openapi.yaml gives its route's numeric fields:
// nil when every value is inside, else a 422 with a pointer to each field outside. Values that are not
// numbers (or decimal strings) are left to the decoder and the validators.
func checkBodyRanges(r *http.Request, body []byte) error {
	t, err := loadRanges()
	if err != nil {
		return err
	}
	rc := chi.RouteContext(r.Context())
	if rc == nil {
		return nil
	}
	rules := t.body[r.Method+" "+rc.RoutePattern()]
	if len(rules) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil
	}
	ptrs := make([]string, 0, len(rules))
	for p := range rules {
		ptrs = append(ptrs, p)
	}
	sort.Strings(ptrs)
	var bad []FieldError
	for _, p := range ptrs {
		rule := rules[p]
		visit(doc, strings.Split(strings.TrimPrefix(p, "/"), "/"), "", func(at string, v any) {
			d, ok := numberOf(v)
			if !ok {
				return
			}
			if code, en, vi, ok := rule.violation(d); !ok {
				bad = append(bad, FieldError{Pointer: at, Code: code, MessageEN: en, MessageVI: vi})
			}
		})
	}
	if len(bad) == 0 {
		return nil
	}
	return errInvalid("Some numbers are outside their allowed range.", "Một số giá trị số nằm ngoài khoảng cho phép.", bad...)
}

// visit calls fn with every value found at the pointer segments (* for every item of an array).
func visit(v any, segs []string, at string, fn func(at string, v any)) {
	if len(segs) == 0 {
		fn(at, v)
		return
	}
	switch t := v.(type) {
	case map[string]any:
		if child, ok := t[segs[0]]; ok {
			visit(child, segs[1:], at+"/"+segs[0], fn)
		}
	case []any:
		if segs[0] == "*" {
			for i, child := range t {
				visit(child, segs[1:], fmt.Sprintf("%s/%d", at, i), fn)
			}
		}
	}
}

// numberOf reads a JSON number or a decimal string; ok is false for anything else (null, text that is
// not a number: the decoder reports those).
func numberOf(v any) (decimal.Decimal, bool) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = strings.TrimSpace(t)
	default:
		return decimal.Decimal{}, false
	}
	if s == "" || len(s) > 400 {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, false
	}
	return d, true
}

// cellInRange holds an import cell's number to the range of the column's field in openapi.yaml; false
// (with the error recorded against the column) when it is outside.
func (p *cellParser) cellInRange(field string, d decimal.Decimal) bool {
	t, err := loadRanges()
	if err != nil {
		p.fail(field, "range", err.Error(), err.Error())
		return false
	}
	rule, ok := t.column[field]
	if !ok {
		return true
	}
	if code, en, vi, ok := rule.violation(d); !ok {
		p.fail(field, code, en, vi)
		return false
	}
	return true
}
