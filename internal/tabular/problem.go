package tabular

// Problem is what is wrong with a file, a record or a cell: where (Line, 1-based; Column, a header or
// "#n" when there is none), a stable Code, and the explanation in both languages.
type Problem struct {
	Line      int
	Column    string
	Code      string
	MessageEN string
	MessageVI string
}

// excerptRunes is how much of a cell a message quotes.
const excerptRunes = 40

// Excerpt is what a message quotes of a cell: the cell, or its first excerptRunes characters and "…"
// when it is longer. A message quoting a whole cell made a job of a thousand 60 KB cells answer 60 MB.
func Excerpt(s string) string { return Cut(s, excerptRunes) }

// Cut is s, or its first n characters and "…" when it is longer.
func Cut(s string, n int) string {
	k := 0
	for i := range s {
		if k == n {
			return s[:i] + "…"
		}
		k++
	}
	return s
}
