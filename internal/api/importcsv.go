package api

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"communehr/internal/store"
)

// Limits of a CSV upload.
const (
	maxRowBytes  = 64 << 10 // a longer row is an error for that line
	maxLineBytes = 1 << 20  // a physical line this long stops the import (nothing sensible is that long)
	syncMaxRows  = 50000    // larger files answer 202 and run in the background
)

// spool is an upload copied to a temporary file: the request body is read once, streaming, while its
// first bytes are sniffed for the encoding and its lines and hash are counted.
type spool struct {
	f       *os.File
	size    int64
	lines   int
	sum     []byte
	sniffed []byte // the first 64 KiB
}

func (s *spool) Close() {
	if s.f != nil {
		name := s.f.Name()
		s.f.Close()
		os.Remove(name)
	}
}

// spoolUpload copies src to a temporary file.
func spoolUpload(src io.Reader) (*spool, error) {
	f, err := os.CreateTemp("", "communehr-import-*.csv")
	if err != nil {
		return nil, err
	}
	s := &spool{f: f}
	h := sha256.New()
	buf := make([]byte, 256<<10)
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if len(s.sniffed) < 64<<10 {
				s.sniffed = append(s.sniffed, chunk[:min(len(chunk), 64<<10-len(s.sniffed))]...)
			}
			s.lines += bytes.Count(chunk, []byte{'\n'})
			h.Write(chunk)
			if _, err := f.Write(chunk); err != nil {
				s.Close()
				return nil, err
			}
			s.size += int64(n)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			s.Close()
			return nil, rerr
		}
	}
	s.sum = h.Sum(nil)
	return s, nil
}

func (s *spool) open() (io.Reader, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return bufio.NewReaderSize(s.f, 256<<10), nil
}

// sniffEncoding refuses what is not UTF-8, naming the encoding it looks like and how to fix it.
func sniffEncoding(b []byte) *store.RowError {
	fix := ` Re-save it as "CSV UTF-8 (Comma delimited)" in Excel, or convert it with Unikey's tool (Công cụ chuyển mã) to Unicode.`
	fixVI := ` Hãy lưu lại dạng "CSV UTF-8 (Comma delimited)" trong Excel, hoặc chuyển mã sang Unicode bằng công cụ chuyển mã của Unikey.`
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}), looksUTF16(b):
		return &store.RowError{Line: 1, Column: "", Code: "encoding_utf16",
			MessageEN: "The file is UTF-16 (Excel's \"Unicode text\"), not UTF-8." + fix,
			MessageVI: "Tệp ở mã UTF-16 (\"Unicode text\" của Excel), không phải UTF-8." + fixVI}
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	// A sample cut in the middle of a character is not an error.
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		if r, _ := utf8.DecodeLastRune(b); r == utf8.RuneError {
			b = b[:len(b)-1]
		}
	}
	if utf8.Valid(b) {
		return nil
	}
	enc := legacyEncoding(b)
	return &store.RowError{Line: 1, Code: "encoding_legacy",
		MessageEN: fmt.Sprintf("The file is not UTF-8: it looks like the legacy Vietnamese encoding %s.", enc) + fix,
		MessageVI: fmt.Sprintf("Tệp không ở mã UTF-8: có vẻ là bảng mã tiếng Việt cũ %s.", enc) + fixVI}
}

// looksUTF16 spots UTF-16 without a byte-order mark: text where every other byte is NUL.
func looksUTF16(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	n := min(len(b), 512)
	zeros := bytes.Count(b[:n], []byte{0})
	return zeros*3 > n
}

// legacyEncoding tells TCVN3 (ABC) from VNI by how their bytes sit in words. VNI writes a Vietnamese
// letter as an ASCII base letter followed by a separate diacritic byte (0xC0–0xFF), so its high bytes
// follow vowels; TCVN3 puts each accented letter in one high byte, often between consonants. This is a
// heuristic: the file is refused either way, and the message names both when unsure.
func legacyEncoding(b []byte) string {
	var afterVowel, total int
	for i, c := range b {
		if c < 0x80 {
			continue
		}
		total++
		if i > 0 && strings.IndexByte("aeiouyAEIOUY", b[i-1]) >= 0 && c >= 0xC0 {
			afterVowel++
		}
	}
	switch {
	case total == 0:
		return "TCVN3 (ABC) or VNI"
	case afterVowel*10 >= total*6:
		return "VNI (VNI-Windows)"
	case afterVowel*10 <= total*3:
		return "TCVN3 (ABC)"
	}
	return "TCVN3 (ABC) or VNI"
}

// lineLimitReader stops a physical line from growing past maxLineBytes (a 1 GB line would otherwise be
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
		if l.run > maxLineBytes {
			l.tooLong = true
			return i, errLineTooLong
		}
	}
	return n, err
}

// detectDelimiter picks ';' (Excel in a Vietnamese locale) or ',' from the header line.
func detectDelimiter(sample []byte) rune {
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

// newCSVReader reads the spooled file: BOM stripped, delimiter detected, fields NFC-normalised by the
// caller.
func newCSVReader(r io.Reader, delim rune) (*csv.Reader, *lineLimitReader) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	ll := &lineLimitReader{r: br}
	cr := csv.NewReader(ll)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = false
	return cr, ll
}

// cleanCell NFC-normalises and trims a cell, and undoes the formula neutralisation of our own exports
// (a leading ' before = + - @), so that errors.csv can be uploaded again as it is.
func cleanCell(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '\'' && (strings.ContainsRune("=+-@", rune(s[1])) || plainNumber.MatchString(s[1:])) {
		// Also a quote before a number ('250, '-5): what older errors.csv files wrote, and how a number is
		// typed as text in Excel.
		s = s[1:]
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// storableText replaces what PostgreSQL cannot hold in text or jsonb (invalid UTF-8, NUL) with U+FFFD.
func storableText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

var _ hash.Hash = sha256.New()
