package api

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// The values officers type (issue 13 item 2): every import kind's row converter is wrapped so that its
// cells are read as a Vietnamese officer writes them before the records API's own validation sees them —
// a post by its title, a hamlet kind by its local name (ấp, bản, khu phố …), numbers in the Vietnamese
// format of a `;` file ("17.199", "76,57"), and a CCCD Excel turned into "2,22E+11" explained.

func init() {
	for _, k := range importKinds {
		k.row = officerValues(k.name, k.row)
		// Every header a template writes is accepted on upload (importtemplates.go).
		for i := range k.columns {
			c := &k.columns[i]
			if h := templateHeader(k.name, c.name); h != "" && !containsFold(c.aliases, h) {
				c.aliases = append(c.aliases, h)
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	f := tabular.Fold(s)
	for _, a := range list {
		if tabular.Fold(a) == f {
			return true
		}
	}
	return false
}

// Column groups by the kind of value they hold.
var (
	integerColumns = map[string]bool{"population": true, "class": true, "households": true, "si_months": true,
		"si_total_months": true, "si_uncompensated_months": true}
	decimalColumns = map[string]bool{"area_km2": true, "allowance_override": true}
)

var (
	viThousands   = regexp.MustCompile(`^-?[0-9]{1,3}(\.[0-9]{3})+$`)            // 17.199
	viDecimal     = regexp.MustCompile(`^-?[0-9]{1,3}(\.[0-9]{3})*,[0-9]+$`)     // 76,57 or 1.234,5
	viDecimalBare = regexp.MustCompile(`^-?[0-9]+,[0-9]+$`)                      // 1234,5
	scientific    = regexp.MustCompile(`^[0-9]+([.,][0-9]+)?[eE]\+?[0-9]{1,2}$`) // 2,22E+11
)

// hamletKinds are the local names of hamlets: a thôn is also called ấp, bản, buôn, làng, sóc, plei or xóm;
// a tổ dân phố also khu phố or khóm.
var hamletKinds = map[string]string{
	"thon": "thon", "ap": "thon", "ban": "thon", "buon": "thon", "lang": "thon", "soc": "thon", "plei": "thon",
	"xom": "thon", "to_dan_pho": "to_dan_pho", "tdp": "to_dan_pho", "khu_pho": "to_dan_pho", "khom": "to_dan_pho",
}

func officerValues(kind string, inner rowFunc) rowFunc {
	return func(rc *rowContext, cell func(string) string) (store.StageRow, []FieldError) {
		var sci []FieldError
		value := func(name string) string {
			v := cell(name)
			if v == "" {
				return v
			}
			switch {
			case name == "national_id" && scientific.MatchString(v):
				sci = append(sci, FieldError{Pointer: "/national_id", Code: "scientific_notation",
					MessageEN: fmt.Sprintf("%q is a number Excel shortened to scientific notation; the digits of the CCCD are lost. Format the column as Text, type the 12 digits again and save", tabular.Excerpt(v)),
					MessageVI: fmt.Sprintf("%q là số đã bị Excel rút gọn dạng khoa học; các chữ số của CCCD đã mất. Hãy định dạng cột là Text (Văn bản), nhập lại đủ 12 chữ số rồi lưu", tabular.Excerpt(v))})
				return v
			case integerColumns[name]:
				if rc.viNumbers && viThousands.MatchString(v) {
					return strings.ReplaceAll(v, ".", "")
				}
			case decimalColumns[name]:
				if rc.viNumbers {
					switch {
					case viDecimal.MatchString(v), viDecimalBare.MatchString(v):
						return strings.ReplaceAll(strings.ReplaceAll(v, ".", ""), ",", ".")
					case viThousands.MatchString(v):
						return strings.ReplaceAll(v, ".", "")
					}
				}
			case name == "position_code":
				if _, ok := rc.positions[v]; !ok {
					if code, ok := rc.positionByTitle(v); ok {
						return code
					}
				}
			case name == "kind" && kind == "hamlets" && !isCode(v):
				// A local name as officers write it ("Ấp", "Khu phố"); a value written as a code ("ap") is
				// left to the records API's own check, which refuses it as a POST would.
				if k, ok := hamletKinds[tabular.Fold(v)]; ok {
					return k
				}
			}
			return v
		}
		out, errs := inner(rc, value)
		errs = viColumnNames(kind, errs)
		if len(sci) > 0 {
			// The explanation replaces the length error the records API gives such a value.
			kept := sci
			for _, e := range errs {
				if e.Pointer != "/national_id" {
					kept = append(kept, e)
				}
			}
			return nil, kept
		}
		return out, errs
	}
}

// positionTitles indexes the catalogue's posts by their folded Vietnamese and English titles.
type positionTitles struct {
	once  sync.Once
	index map[string]string
}

// positionByTitle finds a post by its title, accent- and case-insensitively ("Trưởng thôn" → its code).
func (rc *rowContext) positionByTitle(v string) (string, bool) {
	rc.titles.once.Do(func() {
		rc.titles.index = map[string]string{}
		for code, p := range rc.positions {
			for _, t := range []string{p.TitleVI, p.TitleEN, code} {
				if t != "" {
					rc.titles.index[tabular.Fold(t)] = code
				}
			}
			// A title of several posts ("Trưởng thôn, Tổ trưởng tổ dân phố") answers to each part too.
			for _, part := range strings.FieldsFunc(p.TitleVI, func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
				if f := tabular.Fold(part); f != "" {
					if _, taken := rc.titles.index[f]; !taken {
						rc.titles.index[f] = code
					}
				}
			}
		}
	})
	f := tabular.Fold(v)
	if code, ok := rc.titles.index[f]; ok {
		return code, true
	}
	// The hamlet head by the local name of the hamlet: trưởng ấp, trưởng bản, trưởng khu phố …
	if rest, ok := strings.CutPrefix(f, "truong_"); ok && hamletKinds[rest] != "" {
		if _, ok := rc.positions["truong_thon_to_truong"]; ok {
			return "truong_thon_to_truong", true
		}
	}
	if f == "to_truong" || f == "to_truong_tdp" {
		if _, ok := rc.positions["truong_thon_to_truong"]; ok {
			return "truong_thon_to_truong", true
		}
	}
	return "", false
}

// apiName matches an API column name as a word ("commune_code", "national_id").
var apiName = regexp.MustCompile(`\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b|\b(code|name|kind|class|gender|status|households|population)\b`)

// viColumnNames replaces the API column names in the Vietnamese messages of a row's errors with the
// columns' Vietnamese headers ("commune_code phải để trống" → "Mã xã phải để trống"): an officer never
// reads an API field name.
func viColumnNames(kind string, errs []FieldError) []FieldError {
	for i := range errs {
		errs[i].MessageVI = apiName.ReplaceAllStringFunc(errs[i].MessageVI, func(w string) string {
			if h := templateHeader(kind, w); h != "" {
				return h
			}
			return w
		})
	}
	return errs
}
