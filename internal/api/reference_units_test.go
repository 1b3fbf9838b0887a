package api

import (
	"testing"

	"communehr/internal/refdata"
	"communehr/internal/store"
)

type refLoadBody struct {
	Units2025       int `json:"units_2025"`
	UnitsPre2025    int `json:"units_pre2025"`
	LineageLinks    int `json:"lineage_links"`
	Inserted2025    int `json:"inserted_2025"`
	InsertedPre2025 int `json:"inserted_pre2025"`
	InsertedLinks   int `json:"inserted_links"`
	Warnings        []struct {
		Code     string `json:"code"`
		UnitCode string `json:"unit_code"`
		Message  string `json:"message"`
	} `json:"warnings"`
}

// Quảng Ninh's reference units load once (201), again without change (200), with the sources' wrinkles
// reported by code; the old and the new unit of one code live side by side, told apart by the date.
func TestReferenceUnitsLoadQuangNinh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.key(store.RoleOperator, "")
	r := e.do("POST", "/v1/provinces/22/reference-units", op, nil)
	mustStatus(t, r, 201)
	var b refLoadBody
	r.json(t, &b)
	d, _ := refdata.Load()
	qn, _ := d.Province("22")
	if b.Units2025 != len(qn.Units2025) || b.UnitsPre2025 != len(qn.UnitsPre) || b.LineageLinks != len(qn.Links) ||
		b.Inserted2025 != b.Units2025 || b.InsertedPre2025 != b.UnitsPre2025 || b.InsertedLinks != b.LineageLinks {
		t.Fatalf("counts %+v, reference %d/%d/%d", b, len(qn.Units2025), len(qn.UnitsPre), len(qn.Links))
	}
	var sawBaChe, sawClass bool
	for _, w := range b.Warnings {
		sawBaChe = sawBaChe || (w.Code == "new_unit_not_in_2025" && w.UnitCode == "06970")
		sawClass = sawClass || w.Code == "class_assumed"
		if w.Message == "" {
			t.Errorf("warning without a message: %+v", w)
		}
	}
	if !sawBaChe || !sawClass {
		t.Errorf("warnings %+v: want 06970 (lineage code not in the 2025 list) and class_assumed", b.Warnings)
	}

	r = e.do("POST", "/v1/provinces/22/reference-units", op, nil)
	mustStatus(t, r, 200)
	r.json(t, &b)
	if b.Inserted2025+b.InsertedPre2025+b.InsertedLinks != 0 || b.Units2025 != len(qn.Units2025) {
		t.Errorf("second load %+v, want nothing inserted", b)
	}

	// The old Phường Giếng Đáy and the new unit of code 06661 side by side.
	ed := e.key(store.RoleProvinceEditor, "22")
	var oldU, newU struct {
		Name string `json:"name"`
	}
	r = e.do("GET", "/v1/provinces/22/communes/06661?as_of=2025-06-30", ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &oldU)
	r = e.do("GET", "/v1/provinces/22/communes/06661?as_of=2025-07-01", ed, nil)
	mustStatus(t, r, 200)
	r.json(t, &newU)
	if oldU.Name != "Phường Giếng Đáy" || newU.Name == oldU.Name {
		t.Errorf("06661: before %q, after %q", oldU.Name, newU.Name)
	}

	// Only operators load; a code on neither map is 404, a pre-2025 province 422 (TestAPre2025ProvinceIsNotATenant).
	mustStatus(t, e.do("POST", "/v1/provinces/22/reference-units", ed, nil), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/22/reference-units", e.key(store.RoleMinistry, ""), nil), 403)
	mustStatus(t, e.do("POST", "/v1/provinces/97/reference-units", op, nil), 404)
}

// Tuyên Quang (08) takes in the old Hà Giang (02) units, which keep their old province code.
func TestReferenceUnitsKeepTheOldProvince(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mustStatus(t, e.do("POST", "/v1/provinces/08/reference-units", e.key(store.RoleOperator, ""), nil), 201)
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM communes WHERE province_code = '08' AND old_province_code = '02'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("no unit of the old province 02 recorded in 08")
	}
}

// A unit the province recorded itself that overlaps a reference unit of the same code is a 409 naming it,
// and nothing is loaded.
func TestReferenceUnitsRefuseAnOverlap(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("22", "Tỉnh Quảng Ninh")
	if _, err := e.admin.Exec(t.Context(), `INSERT INTO communes (province_code, code, name, kind, class, effective_from)
		VALUES ('22', '06661', 'Phường Giếng Đáy', 'phuong', 2, '2019-01-01')`); err != nil {
		t.Fatal(err)
	}
	r := e.do("POST", "/v1/provinces/22/reference-units", e.key(store.RoleOperator, ""), nil)
	mustStatus(t, r, 409)
	p := r.problem(t)
	if len(p.Errors) == 0 || p.Errors[0].Pointer != "/units/06661" {
		t.Errorf("problem %+v, want the unit 06661 named", p)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM communes WHERE province_code = '22'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d units after a refused load, want the 1 recorded before", n)
	}
}
