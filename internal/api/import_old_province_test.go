package api

import (
	"testing"

	"communehr/internal/msg/msgcheck"
)

// The communes import takes an optional old_province_code, as the API and the reference-units load set
// it: absent or empty keeps the register's value, a value replaces it, and a value that is not a province
// code of two digits is refused on its line and column, as the API refuses it.
func TestCommunesImportOldProvinceCode(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	body := communeBody("00001", "Xã Một")
	body["old_province_code"] = "02"
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, body), 201)
	stored := func() string {
		var s *string
		if err := e.admin.QueryRow(t.Context(), `SELECT old_province_code FROM communes WHERE province_code = '01' AND code = $1`, "00001").Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s == nil {
			return "<none>"
		}
		return *s
	}
	head := "code,name,kind,class,population,area_km2,effective_from"
	for _, c := range []struct{ name, csv, want string }{
		{"no column", head + "\n00001,Xã Một A,xa,2,12000,35.50,2020-01-01\n", "02"},
		{"empty cell", head + ",old_province_code\n00001,Xã Một B,xa,2,12000,35.50,2020-01-01,\n", "02"},
		{"a value", head + ",Mã tỉnh cũ\n00001,Xã Một C,xa,2,12000,35.50,2020-01-01,04\n", "04"},
	} {
		if j := importJob(t, e.upload(ed, "kind=communes", []byte(c.csv))); j.Status != "succeeded" || j.RowsUpdated != 1 {
			t.Fatalf("%s: %+v", c.name, j)
		}
		if got := stored(); got != c.want {
			t.Errorf("%s: old province %s, want %s", c.name, got, c.want)
		}
	}
	// A new unit takes the file's value.
	csv := head + ",old_province_code\n00002,Xã Hai,xa,2,,,2020-01-01,06\n"
	if j := importJob(t, e.upload(ed, "kind=communes", []byte(csv))); j.Status != "succeeded" || j.RowsInserted != 1 {
		t.Fatalf("new unit: %+v", j)
	}
	for _, bad := range []string{"4", "ab", "004"} {
		csv := head + ",old_province_code\n00001,Xã Một,xa,2,12000,35.50,2020-01-01," + bad + "\n"
		for _, lang := range []string{"en", "vi"} {
			j := importJob(t, e.upload(ed, "kind=communes", []byte(csv), "Accept-Language", lang))
			if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 2 || j.Errors[0].Column != "old_province_code" {
				t.Fatalf("%q: %+v", bad, j)
			}
			if s := msgcheck.DeveloperText(j.Errors[0].Message); s != "" {
				t.Errorf("%q %s: message %q shows %q", bad, lang, j.Errors[0].Message, s)
			}
		}
	}
	if got := stored(); got != "04" {
		t.Errorf("after refused files: old province %s, want 04", got)
	}
}
