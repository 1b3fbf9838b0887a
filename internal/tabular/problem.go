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
