package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// rawPatch sends PATCH with If-Match "1" from a goroutine and returns the status.
func rawPatch(e *env, token, path, body string) int {
	req, _ := http.NewRequest("PATCH", e.srv.URL+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", `"1"`)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return -1
	}
	res.Body.Close()
	return res.StatusCode
}

// Two writers that each close a loop half-way (A→B and B→A at the same moment) each check a chain the
// other is changing. Writes that can change a chain of successors take the province's chain lock first,
// so exactly one of each pair wins (before that lock the deferred foreign keys' row locks happened to
// serialise this pair by a deadlock and a retry; they do not cover the import below).
func TestSuccessorLoopsCannotBeMadeByTwoWritersAtOnce(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	const pairs = 15
	var b strings.Builder
	b.WriteString("code,name,kind,class,effective_from\n")
	for i := 0; i < pairs; i++ {
		fmt.Fprintf(&b, "%05d,Xã A%d,xa,2,2020-01-01\n%05d,Xã B%d,xa,2,2020-01-01\n", 300+2*i, i, 301+2*i, i)
	}
	mustSucceed(t, importJob(t, e.upload(ed, "kind=communes", []byte(b.String()))))
	for i := 0; i < pairs; i++ {
		a, bb := fmt.Sprintf("%05d", 300+2*i), fmt.Sprintf("%05d", 301+2*i)
		var wg sync.WaitGroup
		status := make([]int, 2)
		for k, w := range [][2]string{{a, bb}, {bb, a}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status[k] = rawPatch(e, ed, "/v1/provinces/01/communes/"+w[0],
					`{"effective_to":"2026-01-01","successor_code":"`+w[1]+`"}`)
			}()
		}
		wg.Wait()
		ok := 0
		for _, s := range status {
			if s == http.StatusOK {
				ok++
			} else if s != http.StatusUnprocessableEntity {
				t.Fatalf("pair %d: status %v", i, status)
			}
		}
		if ok != 1 {
			t.Fatalf("pair %s/%s: statuses %v: a loop was made by two writers (or both refused)", a, bb, status)
		}
	}
}

// The same between an import and the API: the file sets A→B while B→C exists and a PATCH sets C→A. Each
// alone is fine; together they close a loop, so exactly one of them must win.
func TestSuccessorLoopsCannotBeMadeByAnImportAndAPatchAtOnce(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	mustSucceed(t, importJob(t, e.upload(ed, "kind=communes", []byte("code,name,kind,class,effective_from,effective_to,successor_code\n"+
		"00300,Xã A,xa,2,2020-01-01,,\n00302,Xã C,xa,2,2020-01-01,,\n00301,Xã B,xa,2,2020-01-01,2025-06-30,00302\n"))))
	job, patch := raceImport(t, e, ed, "communes", []byte(communeHeader+"00300,Xã A,xa,2,,,2020-01-01,2025-06-30,00301\n"), "communes",
		func() int {
			return rawPatch(e, ed, "/v1/provinces/01/communes/00302", `{"effective_to":"2026-01-01","successor_code":"00300"}`)
		})
	switch {
	case job.Status == "succeeded" && patch == http.StatusUnprocessableEntity:
	case job.Status == "failed" && patch == http.StatusOK && len(job.Errors) == 1 && job.Errors[0].Code == "successor_cycle":
	default:
		t.Fatalf("import %s %+v, PATCH %d: both or neither won", job.Status, job.Errors, patch)
	}
}
