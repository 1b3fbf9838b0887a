package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"communehr/internal/testdb"
)

// buildServer compiles the real binary once per test.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "server")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is one running server process.
type proc struct {
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer
	done chan error
}

// startServer runs `server serve` on a free loopback port and waits until it listens.
func startServer(t *testing.T, bin string, env []string) *proc {
	t.Helper()
	p := &proc{logs: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = append(env, "ADDR=127.0.0.1:0")
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.logs, line)
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" {
				addrc <- l.Addr
			}
		}
		p.done <- p.cmd.Wait()
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
		}
	})
	select {
	case p.addr = <-addrc:
	case err := <-p.done:
		t.Fatalf("server exited before listening: %v\n%s", err, p.logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not listen within 30 s\n%s", p.logs.String())
	}
	return p
}

// wait waits (bounded) for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("server did not exit within %s\n%s", within, p.logs.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

// peakRSS is the process's high-water resident set, from /proc.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read /proc status: %v", err)
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no VmHWM in /proc/%d/status", pid)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

// cli runs a one-shot command of the binary and returns its stdout.
func cli(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("server %v: %v\n%s", args, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// cadresFile writes n synthetic people, national IDs from serial `from` on, and returns its path.
func cadresFile(t *testing.T, n, from int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("cadres-%d.csv", from))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	fmt.Fprintln(w, "national_id,full_name,gender,birth_date,si_months")
	for i := 0; i < n; i++ {
		year := 1960 + i%40
		fmt.Fprintf(w, "098%d%02d%06d,Nguyễn Văn %s,male,%d-%02d-%02d,%d\n", 0, year%100, from+i, letters(i), year, 1+i%12, 1+i%28, i%400)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// letters spells i in the letters a–z, for distinct names without digits.
func letters(i int) string {
	b := []byte{'T'}
	for ; i > 0; i /= 26 {
		b = append(b, byte('a'+i%26))
	}
	return string(b)
}

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) do(method, path, contentType string, body io.Reader, headers ...string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

type jobView struct {
	ID            string  `json:"id"`
	Status        string  `json:"status"`
	FailureReason *string `json:"failure_reason"`
	RowsTotal     int     `json:"rows_total"`
	RowsProcessed int     `json:"rows_processed"`
	RowsInserted  int     `json:"rows_inserted"`
	Errors        []any   `json:"errors"`
}

// upload posts a CSV file asynchronously and returns the running job.
func (c client) upload(path string) jobView {
	c.t.Helper()
	f, err := os.Open(path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer f.Close()
	code, body := c.do("POST", "/v1/provinces/98/imports?kind=cadres", "text/csv", f, "Prefer", "respond-async")
	if code != http.StatusAccepted {
		c.t.Fatalf("upload: %d %s", code, body)
	}
	var j jobView
	if err := json.Unmarshal(body, &j); err != nil {
		c.t.Fatal(err)
	}
	return j
}

func (c client) job(id string) jobView {
	c.t.Helper()
	code, body := c.do("GET", "/v1/provinces/98/imports/"+id, "", nil)
	if code != 200 {
		c.t.Fatalf("GET job: %d %s", code, body)
	}
	var j jobView
	if err := json.Unmarshal(body, &j); err != nil {
		c.t.Fatal(err)
	}
	return j
}

// poll calls cond until it holds, for at most within.
func poll(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countCadres(t *testing.T, admin *pgx.Conn, from, to int) int {
	t.Helper()
	var n int
	err := admin.QueryRow(context.Background(), `SELECT count(*) FROM cadres WHERE province_code = '98'
		AND substr(national_id, 7)::int >= $1 AND substr(national_id, 7)::int < $2`, from, to).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testGrace is the SHUTDOWN_GRACE of the tests that stop the real server: jobs still running at its end
// are cancelled (issue 10, item 4).
const testGrace = 2 * time.Second

const (
	crashRows = 300_000
	rssLimit  = 150 << 20
)

// TestCrashSafety kills the real server mid-import (SIGKILL), restarts it and checks that nothing of the
// file stayed, the job reads failed/interrupted and a re-upload succeeds; then stops it with SIGTERM
// mid-import while a short request is in flight: the request completes, the process exits 0, the import
// rolls back and reads interrupted. Memory stays flat through a 300,000-row import.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash test builds and runs the real server")
	}
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	bin := buildServer(t)
	env := []string{"DATABASE_URL=" + dbURL, "LOG_LEVEL=info", "PATH=" + os.Getenv("PATH"), "TMPDIR=" + t.TempDir(),
		"SHUTDOWN_GRACE=" + testGrace.String()}

	op := cli(t, bin, env, "keys", "create", "--role", "operator", "--name", "crash-op")
	srv := startServer(t, bin, env)
	c := client{t: t, base: "http://" + srv.addr, token: op}
	if code, body := c.do("POST", "/v1/provinces", "application/json", strings.NewReader(`{"code":"98","name":"Tỉnh Thử Sập"}`)); code != 201 {
		t.Fatalf("create province: %d %s", code, body)
	}
	c.token = cli(t, bin, env, "keys", "create", "--role", "province_editor", "--province", "98", "--name", "crash-ed")
	tokens := []string{op, c.token}
	first := cadresFile(t, crashRows, 0)

	// SIGKILL in the middle of an import.
	j := c.upload(first)
	poll(t, 60*time.Second, "rows_processed > 0", func() bool { v := c.job(j.ID); return v.Status == "running" && v.RowsProcessed > 0 })
	if rss := peakRSS(t, srv.cmd.Process.Pid); rss > rssLimit {
		t.Errorf("peak RSS %d MB during the import, want under %d MB", rss>>20, rssLimit>>20)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.wait(t, 10*time.Second)
	logs := srv.logs.String()

	srv = startServer(t, bin, env)
	c.base = "http://" + srv.addr
	if n := countCadres(t, admin, 0, crashRows); n != 0 {
		t.Fatalf("after SIGKILL, %d rows of the file are in cadres, want 0", n)
	}
	// The killed server's database session goes on with its statement until it next writes to the dead
	// socket; its advisory lock is released then, and a reader marks the job interrupted.
	poll(t, 60*time.Second, "the killed job reads failed/interrupted", func() bool {
		v := c.job(j.ID)
		return v.Status == "failed" && v.FailureReason != nil && *v.FailureReason == "interrupted"
	})
	j = c.upload(first)
	poll(t, 120*time.Second, "the re-upload finishes", func() bool { return c.job(j.ID).Status != "running" })
	if v := c.job(j.ID); v.Status != "succeeded" || v.RowsInserted != crashRows {
		t.Fatalf("re-upload: %+v (%s), want succeeded with %d rows inserted", v, *v.FailureReason, crashRows)
	}
	if n := countCadres(t, admin, 0, crashRows); n != crashRows {
		t.Fatalf("re-upload left %d rows, want %d", n, crashRows)
	}
	rss := peakRSS(t, srv.cmd.Process.Pid)
	t.Logf("peak RSS after a %d-row import: %d MB", crashRows, rss>>20)
	if rss > rssLimit {
		t.Errorf("peak RSS %d MB after a %d-row import, want under %d MB", rss>>20, crashRows, rssLimit>>20)
	}

	// SIGTERM in the middle of another import, with a short request in flight.
	const secondFrom = 500_000
	j = c.upload(cadresFile(t, crashRows, secondFrom))
	poll(t, 60*time.Second, "rows_processed > 0", func() bool { v := c.job(j.ID); return v.Status == "running" && v.RowsProcessed > 0 })
	inflight := startInFlight(t, srv.addr, c.token)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The server stops accepting: then the in-flight request sends the rest of its body and is answered.
	poll(t, 10*time.Second, "the listener closes after SIGTERM", func() bool {
		conn, err := net.DialTimeout("tcp", srv.addr, time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	if status := inflight.finish(t); status != 200 {
		t.Fatalf("in-flight request during shutdown answered %d, want 200", status)
	}
	if code := srv.wait(t, testGrace+afterGrace+5*time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0\n%s", code, srv.logs.String())
	}
	logs += srv.logs.String()
	if n := countCadres(t, admin, secondFrom, secondFrom+crashRows); n != 0 {
		t.Fatalf("after SIGTERM, %d rows of the second file are in cadres, want 0", n)
	}
	srv = startServer(t, bin, env)
	c.base = "http://" + srv.addr
	if v := c.job(j.ID); v.Status != "failed" || v.FailureReason == nil || *v.FailureReason != "interrupted" {
		t.Fatalf("after SIGTERM the job reads %+v, want failed/interrupted", v)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	srv.wait(t, testGrace+afterGrace+5*time.Second)
	logs += srv.logs.String()
	testdb.CheckLogs(t, logs)
	for _, tok := range tokens {
		if strings.Contains(logs, tok) {
			t.Error("an API token appears in the server log")
		}
	}
}

// inFlight is a request whose handler is running (the server asked for the body with 100 Continue) and
// whose body is not yet sent.
type inFlight struct {
	conn net.Conn
	rd   *bufio.Reader
	body string
}

func startInFlight(t *testing.T, addr, token string) *inFlight {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	body := `{"kind":"thon","households":420,"as_of":"2025-03-01"}`
	fmt.Fprintf(conn, "POST /v1/calculations/hamlet-fund HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, token, len(body))
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	rd := bufio.NewReader(conn)
	line, err := rd.ReadString('\n')
	if err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("in-flight request: %q %v, want 100 Continue", line, err)
	}
	if _, err := rd.ReadString('\n'); err != nil { // the blank line after the interim response
		t.Fatal(err)
	}
	return &inFlight{conn: conn, rd: rd, body: body}
}

func (f *inFlight) finish(t *testing.T) int {
	t.Helper()
	if _, err := io.WriteString(f.conn, f.body); err != nil {
		t.Fatalf("in-flight body: %v", err)
	}
	_ = f.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(f.rd, nil)
	if err != nil {
		t.Fatalf("in-flight response: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Logf("in-flight body: %s", b)
	}
	return res.StatusCode
}
