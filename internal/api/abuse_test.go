package api

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"communehr"
	"communehr/internal/store"
)

// rawRequest writes a request by hand on a fresh connection (headers, then whatever body the test
// wants) and returns the connection and a reader for the answer.
func (e *env) rawRequest(head string) (net.Conn, *bufio.Reader) {
	e.t.Helper()
	conn, err := net.DialTimeout("tcp", e.srv.Listener.Addr().String(), 5*time.Second)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, head); err != nil {
		e.t.Fatal(err)
	}
	return conn, bufio.NewReader(conn)
}

// TestOversizedBodyIsRefusedWithoutReadingIt declares a 1 GB body and sends 1 KB of it: the answer is a
// quick 413, for JSON writes and for CSV uploads alike.
func TestOversizedBodyIsRefusedWithoutReadingIt(t *testing.T) {
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	for _, c := range []struct{ path, ct string }{
		{"/v1/provinces/01/communes", "application/json"},
		{"/v1/provinces/01/imports?kind=cadres", "text/csv"},
		{"/v1/calculations/hamlet-fund", "application/json"},
	} {
		start := time.Now()
		conn, rd := e.rawRequest(fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
			c.path, ed, c.ct, 1<<30, strings.Repeat("x", 1024)))
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		res, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d, want 413", c.path, res.StatusCode)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: 413 took %s", c.path, d)
		}
	}
	mustStatus(t, e.do("GET", "/healthz", "", nil), 200)
}

