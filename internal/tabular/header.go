package tabular

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold is the accent-, case- and punctuation-insensitive form of a header or a label: "Họ và tên" →
// "ho_va_ten".
func Fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !isASCII(s) {
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		s, _, _ = transform.String(t, s)
	}
	var b strings.Builder
	underscore := false
	for _, r := range s {
		switch {
		case r == 'đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		default:
			if !underscore && b.Len() > 0 {
				b.WriteByte('_')
			}
			underscore = true
			continue
		}
		b.WriteRune(r)
		underscore = false
	}
	return strings.TrimSuffix(b.String(), "_")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Column is a column a file may have: its name, the other headers that name it, and whether it must be
// there.
type Column struct {
	Name     string
	Aliases  []string
	Required bool
	// LabelVI is the column's Vietnamese heading (the template's), used by the Vietnamese messages; empty:
	// the name.
	LabelVI string
}

// labelVI is the column as the Vietnamese messages name it.
func (c Column) labelVI() string {
	if c.LabelVI != "" {
		return c.LabelVI
	}
	return c.Name
}

// Schema is the columns of one kind of file and the headers a file may carry beside them (folded: a row
// number column, a column of errors added by the service), which are skipped.
type Schema struct {
	Columns []Column
	Ignored map[string]bool
}

// MapHeader maps a file's header to column names (name → index): every header must name a column (by
// its name or an alias, folded), no column twice, and every required column present. The problems are
// on line 1, in the header's column.
func (s Schema) MapHeader(header []string) (map[string]int, []Problem) {
	known := map[string]string{}
	for _, c := range s.Columns {
		known[Fold(c.Name)] = c.Name
		for _, a := range c.Aliases {
			known[Fold(a)] = c.Name
		}
	}
	idx := map[string]int{}
	var errs []Problem
	for i, h := range header {
		name, ok := known[Fold(h)]
		switch {
		case s.Ignored[Fold(h)]:
			continue
		case strings.TrimSpace(h) == "":
			errs = append(errs, Problem{Line: 1, Column: fmt.Sprintf("#%d", i+1), Code: "empty_header",
				MessageEN: fmt.Sprintf("column %d has no header", i+1), MessageVI: fmt.Sprintf("cột %d không có tiêu đề", i+1)})
		case !ok:
			errs = append(errs, Problem{Line: 1, Column: h, Code: "unknown_column",
				MessageEN: fmt.Sprintf("unknown column %q (expected: %s)", Excerpt(h), s.columnList()),
				MessageVI: fmt.Sprintf("cột %q không hợp lệ (các cột: %s)", Excerpt(h), s.columnListVI())})
		default:
			if _, dup := idx[name]; dup {
				errs = append(errs, Problem{Line: 1, Column: h, Code: "duplicate_column",
					MessageEN: fmt.Sprintf("column %s appears twice", name), MessageVI: fmt.Sprintf("cột %s xuất hiện hai lần", name)})
				continue
			}
			idx[name] = i
		}
	}
	for _, c := range s.Columns {
		if _, ok := idx[c.Name]; c.Required && !ok {
			errs = append(errs, Problem{Line: 1, Column: c.Name, Code: "missing_column",
				MessageEN: fmt.Sprintf("required column %s is missing", c.Name), MessageVI: fmt.Sprintf("thiếu cột bắt buộc %q", c.labelVI())})
		}
	}
	return idx, errs
}

// columnListVI lists the columns by their Vietnamese headings.
func (s Schema) columnListVI() string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = fmt.Sprintf("%q", c.labelVI())
	}
	return strings.Join(names, ", ")
}

func (s Schema) columnList() string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}
