package main

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// exportBench downloads the province's people as a workbook (the list export with format=xlsx) and prints
// its time, size and the server's peak memory after it.
func exportBench(base, token, prov string, pid int) error {
	start := time.Now()
	req, _ := http.NewRequest("GET", base+"/v1/provinces/"+prov+"/exports/cadres?format=xlsx&lang=vi", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != 200 {
		fmt.Printf("xlsx export: status %d (not measured)\n", res.StatusCode)
		return nil
	}
	fmt.Printf("xlsx export of the people (%.1f MB):  %8.2f s   server peak RSS after it: %s (goal < 200 MB)\n",
		float64(n)/1e6, time.Since(start).Seconds(), peakRSS(pid))
	return nil
}
