package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// startServe runs `server serve` with env until the test ends and returns the API address.
func startServe(t *testing.T, env map[string]string) (string, *syncBuffer) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	logs := &syncBuffer{}
	go func() {
		done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, logs, func(a string) { addrc <- a })
	}()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
		case <-time.After(35 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	select {
	case a := <-addrc:
		return a, logs
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, logs.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func call(t *testing.T, method, url, token, contentType, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestMetricsListener: METRICS_ADDR serves Prometheus metrics on a listener of its own — requests by
// route pattern and status, jobs by kind and state, rows imported, pool usage — and the API port does not.
func TestMetricsListener(t *testing.T) {
	t.Parallel() // own clusters / databases and listeners: overlaps with the other cluster tests
	dbURL := testdb.Migrated(t)
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "01", "Thành phố Hà Nội")
	_, editor := testdb.Key(t, admin, store.RoleProvinceEditor, "01")
	metricsAddr := freeAddr(t)
	addr, _ := startServe(t, map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0", "METRICS_ADDR": metricsAddr})
	api := "http://" + addr

	csv := "code,name,kind,class,population,area_km2,effective_from\n" +
		"00004,Phường Ba Đình,phuong,1,65000,2.45,2025-07-01\n" +
		"00008,Phường Ngọc Hà,phuong,2,,,2025-07-01\n" +
		"00100,Xã Sóc Sơn,xa,1,120000,,2025-07-01\n"
	if code, body := call(t, "POST", api+"/v1/provinces/01/imports?kind=communes", editor, "text/csv", csv); code != 201 {
		t.Fatalf("import: %d %s", code, body)
	}
	for i := 0; i < 2; i++ {
		if code, body := call(t, "GET", api+"/v1/provinces/01/communes/00004", editor, "", ""); code != 200 {
			t.Fatalf("get commune: %d %s", code, body)
		}
	}
	if code, _ := call(t, "GET", api+"/v1/provinces/01/communes/99999", editor, "", ""); code != 404 {
		t.Fatalf("unknown commune: %d", code)
	}
	if code, _ := call(t, "GET", api+"/no/such/path", "", "", ""); code != 404 {
		t.Fatalf("unknown path: %d", code)
	}
	if code, body := call(t, "GET", api+"/metrics", "", "", ""); code != 404 || strings.Contains(body, "communehr_") {
		t.Fatalf("the API port serves metrics: %d %s", code, body)
	}

	code, body := call(t, "GET", "http://"+metricsAddr+"/metrics", "", "", "")
	if code != 200 {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v\n%s", err, body)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"communehr_http_requests_total", map[string]string{"route": "/v1/provinces/{province}/communes/{code}", "method": "GET", "status": "200"}, 2},
		{"communehr_http_requests_total", map[string]string{"route": "/v1/provinces/{province}/communes/{code}", "method": "GET", "status": "404"}, 1},
		{"communehr_http_requests_total", map[string]string{"route": "/v1/provinces/{province}/imports", "method": "POST", "status": "201"}, 1},
		{"communehr_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "status": "404"}, 2},
		{"communehr_http_request_duration_seconds", map[string]string{"route": "/v1/provinces/{province}/communes/{code}", "method": "GET", "status": "200"}, 2},
		{"communehr_jobs", map[string]string{"kind": "communes", "state": "succeeded"}, 1},
		{"communehr_import_rows_total", map[string]string{"kind": "communes", "outcome": "inserted"}, 3},
		{"communehr_jobs_scrape_error", nil, 0},
		{"communehr_db_pool_max_connections", map[string]string{"pool": "primary"}, -1},
		{"communehr_db_pool_acquires_total", map[string]string{"pool": "primary"}, -1},
	} {
		got, ok := sample(fams[c.name], c.labels)
		if !ok {
			t.Errorf("no series %s%v in:\n%s", c.name, c.labels, grepLines(body, c.name))
			continue
		}
		if c.want >= 0 && got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
		if c.want < 0 && got <= 0 {
			t.Errorf("%s%v = %v, want > 0", c.name, c.labels, got)
		}
	}
	for _, l := range strings.Split(body, "\n") {
		// Only the labels can leak a path: a sample's value (e.g. a latency sum 0.0352…00004) may hold any digits.
		labels := l
		if i := strings.LastIndexByte(l, '}'); i >= 0 {
			labels = l[:i+1]
		} else if i := strings.IndexByte(l, ' '); i >= 0 {
			labels = l[:i]
		}
		if strings.Contains(labels, "00004") || strings.Contains(labels, "/no/such") {
			t.Errorf("a raw path leaks into a label: %s", l)
		}
	}
}

// sample returns the value of the series of f whose labels include want (a histogram's count).
func sample(f *dto.MetricFamily, want map[string]string) (float64, bool) {
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func grepLines(body, name string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, name) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetricsAddrIsNotTheAPIAddr(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://x", "ADDR": "127.0.0.1:8080", "METRICS_ADDR": "127.0.0.1:8080"}))
	if err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Fatalf("METRICS_ADDR = ADDR: %v, want a refusal", err)
	}
}
