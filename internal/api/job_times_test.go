package api

import (
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

type jobTimes struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// checkJobTimes asserts that a finished job's answer says it finished no earlier than it started, and
// that GET path says the same times (the answer is what was stored).
func checkJobTimes(t *testing.T, e *env, token, what, path string, r resp) {
	t.Helper()
	var j jobTimes
	r.json(t, &j)
	if j.FinishedAt == nil {
		t.Fatalf("%s: not finished: %s", what, r.Body)
	}
	if j.FinishedAt.Before(j.StartedAt) {
		t.Errorf("%s (%s): finished at %s, before it started at %s", what, j.Status, j.FinishedAt.Format(time.RFC3339Nano), j.StartedAt.Format(time.RFC3339Nano))
	}
	g := e.do("GET", path+j.ID, token, nil)
	mustStatus(t, g, 200)
	var got jobTimes
	g.json(t, &got)
	if !got.StartedAt.Equal(j.StartedAt) || got.FinishedAt == nil || !got.FinishedAt.Equal(*j.FinishedAt) {
		t.Errorf("%s: the answer said %s–%s, GET says %s–%v", what, j.StartedAt, j.FinishedAt, got.StartedAt, got.FinishedAt)
	}
}

// Finding 10: every job answer has finished_at ≥ started_at, on one clock, and GET reads the same times:
// synchronous imports that succeed, fail on rows, fail on the file or only validate, and an
// entitlement run.
func TestJobTimesAreOrdered(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	const jobs = "/v1/provinces/01/imports/"
	for _, c := range []struct{ what, query, body string }{
		{"communes", "kind=communes", communesCSV},
		{"validate", "kind=communes&mode=validate", communesCSV},
		{"hamlets", "kind=hamlets", "code,commune_code,name,kind,households,effective_from\n00100-01,00100,Thôn Đông,thon,420,2020-01-01\n"},
		{"bad rows", "kind=cadres", "national_id,full_name,gender,birth_date\n1,Nguyễn Văn An,male,1980-05-17\n"},
		{"bad file", "kind=cadres", "no,such,columns\n1,2,3\n"},
	} {
		r := e.upload(ed, c.query, []byte(c.body))
		mustStatus(t, r, 201)
		checkJobTimes(t, e, ed, c.what, jobs, r)
	}
	run := startRun(e, ed, map[string]any{"last_day_worked": "2025-07-31", "reason": "reorganisation"})
	if run.FinishedAt == nil || run.FinishedAt.Before(run.StartedAt) {
		t.Errorf("run: started %s, finished %v", run.StartedAt, run.FinishedAt)
	}
}

// Finding 9: a queued job or run whose server stopped confirming it, marked failed/interrupted by a
// reader (a viewer, who may not write the audit log itself), leaves an audit row, and its times are in order.
func TestQueuedJobsMarkedInterruptedAreAudited(t *testing.T) {
	t.Parallel()
	e, _ := importEnv(t)
	viewer := e.key(store.RoleProvinceViewer, "01")
	const job, run = "00000000-0000-4000-8000-0000000000a2", "00000000-0000-4000-8000-0000000000b2"
	e.exec(`INSERT INTO import_jobs (province_code, id, kind, mode, status, started_at, queued_seen_at)
		VALUES ('01', $1, 'cadres', 'apply', 'queued', now() - interval '10 minutes', now() - interval '10 minutes')`, job)
	e.exec(`INSERT INTO entitlement_runs (province_code, id, exit_date, reason, status, started_at, queued_seen_at)
		VALUES ('01', $1, '2025-08-01', 'reorganisation', 'queued', now() - interval '10 minutes', now() - interval '10 minutes')`, run)
	for entity, path := range map[string]string{"import_job": "/v1/provinces/01/imports/" + job, "entitlement_run": "/v1/provinces/01/entitlement-runs/" + run} {
		r := e.do("GET", path, viewer, nil)
		mustStatus(t, r, 200)
		var j jobTimes
		r.json(t, &j)
		if j.Status != "failed" || j.FinishedAt == nil || j.FinishedAt.Before(j.StartedAt) {
			t.Errorf("%s: %s", entity, r.Body)
		}
		id := path[strings.LastIndex(path, "/")+1:]
		items := auditItems(t, e, "/v1/provinces/01/audit?entity="+entity+"&entity_id="+id, viewer).Items
		if len(items) != 1 || items[0].Action != "update" || !strings.Contains(string(items[0].After), `"interrupted"`) ||
			!strings.Contains(string(items[0].Before), `"queued"`) {
			t.Errorf("%s audit: %+v", entity, items)
		}
	}
}
