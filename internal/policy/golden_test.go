package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// goldenCase is one named situation of testdata/golden.json: the calculator
// (the endpoint name of docs/legal-basis.md §8), the request body, and what must come back.
type goldenCase struct {
	Name string `json:"name"`
	// Source names the published text or worked example the case comes from,
	// or says that the case is a hand-computed boundary case.
	Source string          `json:"source,omitempty"`
	Calc   string          `json:"calc"`
	Input  json.RawMessage `json:"input"`
	Want   struct {
		Total string `json:"total"`
		Lines []struct {
			Code   string `json:"code"`
			Amount string `json:"amount"`
		} `json:"lines"`
		// Fields are named result fields compared as JSON values.
		Fields map[string]any `json:"fields"`
		// Warning, when set, must be a substring of some warning.
		Warning string `json:"warning"`
	} `json:"want"`
	WantError *struct {
		Field      string `json:"field"`
		Code       string `json:"code"`
		OutOfRange string `json:"out_of_range"`
	} `json:"want_error"`
}

func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// calculate decodes a request body (docs/legal-basis.md §8) for the named calculator and runs it,
// as the HTTP layer will.
func calculate(calc string, raw []byte) (any, error) {
	switch calc {
	case "retirement-date":
		var in RetirementInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return RetirementDate(in)
	case "commune-fund":
		var in CommuneFundInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return CommuneFund(in)
	case "hamlet-fund":
		var in HamletFundInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return HamletFund(in)
	case "allowance":
		var in AllowanceInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return Allowance(in)
	case "non-professional-exit":
		var in NonProfessionalExitInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return NonProfessionalExit(in)
	case "early-retirement":
		var in EarlyRetirementInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return EarlyRetirement(in)
	case "resignation":
		var in ResignationInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return Resignation(in)
	case "best-exit":
		var in BestExitInput
		if err := decodeStrict(raw, &in); err != nil {
			return nil, err
		}
		return BestExit(in)
	}
	return nil, fmt.Errorf("unknown calculator %q", calc)
}

func inputErrorList(err error) []InputError {
	var one *InputError
	var many InputErrors
	switch {
	case errors.As(err, &many):
		return many
	case errors.As(err, &one):
		return []InputError{*one}
	}
	return nil
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := decodeStrict(raw, &cases); err != nil {
		t.Fatalf("testdata/golden.json: %v", err)
	}
	return cases
}

func TestGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range loadGolden(t) {
		if seen[c.Name] {
			t.Errorf("duplicate case name %q", c.Name)
		}
		seen[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			res, err := calculate(c.Calc, c.Input)
			if c.WantError != nil {
				checkWantError(t, err, c.WantError.Field, c.WantError.Code, c.WantError.OutOfRange)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got["total"] != c.Want.Total {
				t.Errorf("total = %v, want %s", got["total"], c.Want.Total)
			}
			if c.Want.Lines != nil {
				lines, _ := got["lines"].([]any)
				if len(lines) != len(c.Want.Lines) {
					t.Fatalf("got %d lines, want %d: %s", len(lines), len(c.Want.Lines), b)
				}
				for i, wl := range c.Want.Lines {
					gl := lines[i].(map[string]any)
					if gl["code"] != wl.Code || gl["amount"] != wl.Amount {
						t.Errorf("line %d = %v %v, want %s %s (formula %q)", i, gl["code"], gl["amount"], wl.Code, wl.Amount, gl["formula"])
					}
				}
			}
			for k, want := range c.Want.Fields {
				if !reflect.DeepEqual(got[k], want) {
					t.Errorf("%s = %#v, want %#v", k, got[k], want)
				}
			}
			if c.Want.Warning != "" && !bytes.Contains(b, []byte(c.Want.Warning)) {
				t.Errorf("no warning containing %q in %s", c.Want.Warning, b)
			}
		})
	}
}

func checkWantError(t *testing.T, err error, field, code, param string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s %s %s", field, code, param)
	}
	if param != "" {
		var oor *OutOfRangeError
		if !errors.As(err, &oor) || oor.Param != param {
			t.Fatalf("error %v, want OutOfRangeError for %s", err, param)
		}
		return
	}
	for _, e := range inputErrorList(err) {
		if e.Field == field && e.Code == code {
			if e.MessageEN == "" || e.MessageVI == "" {
				t.Errorf("error %v lacks a message", e)
			}
			return
		}
	}
	t.Fatalf("error %v, want %s %s", err, field, code)
}
