package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// SniffEncoding refuses what is not UTF-8, naming the encoding it looks like and how to fix it (nil: UTF-8).
func SniffEncoding(b []byte) *Problem {
	fix := ` Re-save it as "CSV UTF-8 (Comma delimited)" in Excel, or convert it with Unikey's tool (Công cụ chuyển mã) to Unicode.`
	fixVI := ` Hãy lưu lại dạng "CSV UTF-8 (Comma delimited)" trong Excel, hoặc chuyển mã sang Unicode bằng công cụ chuyển mã của Unikey.`
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}), looksUTF16(b):
		return &Problem{Line: 1, Column: "", Code: "encoding_utf16",
			MessageEN: "The file is UTF-16 (Excel's \"Unicode text\"), not UTF-8." + fix,
			MessageVI: "Tệp ở mã UTF-16 (\"Unicode text\" của Excel), không phải UTF-8." + fixVI}
	}
	b = bytes.TrimPrefix(b, bom)
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
	return &Problem{Line: 1, Code: "encoding_legacy",
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

// vietnameseLetters are the letters of the Vietnamese alphabet beyond ASCII, precomposed (NFC).
const vietnameseLetters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" +
	"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

// LooksWindows1258 reports whether bytes that are not UTF-8 read as Vietnamese in Windows-1258 (what
// Excel's plain "CSV" writes on a Vietnamese Windows): decoded and composed, nearly every character
// beyond ASCII is a Vietnamese letter. TCVN3 and VNI text decoded the same way is full of symbols and
// foreign letters (« ¨ ï …) and fails the test.
func LooksWindows1258(b []byte) bool {
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

// FromWindows1258 converts a spooled upload in Windows-1258 into a spooled UTF-8 file (composed, NFC), so
// that it reads as any UTF-8 CSV, and closes the original; any other upload is returned as it is. The
// file's hash stays the upload's.
func FromWindows1258(sp *Spool) (*Spool, error) {
	if utf8.Valid(sp.Text()) || SniffEncoding(sp.Sniffed) == nil || !LooksWindows1258(sp.Sniffed) {
		return sp, nil
	}
	src, err := sp.Open()
	if err != nil {
		return nil, err
	}
	dst, err := NewSpool(sp.Sum)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(dst, 256<<10)
	r := transform.NewReader(src, transform.Chain(charmap.Windows1258.NewDecoder(), norm.NFC))
	buf := make([]byte, 64<<10)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			dst.Lines += bytes.Count(buf[:n], []byte{'\n'})
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