// TestHostileJSONIsAClean4xx sends a 10,000-field object and 10,000-deep nesting to the JSON decoders
// (a calculation and a record write), under a body limit that lets them through to the decoder.
func TestHostileJSONIsAClean4xx(t *testing.T) {
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	// The same stack with a 4 MB limit, so that the decoder, not the limit, meets the bodies.
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{e: e}, nil))
	big := httptest.NewServer(NewRouter(Config{MaxBodyBytes: 4 << 20, OpenAPI: communehr.OpenAPI}, e.st, logger))
	t.Cleanup(big.Close)
	be := *e
	be.srv = big

	var fields strings.Builder
	fields.WriteString("{")
	for i := 0; i < 10000; i++ {
		if i > 0 {
			fields.WriteString(",")
		}
		fmt.Fprintf(&fields, `"f%d":%d`, i, i)
	}
	fields.WriteString("}")
	bodies := map[string]string{
		"10,000 fields":           fields.String(),
		"10,000 deep objects":     strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
		"10,000 deep arrays":      `{"households":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "}",
		"100,000 deep arrays":     strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		"10,000 repeated members": `{` + strings.Repeat(`"kind":"thon",`, 10000) + `"households":1}`,
	}
	for name, body := range bodies {
		for _, path := range []string{"/v1/calculations/hamlet-fund", "/v1/provinces/01/communes"} {
			start := time.Now()
			r := be.do("POST", path, ed, body)
			if r.Status < 400 || r.Status >= 500 {
				t.Errorf("%s to %s: status %d, want a 4xx; body %.300s", name, path, r.Status, r.Body)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s to %s took %s", name, path, d)
			}
		}
	}
	mustStatus(t, be.do("GET", "/healthz", "", nil), 200)
}

// spoolFiles counts the upload spool files left in the temporary directory.
func spoolFiles(t *testing.T) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(os.TempDir(), "communehr-import-*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// TestUploadCutMidwayLeavesNothing streams a CSV (chunked, no length: it could be 1 GB) and hangs up in
// the middle: no job, no row, no spool file is left, and the server goes on serving.
func TestUploadCutMidwayLeavesNothing(t *testing.T) {
	// The server spools into os.TempDir: a directory of this test's own, so that spool files of other
	// test processes (make test runs packages side by side) are not counted. The test is not parallel,
	// so no other test of this package runs while TMPDIR is changed.
	t.Setenv("TMPDIR", t.TempDir())
	e, ed := importEnv(t)
	before := spoolFiles(t)
	conn, _ := e.rawRequest(fmt.Sprintf("POST /v1/provinces/01/imports?kind=cadres HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n", ed))
	w := bufio.NewWriter(conn)
	chunk := func(s string) { fmt.Fprintf(w, "%x\r\n%s\r\n", len(s), s) }
	chunk("national_id,full_name,gender,birth_date\n")
	var rows strings.Builder
	for i := 0; i < 100000; i++ { // about 4 MB
		fmt.Fprintf(&rows, "0010850%05d,Nguyễn Văn An,male,1985-03-02\n", i)
		if rows.Len() > 64<<10 {
			chunk(rows.String())
			rows.Reset()
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	conn.Close() // mid-stream: no terminating chunk

	// The handler sees the cut and ends; its access-log line says so.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(e.logText(), `"method":"POST","route":"/v1/provinces/{province}/imports`) {
		if time.Now().After(deadline) {
			t.Fatalf("the cut upload's request never ended; log:\n%s", e.logText())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var jobs, cadres int
	if err := e.admin.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM import_jobs), (SELECT count(*) FROM cadres)`).Scan(&jobs, &cadres); err != nil {
		t.Fatal(err)
	}
	if jobs != 0 || cadres != 0 {
		t.Fatalf("a cut upload left %d jobs and %d people", jobs, cadres)
	}
	if n := spoolFiles(t); n > before {
		t.Fatalf("a cut upload left %d spool files in %s", n-before, os.TempDir())
	}
	mustStatus(t, e.do("GET", "/healthz", "", nil), 200)
	r := e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date\n001085012345,Nguyễn Văn An,male,1985-03-02\n"))
	mustStatus(t, r, 201)
	if j := importJob(t, r); j.Status != "succeeded" {
		t.Fatalf("upload after the cut one: %+v", j)
	}
}

func (e *env) logText() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.logs.String()
}

// TestHugeCellIsACleanRowError uploads a CSV with a 10 MB cell: a finished, failed job that names the
// line, not a 500.
func TestHugeCellIsACleanRowError(t *testing.T) {
	e, ed := importEnv(t)
	body := "national_id,full_name,gender,birth_date\n001085012345,Nguyễn Văn An,male,1985-03-02\n" +
		"001190000123," + strings.Repeat("A", 10<<20) + ",female,1990-01-01\n"
	r := e.upload(ed, "kind=cadres", []byte(body))
	mustStatus(t, r, 201)
	j := importJob(t, r)
	if j.Status != "failed" || len(j.Errors) == 0 || j.Errors[0].Line != 3 {
		t.Fatalf("a 10 MB cell: %+v, want a failed job with an error on line 3", j)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM cadres`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a failed import left %d people (%v)", n, err)
	}
	mustStatus(t, e.do("GET", "/healthz", "", nil), 200)
}

// TestErrorsCSVNeutralisesFormulas uploads rows whose cells a spreadsheet would run as formulas: the
// errors.csv download gives them back quoted with an apostrophe.
func TestErrorsCSVNeutralisesFormulas(t *testing.T) {
	e, ed := importEnv(t)
	body := "national_id,full_name,gender,birth_date\n" +
		`001085012345,"=HYPERLINK(""http://evil.example"",""x"")",male,1985-03-02` + "\n" +
		"@SUM(A1),+cmd,-2+3,1985-03-02\n"
	r := e.upload(ed, "kind=cadres", []byte(body))
	mustStatus(t, r, 201)
	j := importJob(t, r)
	if j.Status != "failed" {
		t.Fatalf("import %+v, want failed", j)
	}
	r = e.do("GET", "/v1/provinces/01/imports/"+j.ID+"/errors.csv", ed, nil)
	mustStatus(t, r, 200)
	out := string(r.Body)
	for _, want := range []string{`'=HYPERLINK(`, `'@SUM(A1)`, `'+cmd`} {
		if !strings.Contains(out, want) {
			t.Errorf("errors.csv lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		for _, cell := range strings.Split(line, ",") {
			cell = strings.TrimPrefix(strings.TrimPrefix(cell, "\ufeff"), `"`)
			if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
				t.Errorf("errors.csv has a cell that starts a formula: %q", cell)
			}
		}
	}
}
