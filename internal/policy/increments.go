package policy

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Decree 33/2023 Art. 33 cl. 2 (mirroring Art. 6 cl. 2 for civil servants):
// the provincial People's Committee adds commune-level non-professional
// workers where a commune's population and natural area exceed the standards
// of the National Assembly Standing Committee's resolution on administrative
// units — one more for each full ⅓ of the population standard above it in a
// ward of an urban district (phường thuộc quận), each full ½ elsewhere, and
// one more for each full 100 % of the area standard above it; Art. 34 cl. 1
// adds 1.5 × the base salary to the fund for each (vietnam.vn "Tăng công chức
// cấp xã theo quy mô dân số" (Gia Lai newspaper, 2023); vietnam.vn "Tăng phụ
// cấp với người hoạt động không chuyên trách cấp xã từ ngày 1/8/2023";
// lawnet.vn "Number of commune-level cadres and civil servants … Decree
// 33/2023").
//
// The standards, Resolution 1211/2016/UBTVQH13 as amended by Resolution
// 27/2022/UBTVQH15, as the same Gia Lai article quotes them: communes in
// mountainous or highland areas 5,000 people and 50 km²; other communes 8,000
// people and 30 km²; wards 5.5 km², with 15,000 people for a ward of an
// urban district and 7,000 for other wards. The township (thị trấn)
// standards were not found in the sources consulted: no increment is applied
// to a township, and the result says so (docs/legal-basis.md, corner 10).

// Commune-level unit kinds, as the communes register spells them.
const (
	UnitCommune  = "xa"
	UnitWard     = "phuong"
	UnitTownship = "thi_tran"
)

type unitStandards struct {
	CommunePop, CommuneMountainPop     int
	CommuneArea, CommuneMountainArea   decimal.Decimal
	WardPop, WardUrbanDistrictPop      int
	WardArea                           decimal.Decimal
	UrbanDistrictDivisor, OtherDivisor int // ⅓ → 3, ½ → 2
}

var adminUnitStandards = register(&table[unitStandards]{
	Name: "administrative_unit_standards",
	Show: func(u unitStandards) string {
		return fmt.Sprintf("commune %d people / %s km² (mountainous %d / %s km²); ward %s km², %d people (ward of an urban district %d); +1 per full 1/%d (urban district wards) or 1/%d of the population standard, +1 per full 100%% of the area standard",
			u.CommunePop, u.CommuneArea, u.CommuneMountainPop, u.CommuneMountainArea, u.WardArea, u.WardPop, u.WardUrbanDistrictPop,
			u.UrbanDistrictDivisor, u.OtherDivisor)
	},
	Until: d33CommuneEnds,
	Entries: []entry[unitStandards]{
		{d33Start, unitStandards{8000, 5000, dec("30"), dec("50"), 7000, 15000, dec("5.5"), 3, 2},
			cite(instRes1211of2016, "", "")},
	},
})

// checkUnitInputs validates the optional increment inputs.
func checkUnitInputs(ec *errs, in CommuneFundInput) {
	if in.Population != nil {
		checkNonNeg(ec, "/population", *in.Population)
	}
	if in.AreaKm2 != nil {
		checkMoney(ec, "/area_km2", *in.AreaKm2)
	}
	if (in.Population != nil || in.AreaKm2 != nil) && in.Kind == "" {
		ec.add("/kind", "required", "the kind of unit (xa, phuong or thi_tran) is needed to compare population and area with its standard",
			"cần loại đơn vị (xa, phuong hoặc thi_tran) để so sánh dân số, diện tích với tiêu chuẩn")
	}
	if in.Kind != "" && in.Kind != UnitCommune && in.Kind != UnitWard && in.Kind != UnitTownship {
		ec.add("/kind", "unknown_kind", `the kind must be "xa", "phuong" or "thi_tran"`, `loại đơn vị phải là "xa", "phuong" hoặc "thi_tran"`)
	}
}

// quotaIncrements returns how many workers the population and area add
// (Decree 33 Art. 33 cl. 2), recording the standards used; ok is false when
// nothing could be applied (the caller then warns).
func quotaIncrements(b *builder, in CommuneFundInput) (pop, area int, ok bool) {
	if in.Population == nil && in.AreaKm2 == nil {
		return 0, 0, false
	}
	if in.Kind == UnitTownship {
		b.warn("d33.township_no_standard")
		return 0, 0, false
	}
	e, err := adminUnitStandards.get(b, in.AsOf)
	if err != nil {
		return 0, 0, false
	}
	u := e.Value
	stdPop, stdArea, divisor := u.CommunePop, u.CommuneArea, u.OtherDivisor
	switch {
	case in.Kind == UnitCommune && in.Mountainous:
		stdPop, stdArea = u.CommuneMountainPop, u.CommuneMountainArea
	case in.Kind == UnitWard:
		stdPop, stdArea = u.WardPop, u.WardArea
		if in.WardOfUrbanDistrict {
			stdPop, divisor = u.WardUrbanDistrictPop, u.UrbanDistrictDivisor
		}
	}
	if in.Population != nil && *in.Population > stdPop {
		// one more per full 1/divisor of the standard above it: floor((P − S) × d / S)
		pop = (*in.Population - stdPop) * divisor / stdPop
	}
	if in.AreaKm2 != nil && in.AreaKm2.GreaterThan(stdArea) {
		area = int(in.AreaKm2.Sub(stdArea).Div(stdArea).IntPart())
	}
	return pop, area, true
}

// incrementLine adds the fund for the extra workers: 1.5 × base per person
// (Decree 33 Art. 34 cl. 1).
func incrementLine(b *builder, pop, area int, per, base decimal.Decimal) {
	n := pop + area
	b.line("commune_fund_increment",
		fmt.Sprintf("Quỹ phụ cấp cho %d người tăng thêm theo quy mô dân số (%d) và diện tích tự nhiên (%d) (1,5 lần mức lương cơ sở mỗi người)", n, pop, area),
		fmt.Sprintf("Fund for %d extra workers by population (%d) and natural area (%d) (1.5 base salaries each)", n, pop, area),
		fmt.Sprintf("%d × %s × %s", n, fmtNum(per), fmtMoney(base)),
		decInt(n).Mul(per).Mul(base), cite(instDecree33of2023, "34", "1"))
}
