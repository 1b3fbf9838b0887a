package store

import "communehr/internal/tabular"

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
		e.Column = tabular.Cut(e.Column, maxErrorColumnRunes)
		e.MessageEN = tabular.Cut(e.MessageEN, maxErrorMessageRunes)
		e.MessageVI = tabular.Cut(e.MessageVI, maxErrorMessageRunes)
	}
}
