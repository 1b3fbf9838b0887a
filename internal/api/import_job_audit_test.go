package api

import (
	"context"
	"encoding/json"
	"testing"
)

// Issue 10 item 12: every change of a record is in the audit log, and an import job is a record. A
// validate-only job, an apply that fails on its rows and a file refused at its header wrote no audit row,
// nor did any job's creation; an entitlement run audits its creation and each change of its status. Each
// import job now has its creation and its end in the log, with the status it ended with.
func TestEveryImportJobIsAuditedFromCreationToEnd(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	const head = "national_id,full_name,gender,birth_date,si_months\n"
	cases := []struct {
		name, query, file, status string
	}{
		{"validated", "kind=cadres&mode=validate", head + "001085123456,Lê Văn Ba,male,1985-01-01,10\n", "succeeded"},
		{"applied", "kind=cadres", head + "001085123456,Lê Văn Ba,male,1985-01-01,10\n", "succeeded"},
		{"bad row", "kind=cadres", head + "001085123457,Lê Văn Ba,male,1985-01-01,x\n", "failed"},
		{"bad header", "kind=cadres", "foo\n1\n", "failed"},
	}
	for _, c := range cases {
		j := importJob(t, e.upload(ed, c.query, []byte(c.file)))
		if j.Status != c.status {
			t.Fatalf("%s: job %+v", c.name, j)
		}
		rows, err := e.admin.Query(context.Background(), `SELECT action, coalesce(after, 'null') FROM audit_log
			WHERE province_code = '01' AND entity = 'import_job' AND entity_id = $1 ORDER BY at, id`, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		var last map[string]any
		for rows.Next() {
			var action string
			var after []byte
			if err := rows.Scan(&action, &after); err != nil {
				t.Fatal(err)
			}
			actions = append(actions, action)
			last = nil
			_ = json.Unmarshal(after, &last)
		}
		rows.Close()
		if len(actions) == 0 || actions[0] != "create" || last == nil || last["status"] != c.status {
			t.Fatalf("%s: audit of job %s: actions %v, last after %v; want its creation first and its end (%s) last",
				c.name, j.ID, actions, last, c.status)
		}
		if c.status == "failed" && last["failure_reason"] != *j.FailureReason {
			t.Fatalf("%s: audited failure %v, job %v", c.name, last["failure_reason"], *j.FailureReason)
		}
	}
}
