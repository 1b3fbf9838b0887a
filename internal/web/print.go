package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
)

// printPage is the Quyết định laid out per Decree 30/2020/NĐ-CP Appendix I: the
// issuer and the national title, number and date, title, legal bases, articles, signer and recipients, and
// the calculation table as an appendix. The act is in Vietnamese whatever the console's language.
type printPage struct {
	Back        string
	Draft       bool
	Issuer      string // ỦY BAN NHÂN DÂN / XÃ …: the commune of the post left
	IssuerUnit  string
	Number      string // Số: 05/QĐ-UBND
	PlaceDate   string // {place}, ngày 05 tháng 01 năm 2026
	Subject     string
	Authority   string
	Bases       []string
	Article1    string
	Lines       []policy.Line
	Total       decimal.Decimal
	TotalWords  string
	Article2    string
	Article3    string
	Recipients  []string
	SignerTitle []string
	AnnexRef    string
	Row         annexRow
	Today       time.Time
}

// annexRow is the person's row of the appendix table.
type annexRow struct {
	Name, Birth, Gender, Post, Unit, Exit string
	Allowance                             *decimal.Decimal
	WorkMonths                            int
}

// bases are the legal bases cited for each policy (Decree 30/2020/NĐ-CP Appendix I).
var (
	baseLocalGov = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
	base33       = "Căn cứ Nghị định số 33/2023/NĐ-CP ngày 10 tháng 6 năm 2023 của Chính phủ quy định về cán bộ, công chức cấp xã và người hoạt động không chuyên trách ở cấp xã, ở thôn, tổ dân phố"
	policyBases  = map[string][]string{
		policy.PolicyDecree29:       {"Căn cứ Nghị định số 29/2023/NĐ-CP ngày 03 tháng 6 năm 2023 của Chính phủ quy định về tinh giản biên chế", base33},
		policy.PolicyDecree154Art9:  {"Căn cứ Nghị định số 154/2025/NĐ-CP ngày 15 tháng 6 năm 2025 của Chính phủ quy định về tinh giản biên chế", base33},
		policy.PolicyDecree154Art10: {"Căn cứ Nghị định số 154/2025/NĐ-CP ngày 15 tháng 6 năm 2025 của Chính phủ quy định về tinh giản biên chế", base33},
		policy.PolicyEarlyRetire178: {"Căn cứ Nghị định số 178/2024/NĐ-CP ngày 31 tháng 12 năm 2024 của Chính phủ về chính sách, chế độ đối với cán bộ, công chức, viên chức, người lao động và lực lượng vũ trang trong thực hiện sắp xếp tổ chức bộ máy của hệ thống chính trị", "Căn cứ Nghị định số 67/2025/NĐ-CP của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 178/2024/NĐ-CP"},
		policy.PolicyResign178:      {"Căn cứ Nghị định số 178/2024/NĐ-CP ngày 31 tháng 12 năm 2024 của Chính phủ về chính sách, chế độ đối với cán bộ, công chức, viên chức, người lao động và lực lượng vũ trang trong thực hiện sắp xếp tổ chức bộ máy của hệ thống chính trị", "Căn cứ Nghị định số 67/2025/NĐ-CP của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 178/2024/NĐ-CP"},
	}
	policyArticles = map[string]string{
		policy.PolicyDecree29:       "Điều 9 Nghị định số 29/2023/NĐ-CP",
		policy.PolicyDecree154Art9:  "Điều 9 Nghị định số 154/2025/NĐ-CP",
		policy.PolicyDecree154Art10: "Điều 10 Nghị định số 154/2025/NĐ-CP",
		policy.PolicyEarlyRetire178: "Điều 7 Nghị định số 178/2024/NĐ-CP",
		policy.PolicyResign178:      "Điều 9 Nghị định số 178/2024/NĐ-CP",
	}
)

// actDate is "ngày 05 tháng 01 năm 2026": a 0 before days under 10 and before months 1 and 2 (Decree 30).
func actDate(t time.Time) string {
	m := fmt.Sprint(int(t.Month()))
	if t.Month() <= 2 {
		m = fmt.Sprintf("%02d", int(t.Month()))
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), m, t.Year())
}

