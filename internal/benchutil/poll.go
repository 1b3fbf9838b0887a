package benchutil

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// PollJob reads the job at base+loc with the token every 20 ms into j until status() (read from j) is no
// longer running or queued: the wait of every benchmark that uploads a file.
func PollJob(base, token, loc string, j any, status func() string) error {
	for status() == "running" || status() == "queued" {
		time.Sleep(20 * time.Millisecond)
		req, err := http.NewRequest("GET", base+loc, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, j); err != nil {
			return err
		}
	}
	return nil
}
