package refdata

import "testing"

// The embedded files hold what the shared data's README says, and every wrinkle it lists is reported.
func TestLoadCountsAndWrinkles(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Provinces()); n != 34 {
		t.Fatalf("provinces: %d, want 34", n)
	}
	var n25, nPre, nLinks int
	kinds := map[string]map[string]bool{}
	for _, code := range d.Provinces() {
		p, _ := d.Province(code)
		n25 += len(p.Units2025)
		nPre += len(p.UnitsPre)
		nLinks += len(p.Links)
		for _, w := range p.Warnings {
			if kinds[w.Code] == nil {
				kinds[w.Code] = map[string]bool{}
			}
			kinds[w.Code][w.UnitCode] = true
			if w.EN == "" || w.VI == "" {
				t.Errorf("warning %+v lacks a text", w)
			}
		}
	}
	if n25 != 3321 || nPre != 10047 || nLinks != 10599 {
		t.Errorf("units 2025 %d (3321), pre-2025 %d (10047), links %d (10599)", n25, nPre, nLinks)
	}
	want := map[string][]string{
		"old_unit_not_in_pre2025": {"07693", "07732", "07744", "16387", "16411", "18448", "20176", "20674", "25102", "25174", "25177", "25186"},
		"new_unit_not_in_2025":    {"06970", "23737"},
		"no_predecessor":          {"11948", "19742", "20333", "21548", "26732"},
	}
	for code, units := range want {
		if len(kinds[code]) != len(units) {
			t.Errorf("%s: %d units %v, want %v", code, len(kinds[code]), kinds[code], units)
		}
		for _, u := range units {
			if !kinds[code][u] {
				t.Errorf("%s: %s not reported", code, u)
			}
		}
	}
	t.Logf("name_differs: %d", len(kinds["name_differs"]))
	qn, _ := d.Province("22")
	var baChe bool
	for _, l := range qn.Links {
		if l.NewCode == "06970" {
			t.Errorf("link to 06970 kept: %+v", l)
		}
		if l.OldCode == "06970" && l.NewCode == "06978" {
			baChe = true
		}
	}
	if !baChe {
		t.Error("old 06970 Thị trấn Ba Chẽ does not lead into 06978 Xã Ba Chẽ")
	}
	tq, _ := d.Province("08")
	old02 := 0
	for _, u := range tq.UnitsPre {
		if u.Province == "02" {
			old02++
		}
	}
	if old02 == 0 {
		t.Error("Tuyên Quang has no old Hà Giang units")
	}
}

func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := parse(); err != nil {
			b.Fatal(err)
		}
	}
}

// The 63 provinces before 2025 became 34: each of the 29 others names the province it merged into.
func TestPre2025ProvincesNameTheirSuccessor(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := d.MergedInto("02")
	if !ok || m.Name != "Tỉnh Hà Giang" || m.Into == nil || m.Into.Code != "08" || m.Into.Name != "Tỉnh Tuyên Quang" {
		t.Fatalf("02: %+v %v", m, ok)
	}
	if _, ok := d.MergedInto("08"); ok {
		t.Fatal("08 is a province of 2025")
	}
	if _, ok := d.MergedInto("97"); ok {
		t.Fatal("97 is on neither map")
	}
	n := 0
	for _, c := range []string{"02", "06", "10", "17", "26", "27", "30", "34", "35", "36", "45", "49", "54", "58", "60", "62", "64",
		"67", "70", "72", "74", "77", "83", "84", "87", "89", "93", "94", "95"} {
		if m, ok := d.MergedInto(c); ok && m.Into != nil && m.Name != "" {
			n++
		}
	}
	if n != 29 {
		t.Fatalf("%d of the 29 merged provinces name a successor", n)
	}
}
