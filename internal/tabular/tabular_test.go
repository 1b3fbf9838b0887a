package tabular

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

func TestDetectDelimiter(t *testing.T) {
	for in, want := range map[string]rune{
		"a,b,c\n1;2":          ',',
		"Họ và tên;Ngày sinh": ';',
		`"a;b",c` + "\n":      ',',
		"":                    ',',
	} {
		if got := DetectDelimiter([]byte(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// Records come with the line they start on (blank lines skipped, a quoted line break kept inside the
// record); a record that is not CSV is reported at its line and reading goes on; a line over the limit
// stops the reading with its position.
func TestReaderPositions(t *testing.T) {
	in := "\xEF\xBB\xBFcode;name\n1;Một\n\n2;\"Hai\ndòng\"\n3;\"bad\"x\n4;Bốn\n"
	r := NewReader(strings.NewReader(in), ';')
	type got struct {
		line int
		rec  string
		code string
	}
	var all []got
	for {
		rec, line, bad, fatal, ok := r.Next()
		if fatal != nil {
			t.Fatalf("fatal %+v", fatal)
		}
		if !ok {
			break
		}
		g := got{line: line, rec: strings.Join(rec, "|")}
		if bad != nil {
			g.line, g.code = bad.Line, bad.Code
		}
		all = append(all, g)
	}
	want := []got{{1, "code|name", ""}, {2, "1|Một", ""}, {4, "2|Hai\ndòng", ""}, {6, "", "csv_syntax"}, {7, "4|Bốn", ""}}
	if len(all) != len(want) {
		t.Fatalf("records %+v, want %+v", all, want)
	}
	for i := range want {
		if all[i] != want[i] {
			t.Errorf("record %d: %+v, want %+v", i, all[i], want[i])
		}
	}

	long := "a,b\n1,2\n" + strings.Repeat("x", MaxLineBytes+10) + "\n"
	r = NewReader(strings.NewReader(long), ',')
	var fatal *Problem
	for {
		_, _, _, f, ok := r.Next()
		if !ok {
			fatal = f
			break
		}
	}
	if fatal == nil || fatal.Code != "line_too_long" || fatal.Line != 3 {
		t.Fatalf("a line over the limit: %+v", fatal)
	}
}

func TestSniffEncoding(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE, 'a', 0, 'b', 0}
	tcvn3 := []byte("M\xb8 x\xb7 \xb8p d\xf9ng")
	for name, c := range map[string]struct {
		in   []byte
		code string
	}{
		"utf-8":    {[]byte("Họ và tên\n"), ""},
		"bom":      {[]byte("\xEF\xBB\xBFHọ và tên\n"), ""},
		"utf-16":   {utf16, "encoding_utf16"},
		"tcvn3":    {tcvn3, "encoding_legacy"},
		"cut rune": {[]byte("Họ và t\xc3"), ""},
	} {
		p := SniffEncoding(c.in)
		switch {
		case c.code == "" && p != nil:
			t.Errorf("%s: refused %+v", name, p)
		case c.code != "" && (p == nil || p.Code != c.code || p.Line != 1):
			t.Errorf("%s: %+v, want %s", name, p, c.code)
		}
	}
}

// A Windows-1258 file (Excel's plain CSV on a Vietnamese Windows) is converted to composed UTF-8 with
// its lines counted and the upload's hash kept; a UTF-8 file is left as it is.
func TestFromWindows1258(t *testing.T) {
	// A sample made by iconv from a UTF-8 file (the same as package api's import test uses).
	enc, err := os.ReadFile("testdata/cadres-windows1258.csv")
	if err != nil {
		t.Fatal(err)
	}
	text := "Số CCCD;Họ và tên;Giới tính;Ngày sinh;Số tháng đóng BHXH\r\n" +
		"001085012345;Nguyễn Văn Đức;Nam;02/03/1985;120\r\n"
	sp, err := SpoolUpload(bytes.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	sum := sp.Sum
	out, err := FromWindows1258(sp)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if out == sp {
		t.Fatal("not converted")
	}
	r, _ := out.Open()
	b, _ := io.ReadAll(r)
	if !strings.HasPrefix(string(b), text) || out.Lines != bytes.Count(enc, []byte{'\n'}) || !bytes.Equal(out.Sum, sum) ||
		string(out.Sniffed) != string(b) {
		t.Fatalf("converted %q (lines %d)", b, out.Lines)
	}

	same, err := SpoolUpload(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	defer same.Close()
	if got, _ := FromWindows1258(same); got != same {
		t.Error("a UTF-8 file was converted")
	}
}

// The header is matched by name or alias whatever its accents, case and punctuation; ignored headers are
// skipped; unknown, duplicate, empty and missing columns are reported on line 1 with the column.
func TestMapHeader(t *testing.T) {
	s := Schema{Columns: []Column{
		{Name: "national_id", Aliases: []string{"Số định danh"}, Required: true},
		{Name: "full_name", Aliases: []string{"Họ và tên"}, Required: true},
		{Name: "gender", Aliases: []string{"Giới tính"}},
	}, Ignored: map[string]bool{"stt": true}}
	idx, errs := s.MapHeader([]string{"STT", "so dinh danh", "HỌ VÀ TÊN", "Giới  tính"})
	if len(errs) > 0 || idx["national_id"] != 1 || idx["full_name"] != 2 || idx["gender"] != 3 {
		t.Fatalf("idx %v errs %+v", idx, errs)
	}
	_, errs = s.MapHeader([]string{"Họ và tên", "full_name", "", "tuổi"})
	codes := map[string]string{}
	for _, e := range errs {
		if e.Line != 1 {
			t.Errorf("%+v not on line 1", e)
		}
		codes[e.Code] = e.Column
	}
	want := map[string]string{"duplicate_column": "full_name", "empty_header": "#3", "unknown_column": "tuổi", "missing_column": "national_id"}
	for code, col := range want {
		if codes[code] != col {
			t.Errorf("%s at %q, want %q (all %v)", code, codes[code], col, codes)
		}
	}
}

func TestCleanCell(t *testing.T) {
	for in, want := range map[string]string{
		"  Ho\u0300 ":  "Hò",
		"'=SUM(A1)":    "=SUM(A1)",
		"'-5":          "-5",
		"'abc":         "'abc",
		"Nguyễn Văn A": "Nguyễn Văn A",
	} {
		if got := CleanCell(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if got := StorableText("a\x00b\xff"); got != "a\uFFFDb\uFFFD" {
		t.Errorf("StorableText: %q", got)
	}
}

// The Vietnamese messages name a missing or expected column by its Vietnamese heading (issue 13 item 5).
func TestMapHeaderSpeaksVietnameseHeadings(t *testing.T) {
	s := Schema{Columns: []Column{{Name: "code", Required: true, LabelVI: "Mã thôn"},
		{Name: "effective_from", Required: true, LabelVI: "Ngày hiệu lực"}}}
	_, probs := s.MapHeader([]string{"Mã thôn", "Ngày bắt đầu"})
	var vi []string
	for _, p := range probs {
		vi = append(vi, p.MessageVI)
	}
	got := strings.Join(vi, " | ")
	if !strings.Contains(got, `thiếu cột bắt buộc "Ngày hiệu lực"`) || !strings.Contains(got, `"Mã thôn", "Ngày hiệu lực"`) ||
		strings.Contains(got, "effective_from") {
		t.Fatalf("Vietnamese header problems: %s", got)
	}
}
