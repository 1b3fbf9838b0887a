package api

import (
	"unicode"

	"communehr/internal/store"
)

// minIDRun is the length of a national identity number (CCCD): 12 digits.
const minIDRun = 12

// maskIDRuns is the one masking function for what a viewer receives of uploaded text (errors.csv, an
// import job's errors and their messages): every run of 12 or more consecutive digits is masked,
// wherever it sits (a row shifted by a stray delimiter, an extra cell, an ID typed inside a name). A run
// of exactly 12 is masked as in the cadre views (first 4 and last 3 digits kept, 0010*****345); a longer
// run may hold an ID at any offset, so it keeps only its first 4 and last 3 digits too, which leaves at
// most 3+3 digits of any 12-digit window visible. Digits of any script count (an ID typed in full-width
// digits, ００１０…), and so does an ID written in groups of 3 or 4 digits with a space, a dot or a dash
// between them (001 080 012 345). Shorter runs (populations, amounts, dates, codes) are left alone, and
// every character stays where it was.
func maskIDRuns(s string) string {
	if !hasIDRun(s) {
		return s
	}
	rs := []rune(s)
	runs := digitRuns(rs)
	for i := 0; i < len(runs); {
		j, digits := i, runs[i][1]-runs[i][0]
		// A chain of groups of 3 or 4 digits, one separator apart, counts as one run.
		for j+1 < len(runs) && groupLen(runs[j]) && groupLen(runs[j+1]) && runs[j+1][0]-runs[j][1] == 1 && idSeparator(rs[runs[j][1]]) {
			j++
			digits += runs[j][1] - runs[j][0]
		}
		if digits >= minIDRun {
			maskDigits(rs, runs[i:j+1], digits)
		}
		i = j + 1
	}
	return string(rs)
}

// hasIDRun is a quick test that s has at least minIDRun digits at all (most text has none).
func hasIDRun(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			if n++; n >= minIDRun {
				return true
			}
		}
	}
	return false
}

// digitRuns are the [start, end) rune positions of the runs of digits of rs.
func digitRuns(rs []rune) [][2]int {
	var runs [][2]int
	start := -1
	for i, r := range rs {
		switch d := unicode.IsDigit(r); {
		case d && start < 0:
			start = i
		case !d && start >= 0:
			runs, start = append(runs, [2]int{start, i}), -1
		}
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, len(rs)})
	}
	return runs
}

func groupLen(run [2]int) bool { n := run[1] - run[0]; return n == 3 || n == 4 }

func idSeparator(r rune) bool { return r == ' ' || r == '.' || r == '-' }

// maskDigits masks the digits of runs (digits in all) but their first 4 and last 3.
func maskDigits(rs []rune, runs [][2]int, digits int) {
	k := 0
	for _, run := range runs {
		for i := run[0]; i < run[1]; i++ {
			if k >= 4 && k < digits-3 {
				rs[i] = '*'
			}
			k++
		}
	}
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
