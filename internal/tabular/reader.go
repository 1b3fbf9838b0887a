package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of a record.
const (
	MaxRowBytes  = 64 << 10 // a longer record is an error for that line
	MaxLineBytes = 1 << 20  // a physical line this long stops the reading (nothing sensible is that long)
)

// DetectDelimiter picks ';' (Excel in a Vietnamese locale) or ',' from the header line of sample (the
// start of the file, without a byte-order mark).
func DetectDelimiter(sample []byte) rune {
	line := sample
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	inQuote := false
	commas, semis := 0, 0
	for _, c := range line {
		switch c {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				commas++
			}
		case ';':
			if !inQuote {
				semis++
			}
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// lineLimitReader stops a physical line from growing past MaxLineBytes (a 1 GB line would otherwise be
// buffered whole by encoding/csv).
type lineLimitReader struct {
	r       io.Reader
	run     int
	lines   int // newlines read so far: the line that grew too long is lines+1
	tooLong bool
}

var errLineTooLong = errors.New("line too long")

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.run = 0
			l.lines++
			continue
		}
		l.run++
		if l.run > MaxLineBytes {
			l.tooLong = true
			return i, errLineTooLong
		}
	}
	return n, err
}

// Reader reads the records of a CSV file with their line numbers: byte-order mark skipped, the
// delimiter given, physical lines limited to MaxLineBytes.
type Reader struct {
	cr *csv.Reader
	ll *lineLimitReader
}

// NewReader reads r with the delimiter delim.
func NewReader(r io.Reader, delim rune) *Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		_, _ = br.Discard(3)
	}
	ll := &lineLimitReader{r: br}
	cr := csv.NewReader(ll)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = false
	return &Reader{cr: cr, ll: ll}
}

// Read returns the next record as encoding/csv reads it (blank lines included) and the line it starts
// on; a record that is not valid CSV is a *csv.ParseError.
func (r *Reader) Read() ([]string, int, error) {
	rec, err := r.cr.Read()
	if err != nil {
		return nil, 0, err
	}
	line, _ := r.cr.FieldPos(0)
	return rec, line, nil
}

// Next returns the next record that is not blank and its line. A record that is not valid CSV comes back
// as bad (with its line, ok true); a fault that stops the reading (a line over MaxLineBytes, a read
// error) as fatal with ok false; the end of the file as ok false.
func (r *Reader) Next() (rec []string, line int, bad, fatal *Problem, ok bool) {
	for {
		rec, line, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil, 0, nil, nil, false
		}
		if err != nil {
			return r.fault(err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		return rec, line, nil, nil, true
	}
}

// fault explains a reading error with its position.
func (r *Reader) fault(err error) ([]string, int, *Problem, *Problem, bool) {
	var pe *csv.ParseError
	// FieldPos is only defined for a record that was read; a parse error carries its own line.
	line := 0
	if errors.As(err, &pe) {
		line = pe.StartLine
	}
	switch {
	case r.ll.tooLong || errors.Is(err, errLineTooLong):
		// encoding/csv passes the reader's error through without a position: the line is the reader's
		// own count.
		line = r.ll.lines + 1
		return nil, 0, nil, &Problem{Line: line, Code: "line_too_long",
			MessageEN: fmt.Sprintf("a line near line %d is longer than %d bytes; the file cannot be read", line, MaxLineBytes),
			MessageVI: fmt.Sprintf("một dòng gần dòng %d dài quá %d byte; không thể đọc tệp", line, MaxLineBytes)}, false
	case pe != nil:
		return nil, line, &Problem{Line: pe.StartLine, Code: "csv_syntax",
			MessageEN: "the row is not valid CSV: " + pe.Err.Error(), MessageVI: "dòng không đúng định dạng CSV: " + pe.Err.Error()}, nil, true
	}
	return nil, 0, nil, &Problem{Line: line, Code: "read_error", MessageEN: "the file could not be read: " + err.Error(),
		MessageVI: "không đọc được tệp: " + err.Error()}, false
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// CleanCell NFC-normalises and trims a cell, and undoes the formula neutralisation of the service's own
// exports (a leading ' before = + - @), so that a file of rejected rows can be uploaded again as it is.
func CleanCell(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '\'' && (strings.ContainsRune("=+-@", rune(s[1])) || plainNumber.MatchString(s[1:])) {
		// Also a quote before a number ('250, '-5): what older error files wrote, and how a number is
		// typed as text in Excel.
		s = s[1:]
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// StorableText replaces what PostgreSQL cannot hold in text or jsonb (invalid UTF-8, NUL) with U+FFFD.
func StorableText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}
