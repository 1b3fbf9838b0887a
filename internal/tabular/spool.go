// Package tabular reads the tables officers upload — CSV as Excel writes it — with no HTTP and no
// database: the upload spooled to a temporary file (its first bytes sniffed, its lines and hash counted),
// the encoding refused or converted (UTF-16, TCVN3 and VNI refused with a way to fix them; Windows-1258
// converted to UTF-8), the delimiter detected (';' from Excel in a Vietnamese locale, else ','), the header
// mapped to column names by accent- and case-insensitive names and aliases, and every record read with its
// line, a malformed one reported with its position. Problems carry a line and a column and read in
// Vietnamese and English; the import pipeline (package api) turns them into its row errors.
package tabular

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
)

// SniffBytes is how much of the start of a file is kept for sniffing its encoding and delimiter.
const SniffBytes = 64 << 10

// Spool is an upload copied to a temporary file: the source is read once, streaming, while its first
// bytes are kept (Sniffed) and its newlines (Lines) and SHA-256 (Sum) counted.
type Spool struct {
	f       *os.File
	Size    int64
	Lines   int
	Sum     []byte
	Sniffed []byte // the first SniffBytes
}

// NewSpool creates an empty spool that Write fills (a converted file); sum is the hash it carries (the
// original upload's).
func NewSpool(sum []byte) (*Spool, error) {
	f, err := os.CreateTemp("", "communehr-import-*.csv")
	if err != nil {
		return nil, err
	}
	return &Spool{f: f, Sum: sum}, nil
}

// SpoolUpload copies src to a temporary file.
func SpoolUpload(src io.Reader) (*Spool, error) {
	s, err := NewSpool(nil)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	buf := make([]byte, 256<<10)
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			s.Lines += bytes.Count(chunk, []byte{'\n'})
			h.Write(chunk)
			if _, err := s.Write(chunk); err != nil {
				s.Close()
				return nil, err
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			s.Close()
			return nil, rerr
		}
	}
	s.Sum = h.Sum(nil)
	return s, nil
}

// Write appends p to the file, keeping its size and first bytes (Lines is the writer's to count).
func (s *Spool) Write(p []byte) (int, error) {
	if len(s.Sniffed) < SniffBytes {
		s.Sniffed = append(s.Sniffed, p[:min(len(p), SniffBytes-len(s.Sniffed))]...)
	}
	n, err := s.f.Write(p)
	s.Size += int64(n)
	return n, err
}

// Open rewinds the file and returns a buffered reader from its start.
func (s *Spool) Open() (io.Reader, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return bufio.NewReaderSize(s.f, 256<<10), nil
}

// Name is the temporary file's path (for a library that opens files itself).
func (s *Spool) Name() string { return s.f.Name() }

// Close removes the temporary file.
func (s *Spool) Close() {
	if s.f != nil {
		name := s.f.Name()
		s.f.Close()
		os.Remove(name)
	}
}

// Text is the sniffed start without a UTF-8 byte-order mark.
func (s *Spool) Text() []byte { return bytes.TrimPrefix(s.Sniffed, bom) }

var bom = []byte{0xEF, 0xBB, 0xBF}
