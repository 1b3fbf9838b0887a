package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"communehr"
	"communehr/internal/jobs"
	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 10, item 1: background work must never starve request handling, and every job is cancellable.

// newEnvWithPool is newEnv with the requests' pool capped at maxConns connections and the router's
// configuration adjusted by cfg (nil: defaults).
func newEnvWithPool(t *testing.T, maxConns int, cfg func(*Config)) *env {
	t.Helper()
	dbURL := testdb.Migrated(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", fmt.Sprint(maxConns))
	u.RawQuery = q.Encode()
	st, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(st.Close)
	e := &env{t: t, st: st, dbURL: dbURL, admin: testdb.Admin(t, dbURL), router: specRouter(t), logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{e: e}, nil))
	c := Config{MaxBodyBytes: 64 << 10, OpenAPI: communehr.OpenAPI}
	if cfg != nil {
		cfg(&c)
	}
	e.srv = httptest.NewServer(NewRouter(c, st, logger))
	t.Cleanup(e.srv.Close)
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		testdb.CheckLogs(t, e.logs.String())
		if t.Failed() {
			t.Logf("server log:\n%s", e.logs.String())
		}
	})
	return e
}

// rawDo sends one request with a client-side timeout (safe from any goroutine: no t.Fatal).
func rawDo(client *http.Client, method, url, token, contentType string, body []byte, headers ...string) (int, []byte, error) {
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rdr)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// cadresCSV is n synthetic people of province 01 (national IDs from serial from on).
func cadresCSV(n, from int) []byte {
	var b strings.Builder
	b.WriteString("national_id,full_name,gender,birth_date,si_months\n")
	for i := 0; i < n; i++ {
		year := 1960 + i%40
		fmt.Fprintf(&b, "0010%02d%06d,Nguyễn Văn Thử,male,%d-%02d-%02d,%d\n", year%100, from+i, year, 1+i%12, 1+i%28, i%400)
	}
	return []byte(b.String())
}

