package policy

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2025-02-29", "2025-13-01", "25-01-01", "2025-1-01", "2025-01-01T00:00:00Z", "", "abcd-ef-gh"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		} else if ie := (*InputError)(nil); !errors.As(err, &ie) || ie.Code != "invalid_date" {
			t.Errorf("ParseDate(%q) error %v", s, err)
		}
	}
	d, err := ParseDate("2024-02-29")
	if err != nil || d != (Date{2024, 2, 29}) || d.String() != "2024-02-29" {
		t.Fatalf("%v %v", d, err)
	}
}

func TestDateJSON(t *testing.T) {
	var v struct {
		A Date  `json:"a"`
		B *Date `json:"b"`
		C Date  `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2025-08-01","b":"2030-12-31","c":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != MustDate("2025-08-01") || *v.B != MustDate("2030-12-31") || !v.C.IsZero() {
		t.Fatalf("%+v", v)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"a":"2025-08-01","b":"2030-12-31","c":null}` {
		t.Fatalf("%s", b)
	}
	for _, bad := range []string{`{"a":"2025-02-30"}`, `{"a":20250801}`, `{"a":"1/8/2025"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestAddMonthsAndMonthsBetween(t *testing.T) {
	cases := []struct {
		a, b         string
		months, days int
	}{
		{"2025-06-01", "2028-10-01", 40, 0},
		{"2025-06-15", "2028-10-01", 39, 16},
		{"2024-01-31", "2024-02-29", 1, 0},
		{"2024-01-31", "2024-03-30", 1, 30},
		{"2024-01-31", "2024-03-31", 2, 0},
		{"2025-08-01", "2025-08-01", 0, 0},
		{"2025-08-02", "2025-08-01", 0, 0},
		{"2025-01-15", "2026-01-14", 11, 30},
		{"2025-01-15", "2026-01-15", 12, 0},
	}
	for _, c := range cases {
		m, d := MonthsBetween(MustDate(c.a), MustDate(c.b))
		if m != c.months || d != c.days {
			t.Errorf("MonthsBetween(%s, %s) = %d, %d; want %d, %d", c.a, c.b, m, d, c.months, c.days)
		}
	}
	if got := MustDate("2024-01-31").AddMonths(1); got != MustDate("2024-02-29") {
		t.Errorf("AddMonths clamp: %s", got)
	}
	if got := MustDate("2025-03-31").AddMonths(-13); got != MustDate("2024-02-29") {
		t.Errorf("AddMonths back: %s", got)
	}
	a, b := MustDate("2025-01-01"), MustDate("2025-01-02")
	if !a.Before(b) || !b.After(a) || a.Compare(a) != 0 || a.Equal(b) {
		t.Error("comparison helpers")
	}
}

func TestRoundDongIsHalfAwayFromZero(t *testing.T) {
	for in, want := range map[string]string{"0.5": "1", "1.5": "2", "2.5": "3", "2.4999": "2", "-0.5": "-1"} {
		if got := roundDong(dec(in)).String(); got != want {
			t.Errorf("roundDong(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[int]string{0: "0", 1: "0.5", 6: "0.5", 7: "1", 12: "1", 40: "3.5", 42: "3.5", 43: "4", 246: "20.5"} {
		if got := halfYears(in).String(); got != want {
			t.Errorf("halfYears(%d) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "2340000": "2,340,000", "2106000.5": "2,106,000.5", "-1234567": "-1,234,567"} {
		if got := fmtMoney(dec(in)); got != want {
			t.Errorf("fmtMoney(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestHostileAmountsAreRejectedQuickly(t *testing.T) {
	for _, s := range []string{"1e9999", "1e-9999", "123456789012345678901234567890e-20", "1000000000000001", "0.0000000000001"} {
		_, err := NonProfessionalExit(NonProfessionalExitInput{MonthlyAllowance: dec(s), Level: LevelHamlet,
			ExitDate: MustDate("2025-09-01"), Gender: Male, BirthDate: MustDate("1990-01-01")})
		checkWantError(t, err, "/monthly_allowance", "amount_out_of_range", "")
	}
}
