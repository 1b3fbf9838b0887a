package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
	"communehr/internal/refdata"
	"communehr/internal/store"
)

// referenceWarning is one wrinkle of the reference data, said in the caller's language.
type referenceWarning struct {
	Code     string `json:"code"`
	UnitCode string `json:"unit_code"`
	Message  string `json:"message"`
}

type referenceUnitsResponse struct {
	Province        string             `json:"province_code"`
	Units2025       int                `json:"units_2025"`
	UnitsPre2025    int                `json:"units_pre2025"`
	LineageLinks    int                `json:"lineage_links"`
	Inserted2025    int                `json:"inserted_2025"`
	InsertedPre2025 int                `json:"inserted_pre2025"`
	InsertedLinks   int                `json:"inserted_links"`
	Warnings        []referenceWarning `json:"warnings"`
}

// referenceProvince finds a 2025 province in the embedded reference data (404 for any other code).
func referenceProvince(code string) (*refdata.Province, error) {
	d, err := refdata.Load()
	if err != nil {
		return nil, err
	}
	rp, ok := d.Province(code)
	if !ok {
		if err := mergedProvince(code, "path/province", "province.merged_reference"); err != nil {
			return nil, err
		}
		return nil, errNotFound()
	}
	return rp, nil
}

// referenceWarnings are a load's warnings in the caller's language: the sources' own wrinkles, and that
// the sources carry no class, population or area.
func referenceWarnings(r *http.Request, rp *refdata.Province, res store.RefLoadResult) []referenceWarning {
	vi := vietnamese(r)
	out := make([]referenceWarning, 0, len(rp.Warnings)+1)
	for _, w := range rp.Warnings {
		out = append(out, referenceWarning{Code: w.Code, UnitCode: w.UnitCode, Message: pick(vi, w.EN, w.VI)})
	}
	for _, d := range res.Differs {
		m := msg.New("refunits.register_differs", d.Code, d.From.Format(dateLayout), d.Name, unitKindText(d.Kind), d.RefName, unitKindText(d.RefKind))
		out = append(out, referenceWarning{Code: "register_differs", UnitCode: d.Code, Message: m.Render(msg.LangOf(vi))})
	}
	if res.Inserted2025+res.InsertedPre > 0 {
		out = append(out, referenceWarning{Code: "class_assumed", Message: pick(vi,
			fmt.Sprintf("The reference data gives no class, population or area: the %d units recorded now are class 3 until the province records their own values.", res.Inserted2025+res.InsertedPre),
			fmt.Sprintf("Dữ liệu tham chiếu không có loại đơn vị hành chính, dân số, diện tích: %d đơn vị vừa ghi nhận được tạm xếp loại 3 cho đến khi tỉnh cập nhật.", res.Inserted2025+res.InsertedPre))})
	}
	return out
}

// loadReferenceUnits is POST /v1/provinces/{province}/reference-units (operators): the province's units of
// 2025, the pre-2025 units whose lineage leads into it and the links, from the embedded reference data.
// Idempotent: 201 when it recorded anything, 200 when everything was already there.
func (s *Server) loadReferenceUnits(w http.ResponseWriter, r *http.Request) error {
	rp, err := referenceProvince(chi.URLParam(r, "province"))
	if err != nil {
		return err
	}
	res, err := s.store.LoadReferenceUnits(r.Context(), principalFrom(r.Context()), rp)
	var ce *store.RefConflictError
	if errors.As(err, &ce) {
		return refConflictProblem(ce)
	}
	if err != nil {
		return err
	}
	out := referenceUnitsResponse{Province: rp.Code, Units2025: res.Units2025, UnitsPre2025: res.UnitsPre,
		LineageLinks: res.Links, Inserted2025: res.Inserted2025, InsertedPre2025: res.InsertedPre,
		InsertedLinks: res.InsertedLinks, Warnings: referenceWarnings(r, rp, res)}
	status := http.StatusOK
	if res.Inserted() {
		status = http.StatusCreated
	}
	return writeJSON(w, status, out)
}

// refConflictProblem is a 409 naming each unit of the register that overlaps a reference unit.
func refConflictProblem(ce *store.RefConflictError) error {
	var fields []FieldError
	for _, c := range ce.Conflicts {
		fields = append(fields, FieldError{Pointer: "/units/" + c.Code, Code: "period_overlap",
			MessageEN: fmt.Sprintf("the register's unit %s %s (%s) overlaps the reference unit of the same code (%s)", c.Code, c.Name,
				store.PeriodText(c.From, c.To), store.PeriodText(c.RefFrom, c.RefTo)),
			MessageVI: fmt.Sprintf("đơn vị %s %s trong sổ (%s) trùng thời gian với đơn vị cùng mã trong dữ liệu tham chiếu (%s)", c.Code, c.Name,
				store.PeriodText(c.From, c.To), store.PeriodText(c.RefFrom, c.RefTo))})
	}
	return errConflict(
		fmt.Sprintf("%d units already in the register overlap reference units of the same code with another start; nothing was loaded.", len(ce.Conflicts)),
		fmt.Sprintf("%d đơn vị đã có trong sổ trùng thời gian với đơn vị cùng mã trong dữ liệu tham chiếu nhưng khác ngày bắt đầu; chưa nạp gì.", len(ce.Conflicts)),
		fields...)
}

// unitKindText is a commune-level unit's kind as an officer names it (phuong → Phường / Ward).
func unitKindText(kind string) msg.Text {
	for _, l := range enumLabels["communes.kind"] {
		if l.code == kind {
			return msg.Text{VI: l.vi, EN: l.en}
		}
	}
	return msg.Text{VI: kind, EN: kind}
}
