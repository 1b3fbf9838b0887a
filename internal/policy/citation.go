package policy

import "strings"

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

// Official Letters and guidance cited as the source of dated parameters.
const (
	instOL6383of2025   = "Công văn 6383/BNV-TCBC ngày 13/8/2025 của Bộ Nội vụ"
	instOL1814of2025   = "Công văn 1814/BNV-TCBC ngày 26/4/2025 của Bộ Nội vụ"
	instCV12of2025     = "Văn bản 12/CV-BCĐ ngày 20/6/2025 của Ban Chỉ đạo của Chính phủ"
	instDecree92of2009 = "Nghị định 92/2009/NĐ-CP (sửa đổi bởi Nghị định 34/2019/NĐ-CP)"
	instRes1211of2016  = "Nghị quyết 1211/2016/UBTVQH13 (sửa đổi bởi Nghị quyết 27/2022/UBTVQH15)"
	instConclusion195  = "Kết luận 195-KL/TW ngày 26/9/2025; Văn bản 19/CV-BCĐ"
	instDecree34of2019 = "Nghị định 34/2019/NĐ-CP"
)

// instrumentEN names each instrument in English as the English texts cite
// it ("Decree 33/2023"); an instrument missing here is printed as it is.
var instrumentEN = map[string]string{
	instDecree66of2013:  "Decree 66/2013",
	instDecree47of2016:  "Decree 47/2016",
	instDecree47of2017:  "Decree 47/2017",
	instDecree72of2018:  "Decree 72/2018",
	instDecree38of2019:  "Decree 38/2019",
	instDecree24of2023:  "Decree 24/2023",
	instDecree73of2024:  "Decree 73/2024",
	instDecree161of2026: "Decree 161/2026",
	instLabourCode2012:  "Labour Code 2012",
	instDecree135of2020: "Decree 135/2020",
	instDecree33of2023:  "Decree 33/2023",
	instDecree29of2023:  "Decree 29/2023",
	instDecree154of2025: "Decree 154/2025",
	instDecree178of2024: "Decree 178/2024 (as amended by Decree 67/2025)",
	instSILaw2014:       "Social Insurance Law 2014",
	instSILaw2024:       "Social Insurance Law 2024",
	instOL6383of2025:    "Official Letter 6383/BNV-TCBC of 13 August 2025",
	instOL1814of2025:    "Official Letter 1814/BNV-TCBC of 26 April 2025",
	instCV12of2025:      "Official Dispatch 12/CV-BCĐ of 20 June 2025",
	instDecree92of2009:  "Decree 92/2009 (as amended by Decree 34/2019)",
	instRes1211of2016:   "Resolution 1211/2016/UBTVQH13 (as amended by Resolution 27/2022/UBTVQH15)",
	instConclusion195:   "Conclusion 195-KL/TW of 26 September 2025; Official Dispatch 19/CV-BCĐ",
	instDecree34of2019:  "Decree 34/2019",
}

// EN reads the citation as the English texts cite law:
// "Decree 33/2023 Art. 34 cl. 3", "Decree 178/2024 … Art. 7 cl. 2(a)".
func (c Citation) EN() string {
	inst := c.Instrument
	if en, ok := instrumentEN[inst]; ok {
		inst = en
	}
	s := inst
	if c.Article != "" {
		s += " Art. " + c.Article
	}
	if c.Clause != "" {
		s += " cl. " + c.Clause
	}
	return s
}

// VI reads the citation as Vietnamese law is cited, from the smallest unit
// to the instrument: "khoản 3 Điều 34 Nghị định 33/2023/NĐ-CP",
// "điểm a khoản 2 Điều 7 …"; a clause such as "1; Phụ lục I" reads
// "khoản 1 Điều 4 và Phụ lục I …".
func (c Citation) VI() string {
	var parts []string
	clause, extra, _ := strings.Cut(c.Clause, ";")
	clause, extra = strings.TrimSpace(clause), strings.TrimSpace(extra)
	if clause != "" {
		if i := strings.Index(clause, "("); i > 0 && strings.HasSuffix(clause, ")") {
			parts = append(parts, "điểm "+clause[i+1:len(clause)-1], "khoản "+clause[:i])
		} else {
			parts = append(parts, "khoản "+clause)
		}
	}
	if c.Article != "" {
		parts = append(parts, "Điều "+strings.ReplaceAll(c.Article, ";", ","))
	}
	s := strings.Join(parts, " ")
	if extra != "" {
		s += " và " + extra
	}
	if s == "" {
		return c.Instrument
	}
	return s + " " + c.Instrument
}
