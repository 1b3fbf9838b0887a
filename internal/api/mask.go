package api

import "communehr/internal/store"

// minIDRun is the length of a national identity number (CCCD): 12 digits.
const minIDRun = 12

// maskIDRuns is the one masking function for what a viewer receives of uploaded text (errors.csv, an
// import job's errors and their messages): every run of 12 or more consecutive ASCII digits is masked,
// wherever it sits (a row shifted by a stray delimiter, an extra cell, an ID typed inside a name). A run
// of exactly 12 is masked as in the cadre views (first 4 and last 3 digits kept, 0010*****345); a longer
// run may hold an ID at any offset, so it keeps only its first 4 and last 3 digits too, which leaves at
// most 3+3 digits of any 12-digit window visible. Shorter runs (populations, amounts, dates, codes) are
// left alone. The length of the text does not change.
func maskIDRuns(s string) string {
	var out []byte
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= minIDRun {
			if out == nil {
				out = []byte(s)
			}
			for i := start + 4; i < end-3; i++ {
				out[i] = '*'
			}
		}
		start = -1
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	if out == nil {
		return s
	}
	return string(out)
}

// viewerText is the masking applied at the output boundary: maskIDRuns for a principal who sees identity
// numbers masked (a province viewer), the text as is for everyone else.
func viewerText(p store.Principal) func(string) string {
	if masksNationalID(p) {
		return maskIDRuns
	}
	return func(s string) string { return s }
}

// maskJobErrors masks the errors of a job for a principal who sees identity numbers masked: the column
// (a header cell of the file) and both messages, which may quote a cell.
func maskJobErrors(p store.Principal, j *store.ImportJob) {
	if !masksNationalID(p) {
		return
	}
	errs := make([]store.RowError, len(j.Errors))
	for i, e := range j.Errors {
		e.Column, e.MessageEN, e.MessageVI = maskIDRuns(e.Column), maskIDRuns(e.MessageEN), maskIDRuns(e.MessageVI)
		errs[i] = e
	}
	j.Errors = errs
}
