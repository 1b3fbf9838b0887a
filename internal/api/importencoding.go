package api

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// vietnameseLetters are the letters of the Vietnamese alphabet beyond ASCII, precomposed (NFC).
const vietnameseLetters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" +
	"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

// looksWindows1258 reports whether bytes that are not UTF-8 read as Vietnamese in Windows-1258 (what
// Excel's plain "CSV" writes on a Vietnamese Windows): decoded and composed, nearly every character
// beyond ASCII is a Vietnamese letter. TCVN3 and VNI text decoded the same way is full of symbols and
// foreign letters (« ¨ ï …) and fails the test.
func looksWindows1258(b []byte) bool {
	s, _, err := transform.Bytes(charmap.Windows1258.NewDecoder(), b)
	if err != nil {
		return false
	}
	s = norm.NFC.Bytes(s)
	good, bad := 0, 0
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		s = s[n:]
		switch {
		case r < 0x80:
		case strings.ContainsRune(vietnameseLetters, r):
			good++
		default:
			bad++
		}
	}
	return good >= 2 && bad*20 <= good
}

// windows1258Upload converts an upload in Windows-1258 into a spooled UTF-8 file (composed, NFC), so the
// pipeline reads it as any UTF-8 CSV; any other upload is returned as it is. The file's hash stays the
// upload's.
func windows1258Upload(sp *spool) (*spool, error) {
	if utf8.Valid(bytes.TrimPrefix(sp.sniffed, []byte{0xEF, 0xBB, 0xBF})) || sniffEncoding(sp.sniffed) == nil ||
		!looksWindows1258(sp.sniffed) {
		return sp, nil
	}
	src, err := sp.open()
	if err != nil {
		return nil, err
	}
	out, err := os.CreateTemp("", "communehr-import-*.csv")
	if err != nil {
		return nil, err
	}
	dst := &spool{f: out, sum: sp.sum}
	bw := bufio.NewWriterSize(&countingWriter{s: dst}, 256<<10)
	r := transform.NewReader(src, transform.Chain(charmap.Windows1258.NewDecoder(), norm.NFC))
	buf := make([]byte, 64<<10)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			dst.lines += bytes.Count(buf[:n], []byte{'\n'})
			if _, err := bw.Write(buf[:n]); err != nil {
				dst.Close()
				return nil, err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			dst.Close()
			return nil, rerr
		}
	}
	if err := bw.Flush(); err != nil {
		dst.Close()
		return nil, err
	}
	sp.Close()
	return dst, nil
}
