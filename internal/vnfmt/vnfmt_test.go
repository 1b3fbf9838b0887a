package vnfmt

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestMoneyIsWholeDongGroupedByDots(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "0.4": "0", "-0.4": "0", "0.5": "1", "-0.5": "-1",
		"999": "999", "1000": "1.000", "-1000": "-1.000", "2340000": "2.340.000", "-2340000": "-2.340.000",
		"2340000.00": "2.340.000", "-1234.5": "-1.235", "1234.49": "1.234", "-1234.49": "-1.234",
		"123456789012345678": "123.456.789.012.345.678", "-123456789012345678": "-123.456.789.012.345.678",
		"1e6": "1.000.000", "-2.5e3": "-2.500",
	} {
		if got := Money(decimal.RequireFromString(in)); got != want {
			t.Errorf("Money(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberKeepsItsDecimals(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "12.5": "12,5", "-12.5": "-12,5", "76.57": "76,57", "-0.25": "-0,25", "1234.50": "1.234,5",
		"-1234567.891": "-1.234.567,891", "100000": "100.000",
	} {
		if got := Number(decimal.RequireFromString(in)); got != want {
			t.Errorf("Number(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestTextFormatsOnlyPlainNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"-1500": "-1.500", "1234.50": "1.234,5", "0": "0", "1e3": "1e3", "abc": "abc", "": "", "2025-07-01": "2025-07-01",
		"00123": "00123", "-": "-", "1.2.3": "1.2.3", "+5": "+5",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
