package store

// A job keeps its first MaxJobErrors errors and every read of the job answers them, so each is bounded:
// its messages quote the start of a long cell only (tabular.Excerpt), and whatever message still comes
// out longer (a header cell, a check that names a value) is cut here, as is the column (a header cell).
const (
	maxErrorMessageRunes = 600
	maxErrorColumnRunes  = 120
)

// boundRowErrors cuts the messages and columns of errs to their bounds, in place.
func boundRowErrors(errs []RowError) {
	for i := range errs {
		e := &errs[i]
		e.Column = cutRunes(e.Column, maxErrorColumnRunes)
		e.MessageEN = cutRunes(e.MessageEN, maxErrorMessageRunes)
		e.MessageVI = cutRunes(e.MessageVI, maxErrorMessageRunes)
	}
}

// cutRunes is s, or its first n characters and "…" when it is longer.
func cutRunes(s string, n int) string {
	k := 0
	for i := range s {
		if k == n {
			return s[:i] + "…"
		}
		k++
	}
	return s
}
