package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 10 item 1, as a class: the locks a long import holds (its hamlets FOR UPDATE, its people FOR KEY
// SHARE, for its whole check phase: import_integrity.go) made the records API of its province wait, each
// waiting request holding a connection of the requests' pool. Eight POSTs of one editor on the hamlet a
// 100,000-row posts import was checking held all 8 connections for over two minutes, and another
// province's GET /v1/me waited 1 min 59 s. One province may hold only some of the requests' connections:
// the others stay free for the other provinces.
//
// The test holds the hamlet's row lock itself (the lock the import holds) so that the wait is as long as
// it needs, then sends eight posts on that hamlet and asks another province's /v1/me.
func TestOneProvinceCannotHoldEveryRequestConnection(t *testing.T) {
	e := newEnvWithPool(t, 8, nil)
	e.province("01", "Thành phố Hà Nội")
	e.province("02", "Tỉnh Hai")
	ed := e.key(store.RoleProvinceEditor, "01")
	other := e.key(store.RoleProvinceViewer, "02")
	ctx := context.Background()
	mustSucceed(t, importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV))))
	mustSucceed(t, importJob(t, e.upload(ed, "kind=hamlets", []byte("code,commune_code,name,kind,households,effective_from\nR0,00100,Thôn Đua,thon,300,2020-01-01\n"))))
	people := "national_id,full_name,gender,birth_date\n"
	for i := 0; i < 8; i++ {
		people += fmt.Sprintf("0010800%05d,Nguyễn Văn An,male,1980-05-17\n", i)
	}
	mustSucceed(t, importJob(t, e.upload(ed, "kind=cadres", []byte(people))))
	var ids []string
	rows, err := e.admin.Query(ctx, `SELECT id::text FROM cadres ORDER BY national_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()

	locker := testdb.Admin(t, e.dbURL)
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT 1 FROM hamlets WHERE code = 'R0' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	codes := make([]int, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(post("truong_thon_to_truong", "hamlet_code", "R0", "2024-02-01"))
			codes[i], _, _ = rawDo(client, "POST", e.srv.URL+"/v1/provinces/01/cadres/"+id+"/assignments", ed, "application/json", b)
		}()
	}
	// Wait until the posts wait on the lock (as many as the province may have at once).
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := e.admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting >= 4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	quick := &http.Client{Timeout: 3 * time.Second}
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		code, body, err := rawDo(quick, "GET", e.srv.URL+"/v1/me", other, "", nil)
		if err != nil || code != http.StatusOK {
			t.Fatalf("another province's GET /v1/me while one province's requests wait on a lock: %d %v %s (after %s)",
				code, err, body, time.Since(t0).Round(time.Millisecond))
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	// Once the lock is gone every post is answered: one hamlet head fits, the others are refused.
	created := 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusUnprocessableEntity, http.StatusConflict:
		default:
			t.Fatalf("a post answered %d (all: %v)", c, codes)
		}
	}
	if created != 1 {
		t.Fatalf("%d hamlet heads created (answers %v)", created, codes)
	}
}