// unitName strips the kind from a unit's name ("Xã Tân Lập" → "Tân Lập") for the place line.
func unitName(name string) string {
	for _, p := range []string{"Xã ", "Phường ", "Thị trấn ", "Đặc khu "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return name
}

// printView words the decision as the commune's printed act: its heading, subject, legal bases, the three
// articles, the recipients, the signer and the annex row.
func (c *Console) printView(r *http.Request, d decisionPage) (printPage, error) {
	pv := printPage{Back: "/decisions/" + d.D.ID, Draft: d.D.Status == "draft", Issuer: "ỦY BAN NHÂN DÂN", Today: c.today()}
	commune, unit, post := decisionPlace(d)
	pv.IssuerUnit = strings.ToUpper(commune)
	number, date := decisionNumberDate(d)
	pv.Number = "Số: " + number
	pv.PlaceDate = unitName(commune) + ", " + date
	title := "ông"
	if d.Cadre.Gender == "female" {
		title = "bà"
	}
	pv.Subject = "Về việc giải quyết chế độ, chính sách đối với " + title + " " + d.Cadre.FullName
	pv.Authority = "CHỦ TỊCH ỦY BAN NHÂN DÂN " + strings.ToUpper(commune)
	pv.Bases = legalBases(d.D.Policy)
	exit := d.D.ExitDate
	pv.Article1 = fmt.Sprintf("Giải quyết chế độ theo %s đối với %s %s, sinh ngày %s, %s, %s, nghỉ việc kể từ ngày %s",
		policyArticles[d.D.Policy], title, d.Cadre.FullName, formatDate(d.Cadre.BirthDate), orDots(post), orDots(unit), formatDate(exit))
	if a := d.Context.Allowance; a != nil && a.Used != nil {
		pv.Article1 += "; phụ cấp hiện hưởng " + formatMoney(*a.Used) + " đồng/tháng"
	}
	pv.Article1 += ", như sau:"
	pv.Lines = d.Result.Lines
	pv.Total = d.D.Total
	pv.TotalWords = amountInWords(d.D.Total.IntPart())
	pv.Article2 = "Kinh phí thực hiện chế độ, chính sách tại Điều 1 được bảo đảm theo quy định hiện hành."
	pv.Article3 = fmt.Sprintf("Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Hội đồng nhân dân và Ủy ban nhân dân %s, các cơ quan, đơn vị có liên quan và %s %s chịu trách nhiệm thi hành Quyết định này./.",
		commune, title, d.Cadre.FullName)
	pv.Recipients = []string{"Như Điều 3;", "Sở Nội vụ;", "Lưu: VT."}
	for _, l := range strings.Split(strings.ToUpper(strings.TrimSpace(ptrOr(d.D.SignerTitle, "CHỦ TỊCH"))), "/") {
		pv.SignerTitle = append(pv.SignerTitle, strings.TrimSpace(l))
	}
	pv.AnnexRef = fmt.Sprintf("(Kèm theo Quyết định số %s %s của Chủ tịch Ủy ban nhân dân %s)", number, date, commune)
	pv.Row = annexRowOf(d, post, unit)
	return pv, nil
}

// decisionPlace is the commune of the person's main post ("…" when there is none), the unit worked in
// (the hamlet and its commune, or the commune) and the post's title.
func decisionPlace(d decisionPage) (commune, unit, post string) {
	if m := d.Main; m != nil {
		post = m.TitleVI
		if m.Commune != nil {
			commune = m.Commune.Name
		}
		unit = commune
		if m.Hamlet != nil {
			unit = m.Hamlet.Name + ", " + commune
		}
	}
	if commune == "" {
		commune = "…"
	}
	return commune, unit, post
}

// decisionNumberDate is the act's number (a bare number gets the "/QĐ-UBND" suffix) and its date in
// words, each left as dots to fill in by hand when not given yet.
func decisionNumberDate(d decisionPage) (number, date string) {
	number, date = "…", "ngày … tháng … năm …"
	if d.D.DecisionNumber != nil {
		number = *d.D.DecisionNumber
		if !strings.Contains(number, "/") {
			if len(number) == 1 {
				number = "0" + number
			}
			number += "/QĐ-UBND"
		}
	}
	if d.D.DecisionDate != nil {
		date = actDate(*d.D.DecisionDate)
	}
	return number, date
}

// legalBases is the act's "Căn cứ" lines for a policy: the law on local government, then the policy's
// own, each ended by ";" and the last by ".".
func legalBases(policy string) []string {
	bases := append([]string{baseLocalGov}, policyBases[policy]...)
	for i, b := range bases {
		if i == len(bases)-1 {
			bases[i] = b + "."
		} else {
			bases[i] = b + ";"
		}
	}
	return bases
}

// annexRowOf is the person's row of the annex table.
func annexRowOf(d decisionPage, post, unit string) annexRow {
	gender := "Nam"
	if d.Cadre.Gender == "female" {
		gender = "Nữ"
	}
	row := annexRow{Name: d.Cadre.FullName, Birth: formatDate(d.Cadre.BirthDate), Gender: gender, Post: post, Unit: unit,
		Exit: formatDate(d.D.ExitDate), WorkMonths: d.Context.Work.Months}
	if a := d.Context.Allowance; a != nil {
		row.Allowance = a.Used
	}
	return row
}

func orDots(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

func ptrOr(p *string, def string) string {
	if p == nil || *p == "" {
		return def
	}
	return *p
}
