package web

import (
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"communehr/internal/vnfmt"
)

var (
	groupedNumber = regexp.MustCompile(`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\b\d{5,}\b`)
	formulaWords  = strings.NewReplacer(" months", " tháng", " month", " tháng", " years", " năm", " year", " năm", " days", " ngày")
)

// formulaVI writes a rules-engine formula ("0.5 × 2,340,000 × 7 months") the Vietnamese way: "." between
// thousands, "," before decimals, units in Vietnamese ("0,5 × 2.340.000 × 7 tháng").
func formulaVI(s string) string {
	s = groupedNumber.ReplaceAllStringFunc(s, func(n string) string {
		if strings.Trim(n, "0123456789") == "" { // a bare whole number: group its thousands
			return vnfmt.Number(decimal.RequireFromString(n))
		}
		return strings.NewReplacer(",", ".", ".", ",").Replace(n)
	})
	return formulaWords.Replace(s)
}

var digitWords = []string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// threeDigits reads 0–999 in Vietnamese; full says the group is not the leading one, so that its
// hundreds ("không trăm") and a lone unit ("linh") are read out.
func threeDigits(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0 && u > 0 && (h > 0 || full):
		w = append(w, "linh")
	case t == 1:
		w = append(w, "mười")
	case t > 1:
		w = append(w, digitWords[t], "mươi")
	}
	switch {
	case u == 0:
	case u == 1 && t > 1:
		w = append(w, "mốt")
	case u == 5 && t > 0:
		w = append(w, "lăm")
	default:
		w = append(w, digitWords[u])
	}
	return strings.Join(w, " ")
}

// amountInWords is a whole number of đồng in Vietnamese words, as written after "Bằng chữ:" on an act
// ("Bảy trăm bốn mươi bốn triệu … đồng"). Groups of three digits are read with nghìn, triệu, tỷ (and tỷ
// again above a thousand billion); empty groups are skipped.
func amountInWords(n int64) string {
	if n == 0 {
		return "Không đồng"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	units := []string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"}
	var groups []int
	for v := n; v > 0; v /= 1000 {
		groups = append(groups, int(v%1000))
	}
	var parts []string
	for i := len(groups) - 1; i >= 0; i-- {
		if groups[i] == 0 {
			continue
		}
		p := threeDigits(groups[i], i < len(groups)-1)
		if units[i] != "" {
			p += " " + units[i]
		}
		parts = append(parts, p)
	}
	s := strings.Join(parts, " ") + " đồng"
	if neg {
		s = "âm " + s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
