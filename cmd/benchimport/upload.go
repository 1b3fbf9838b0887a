package main

import (
	"communehr/internal/benchutil"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

type job struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	RowsTotal     int    `json:"rows_total"`
	RowsInserted  int    `json:"rows_inserted"`
	RowsUpdated   int    `json:"rows_updated"`
	RowsUnchanged int    `json:"rows_unchanged"`
	RowsFailed    int    `json:"rows_failed"`
	Errors        []any  `json:"errors"`
}

func (j job) String() string {
	errs := j.Errors
	if len(errs) > 3 {
		errs = errs[:3]
	}
	return fmt.Sprintf("status %s, total %d, inserted %d, updated %d, unchanged %d, failed %d, first errors %v",
		j.Status, j.RowsTotal, j.RowsInserted, j.RowsUpdated, j.RowsUnchanged, j.RowsFailed, errs)
}

// upload posts the file and waits for the job to finish (polling a 202; waiting out a 429).
func upload(base, token, prov, kind, path string) (job, time.Duration, error) {
	start := time.Now()
	var res *http.Response
	var body []byte
	for {
		f, err := os.Open(path)
		if err != nil {
			return job{}, 0, err
		}
		req, _ := http.NewRequest("POST", base+"/v1/provinces/"+prov+"/imports?kind="+kind, f)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		res, err = http.DefaultClient.Do(req)
		f.Close()
		if err != nil {
			return job{}, 0, err
		}
		body, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests {
			break
		}
		wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		time.Sleep(time.Duration(max(wait, 1)) * time.Second)
	}
	if res.StatusCode != 201 && res.StatusCode != 202 {
		return job{}, 0, fmt.Errorf("upload %s: %d %s", kind, res.StatusCode, body)
	}
	var j job
	if err := json.Unmarshal(body, &j); err != nil {
		return j, 0, err
	}
	if err := benchutil.PollJob(base, token, res.Header.Get("Location"), &j, func() string { return j.Status }); err != nil {
		return j, 0, err
	}
	return j, time.Since(start), nil
}