// TestJobsCannotStarveRequests: one editor starts ten entitlement runs and five async imports at once on a
// server whose requests' pool has 8 connections; meanwhile another province's GET /v1/me and /readyz keep
// answering (each within 5 s), every job ends (succeeded), and no connection is left idle in transaction.
// Before the job runner, each job held a pooled connection and asked for a second: every connection
// ended idle in transaction and /readyz answered 503.
func TestJobsCannotStarveRequests(t *testing.T) {
	e := newEnvWithPool(t, 8, nil)
	reportFixture(e) // province 01: people with posts, so that runs have work to do
	e.province("02", "Tỉnh Hai")
	editor := e.key(store.RoleProvinceEditor, "01")
	other := e.key(store.RoleProvinceViewer, "02")

	client := &http.Client{Timeout: 5 * time.Second}
	stop := make(chan struct{})
	var probeErrs []string
	var probes int
	var pmu sync.Mutex
	var pwg sync.WaitGroup
	for _, target := range []struct{ path, token string }{{"/v1/me", other}, {"/readyz", ""}} {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				t0 := time.Now()
				code, body, err := rawDo(client, "GET", e.srv.URL+target.path, target.token, "", nil)
				pmu.Lock()
				probes++
				if err != nil || code != 200 {
					probeErrs = append(probeErrs, fmt.Sprintf("%s after %s: %d %v %s", target.path, time.Since(t0).Round(time.Millisecond), code, err, body))
				}
				pmu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}

	type started struct{ kind, id, status string }
	results := make(chan started, 15)
	var jwg sync.WaitGroup
	post := func(kind, path, ct string, body []byte, headers ...string) {
		defer jwg.Done()
		code, b, err := rawDo(&http.Client{Timeout: 60 * time.Second}, "POST", e.srv.URL+path, editor, ct, body, headers...)
		var v struct{ ID, Status string }
		if err == nil && code == 202 {
			_ = json.Unmarshal(b, &v)
		}
		results <- started{kind, v.ID, fmt.Sprintf("%d %v %s", code, err, firstLine(string(b)))}
	}
	for i := 0; i < 10; i++ {
		jwg.Add(1)
		go post("entitlement-runs", "/v1/provinces/01/entitlement-runs", "application/json",
			[]byte(`{"exit_date":"2025-08-01","reason":"reorganisation"}`))
	}
	for i := 0; i < 5; i++ {
		jwg.Add(1)
		go post("imports", "/v1/provinces/01/imports?kind=cadres", "text/csv", cadresCSV(3000, 100000+i*10000), "Prefer", "respond-async")
	}
	jwg.Wait()
	close(results)
	var ids []started
	for r := range results {
		if r.id == "" {
			t.Errorf("POST %s: %s, want 202", r.kind, r.status)
			continue
		}
		ids = append(ids, r)
	}
	// Every job ends.
	deadline := time.Now().Add(90 * time.Second)
	for _, j := range ids {
		for {
			code, b, err := rawDo(client, "GET", e.srv.URL+"/v1/provinces/01/"+j.kind+"/"+j.id, editor, "", nil)
			var v struct{ Status string }
			if err == nil && code == 200 {
				_ = json.Unmarshal(b, &v)
			}
			if v.Status == "succeeded" {
				break
			}
			if v.Status == "failed" || v.Status == "cancelled" || time.Now().After(deadline) {
				t.Fatalf("%s %s: %d %v %.300s, want succeeded", j.kind, j.id, code, err, b)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	close(stop)
	pwg.Wait()
	if len(probeErrs) > 0 {
		t.Fatalf("%d of %d probes of another province failed while jobs ran; first: %s", len(probeErrs), probes, probeErrs[0])
	}
	t.Logf("%d probes answered while %d jobs ran", probes, len(ids))
	var idle int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND state = 'idle in transaction'`).Scan(&idle); err != nil {
		t.Fatal(err)
	}
	if idle != 0 {
		t.Fatalf("%d connections idle in transaction after every job ended", idle)
	}
}

// TestJobQueueCancelAndRefusal: with one job slot and two places in the queue, a run blocked on a table lock
// runs, the next jobs wait `queued`, the one after is refused (429, Retry-After, problem+json). The editor
// cancels a queued run (200, cancelled; again: 409), another province's editor cannot (404), a viewer
// cannot (403); cancelling the running run rolls it back (cancelled, no results kept, audited); the
// queued import then runs.
func TestJobQueueCancelAndRefusal(t *testing.T) {
	runner := jobs.New(context.Background(), jobs.Config{MaxTotal: 1, MaxPerProvince: 1, MaxQueue: 2, MaxQueuePerProvince: 2})
	e := newEnvWithPool(t, 8, func(c *Config) { c.Runner = runner })
	reportFixture(e)
	e.province("02", "Tỉnh Hai")
	ed := e.key(store.RoleProvinceEditor, "01")
	viewer := viewerOf(e)
	ed02 := e.key(store.RoleProvinceEditor, "02")

	// Hold the people table: the first run starts (its row reads running) and then waits on the lock.
	lock, err := e.admin.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback(context.Background()) }()
	if _, err := lock.Exec(t.Context(), `LOCK TABLE cadres IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"exit_date": "2025-08-01", "reason": "reorganisation"}
	r := e.do("POST", "/v1/provinces/01/entitlement-runs", ed, body)
	mustStatus(t, r, 202)
	var running runResponse
	r.json(t, &running)
	if running.Status != "running" {
		t.Fatalf("first run: %s, want running", running.Status)
	}
	r = e.do("POST", "/v1/provinces/01/entitlement-runs", ed, body)
	mustStatus(t, r, 202)
	var queued runResponse
	r.json(t, &queued)
	if queued.Status != "queued" || queued.FinishedAt != nil {
		t.Fatalf("second run: %s, want queued", r.Body)
	}
	r = e.do("POST", "/v1/provinces/01/imports?kind=cadres", ed, rawBody{"text/csv", cadresCSV(10, 500000)})
	mustStatus(t, r, 202) // a small file waits too: it answers 202 queued rather than hold the request
	var qimport importJobResponse
	r.json(t, &qimport)
	if qimport.Status != "queued" {
		t.Fatalf("import: %s, want queued", r.Body)
	}
	r = e.do("POST", "/v1/provinces/01/entitlement-runs", ed, body, "Accept-Language", "vi")
	mustStatus(t, r, 429)
	if p := r.problem(t); p.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("429 without Retry-After: %s", r.Body)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM entitlement_runs`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d runs recorded after a refusal (%v), want 2", n, err)
	}

	cancelPath := func(id string) string { return "/v1/provinces/01/entitlement-runs/" + id + "/cancel" }
	mustStatus(t, e.do("POST", cancelPath(queued.ID), ed02, nil), 404)
	mustStatus(t, e.do("POST", "/v1/provinces/02/entitlement-runs/"+queued.ID+"/cancel", ed02, nil), 404)
	mustStatus(t, e.do("POST", cancelPath(queued.ID), viewer, nil), 403)
	r = e.do("POST", cancelPath(queued.ID), ed, nil)
	mustStatus(t, r, 200)
	var got runResponse
	r.json(t, &got)
	if got.Status != "cancelled" || got.FinishedAt == nil {
		t.Fatalf("cancelled queued run: %s", r.Body)
	}
	r = e.do("POST", cancelPath(queued.ID), ed, nil)
	mustStatus(t, r, 409)

	// Cancel the running run: it rolls back while it waits on the lock.
	r = e.do("POST", cancelPath(running.ID), ed, nil)
	if r.Status != 200 && r.Status != 202 {
		t.Fatalf("cancel the running run: %d %s", r.Status, r.Body)
	}
	got = waitRun(e, ed, "01", running.ID)
	if got.Status != "cancelled" || got.FailureReason != nil {
		t.Fatalf("cancelled running run: %+v", got)
	}
	if err := lock.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM entitlement_run_results WHERE run_id = $1`, running.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d results kept by a cancelled run (%v)", n, err)
	}
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE entity = 'entitlement_run' AND action = 'update'
		AND after->>'status' = 'cancelled'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d audited cancellations (%v), want 2", n, err)
	}

	// The queued import runs now.
	deadline := time.Now().Add(30 * time.Second)
	for {
		r = e.do("GET", "/v1/provinces/01/imports/"+qimport.ID, ed, nil)
		mustStatus(t, r, 200)
		var j importJobResponse
		r.json(t, &j)
		if j.Status == "succeeded" {
			break
		}
		if j.Status != "queued" && j.Status != "running" || time.Now().After(deadline) {
			t.Fatalf("queued import: %.300s", r.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r = e.do("POST", "/v1/provinces/01/imports/"+qimport.ID+"/cancel", ed, nil)
	mustStatus(t, r, 409)
	if p := r.problem(t); p.Status != 409 {
		t.Fatalf("%s", r.Body)
	}
}

// TestCancelRunningImport: a running import (blocked on a table lock) is cancelled by its editor: it rolls
// back (no row of the file stays) and reads cancelled; a synchronous upload cancelled that way answers
// with the cancelled job.
func TestCancelRunningImport(t *testing.T) {
	e := newEnvWithPool(t, 8, nil)
	e.province("01", "Tỉnh Một")
	ed := e.key(store.RoleProvinceEditor, "01")
	lock, err := e.admin.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback(context.Background()) }()
	if _, err := lock.Exec(t.Context(), `LOCK TABLE cadres IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		code int
		body []byte
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		code, b, err := rawDo(&http.Client{Timeout: 60 * time.Second}, "POST", e.srv.URL+"/v1/provinces/01/imports?kind=cadres", ed, "text/csv", cadresCSV(50, 0))
		done <- answer{code, b, err}
	}()
	// Find the running job.
	var id string
	deadline := time.Now().Add(20 * time.Second)
	for id == "" {
		if time.Now().After(deadline) {
			t.Fatal("the import never reads running")
		}
		_ = e.admin.QueryRow(t.Context(), `SELECT id::text FROM import_jobs WHERE status = 'running'`).Scan(&id)
		time.Sleep(20 * time.Millisecond)
	}
	r := e.do("POST", "/v1/provinces/01/imports/"+id+"/cancel", ed, nil)
	if r.Status != 200 && r.Status != 202 {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	a := <-done
	if a.err != nil || a.code != 201 {
		t.Fatalf("the synchronous upload answered %d %v %s", a.code, a.err, a.body)
	}
	var j importJobResponse
	if err := json.Unmarshal(a.body, &j); err != nil || j.Status != "cancelled" || j.ID != id {
		t.Fatalf("upload answer: %s", a.body)
	}
	_ = lock.Rollback(t.Context())
	r = e.do("GET", "/v1/provinces/01/imports/"+id, ed, nil)
	r.json(t, &j)
	if j.Status != "cancelled" || j.FinishedAt == nil {
		t.Fatalf("job after cancel: %s", r.Body)
	}
	var n int
	if err := e.admin.QueryRow(t.Context(), `SELECT count(*) FROM cadres`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d people written by a cancelled import (%v)", n, err)
	}
}

// TestQueuedJobOfADeadServerReadsInterrupted: a queued job holds no connection, so its server confirms it
// every 20 s; one not confirmed for 2 minutes (its server died while it waited) reads failed/interrupted,
// for viewers too, while a freshly confirmed one stays queued.
func TestQueuedJobOfADeadServerReadsInterrupted(t *testing.T) {
	e := newEnvWithPool(t, 8, nil)
	e.province("01", "Tỉnh Một")
	viewer := viewerOf(e)
	staleImport, freshImport, staleRun, freshRun := newUUID(), newUUID(), newUUID(), newUUID()
	e.exec(`INSERT INTO import_jobs (province_code, id, kind, mode, status, queued_seen_at) VALUES
		('01', $1, 'cadres', 'apply', 'queued', now() - interval '3 minutes'),
		('01', $2, 'cadres', 'apply', 'queued', now())`, staleImport, freshImport)
	e.exec(`INSERT INTO entitlement_runs (province_code, id, exit_date, reason, status, queued_seen_at) VALUES
		('01', $1, '2025-08-01', 'reorganisation', 'queued', now() - interval '3 minutes'),
		('01', $2, '2025-08-01', 'reorganisation', 'queued', now())`, staleRun, freshRun)
	for _, c := range []struct{ path, want string }{
		{"imports/" + staleImport, "failed"}, {"imports/" + freshImport, "queued"},
		{"entitlement-runs/" + staleRun, "failed"}, {"entitlement-runs/" + freshRun, "queued"},
	} {
		r := e.do("GET", "/v1/provinces/01/"+c.path, viewer, nil)
		mustStatus(t, r, 200)
		var v struct {
			Status        string  `json:"status"`
			FailureReason *string `json:"failure_reason"`
		}
		r.json(t, &v)
		if v.Status != c.want || (c.want == "failed" && (v.FailureReason == nil || *v.FailureReason != "interrupted")) {
			t.Errorf("%s: %s, want %s", c.path, r.Body, c.want)
		}
	}
}

// TestSequentialSmallImportsAnswerInline: an editor uploading small files one after another always gets
// 201 (the finished job): a synchronous import answers only once its slot is free again, so the next
// upload never finds it busy and waits queued.
func TestSequentialSmallImportsAnswerInline(t *testing.T) {
	e := newEnvWithPool(t, 8, nil)
	e.province("01", "Tỉnh Một")
	ed := e.key(store.RoleProvinceEditor, "01")
	for i := 0; i < 30; i++ {
		r := e.do("POST", "/v1/provinces/01/imports?kind=cadres&mode=validate", ed, rawBody{"text/csv", cadresCSV(3, i*10)})
		if r.Status != 201 {
			t.Fatalf("upload %d: %d %.300s, want 201", i, r.Status, r.Body)
		}
	}
}
