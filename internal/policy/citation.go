package policy

// Citation names the legal source of a value or a result line.
type Citation struct {
	Instrument string `json:"instrument"`
	Article    string `json:"article"`
	Clause     string `json:"clause"`
}

// Instruments cited by the package (official numbering).
const (
	instDecree66of2013  = "Nghị định 66/2013/NĐ-CP"
	instDecree47of2016  = "Nghị định 47/2016/NĐ-CP"
	instDecree47of2017  = "Nghị định 47/2017/NĐ-CP"
	instDecree72of2018  = "Nghị định 72/2018/NĐ-CP"
	instDecree38of2019  = "Nghị định 38/2019/NĐ-CP"
	instDecree24of2023  = "Nghị định 24/2023/NĐ-CP"
	instDecree73of2024  = "Nghị định 73/2024/NĐ-CP"
	instDecree161of2026 = "Nghị định 161/2026/NĐ-CP"
	instLabourCode2012  = "Bộ luật Lao động 2012 (10/2012/QH13)"
	instDecree135of2020 = "Nghị định 135/2020/NĐ-CP"
	instDecree33of2023  = "Nghị định 33/2023/NĐ-CP"
	instDecree29of2023  = "Nghị định 29/2023/NĐ-CP"
	instDecree154of2025 = "Nghị định 154/2025/NĐ-CP"
	instDecree178of2024 = "Nghị định 178/2024/NĐ-CP (sửa đổi bởi Nghị định 67/2025/NĐ-CP)"
	instSILaw2014       = "Luật Bảo hiểm xã hội 2014 (58/2014/QH13)"
	instSILaw2024       = "Luật Bảo hiểm xã hội 2024 (41/2024/QH15)"
)

func cite(instrument, article, clause string) Citation {
	return Citation{Instrument: instrument, Article: article, Clause: clause}
}
