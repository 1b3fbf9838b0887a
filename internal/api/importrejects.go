package api

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"os"

	"communehr/internal/store"
	"communehr/internal/tabular"
)

// rejectSpool holds the rows the parser refused, in a temporary file, until the store COPYs them into
// the database (issue 10, item 2): memory stays flat however many rows fail. A record is the line, the
// cells as uploaded and the errors, each string length-prefixed (uvarint), so any byte round-trips.
type rejectSpool struct {
	f   *os.File
	w   *bufio.Writer
	n   int
	err error
}

func newRejectSpool() (*rejectSpool, error) {
	f, err := os.CreateTemp("", "communehr-rejects-*")
	if err != nil {
		return nil, err
	}
	return &rejectSpool{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (s *rejectSpool) uvarint(n int) {
	var b [binary.MaxVarintLen64]byte
	_, _ = s.w.Write(b[:binary.PutUvarint(b[:], uint64(n))])
}

func (s *rejectSpool) str(v string) {
	s.uvarint(len(v))
	_, _ = s.w.WriteString(v)
}

// add writes one refused row; the first write error is kept (and fails the COPY through csvRows.Err).
func (s *rejectSpool) add(r store.RejectedRow) {
	if s.err != nil {
		return
	}
	s.uvarint(r.Line)
	s.uvarint(len(r.Fields))
	for _, f := range r.Fields {
		s.str(f)
	}
	s.uvarint(len(r.Errors))
	for _, e := range r.Errors {
		s.str(e.Column)
		s.str(e.Code)
		s.str(e.MessageEN)
		s.str(e.MessageVI)
	}
	s.n++
	if _, err := s.w.Write(nil); err != nil { // bufio's error is sticky: a full disk shows here
		s.err = err
	}
}

// open flushes the spool and reads it back from the start (it may be opened more than once).
func (s *rejectSpool) open() (store.RejectIter, error) {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return nil, s.err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return &spoolIter{r: bufio.NewReaderSize(s.f, 64<<10), left: s.n}, nil
}

func (s *rejectSpool) Close() {
	name := s.f.Name()
	s.f.Close()
	os.Remove(name)
}

type spoolIter struct {
	r    *bufio.Reader
	left int
	row  store.RejectedRow
	err  error
	buf  []byte
}

func (it *spoolIter) num() int {
	n, err := binary.ReadUvarint(it.r)
	if err != nil && it.err == nil {
		it.err = err
	}
	return int(n)
}

func (it *spoolIter) str() string {
	n := it.num()
	if it.err != nil {
		return ""
	}
	if cap(it.buf) < n {
		it.buf = make([]byte, n)
	}
	b := it.buf[:n]
	if _, err := io.ReadFull(it.r, b); err != nil {
		it.err = err
		return ""
	}
	return string(b)
}

func (it *spoolIter) Next() bool {
	if it.left == 0 || it.err != nil {
		return false
	}
	it.left--
	r := store.RejectedRow{Line: it.num()}
	r.Fields = make([]string, it.num())
	for i := range r.Fields {
		r.Fields[i] = it.str()
	}
	r.Errors = make([]store.RowError, it.num())
	for i := range r.Errors {
		r.Errors[i] = store.RowError{Line: r.Line, Column: it.str(), Code: it.str(), MessageEN: it.str(), MessageVI: it.str()}
	}
	it.row = r
	return it.err == nil
}

func (it *spoolIter) Row() store.RejectedRow { return it.row }
func (it *spoolIter) Err() error             { return it.err }
func (it *spoolIter) Close() error           { return nil }

// originalIter reads the uploaded file again and yields the wanted lines with their cells as uploaded
// (made storable as text), for the rows refused by the database checks.
type originalIter struct {
	tr   *tabular.Reader
	want func(int) bool
	row  store.RejectedRow
	err  error
}

func originalLines(sp *spool, delim rune, want func(int) bool) (store.RejectIter, error) {
	src, err := sp.Open()
	if err != nil {
		return nil, err
	}
	return &originalIter{tr: tabular.NewReader(src, delim), want: want}, nil
}

func (it *originalIter) Next() bool {
	for {
		rec, line, err := it.tr.Read()
		if errors.Is(err, io.EOF) {
			return false
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			continue // a row that is not CSV was refused by the parser, with its own (empty) cells
		}
		if err != nil {
			it.err = err
			return false
		}
		if it.want(line) {
			for i := range rec {
				rec[i] = tabular.StorableText(rec[i])
			}
			it.row = store.RejectedRow{Line: line, Fields: rec}
			return true
		}
	}
}

func (it *originalIter) Row() store.RejectedRow { return it.row }
func (it *originalIter) Err() error             { return it.err }
func (it *originalIter) Close() error           { return nil }
