package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"communehr/internal/testdb"
)

// TestSlowLorisHeadersAreCutOff trickles request headers one byte at a time: the real server (its
// http.Server settings, a short ReadHeaderTimeout) closes the connection instead of waiting for ever,
// and keeps serving others.
func TestSlowLorisHeadersAreCutOff(t *testing.T) {
	dbURL := testdb.Migrated(t)
	cfg, err := loadConfig(envOf(map[string]string{"DATABASE_URL": dbURL, "ADDR": "127.0.0.1:0"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.readHeaderTimeout = 300 * time.Millisecond
	ctx, stop := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, io.Discard, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	defer func() {
		stop()
		select {
		case <-done:
		case <-time.After(35 * time.Second):
			t.Error("serve did not stop")
		}
	}()

	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	// Trickle a header, a byte every 50 ms, until the server hangs up (writes fail) or 5 s pass.
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = io.Copy(io.Discard, conn) // returns when the server closes the connection
	}()
	header := []byte("X-Slow: " + strings.Repeat("a", 200))
	for i := 0; ; i++ {
		select {
		case <-closed:
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("connection closed only after %s", d)
			}
			// The server still serves everyone else.
			c2, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c2.Close()
			_ = c2.SetDeadline(time.Now().Add(5 * time.Second))
			fmt.Fprintf(c2, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
			b, _ := io.ReadAll(c2)
			if len(b) < 12 || string(b[9:12]) != "200" {
				t.Fatalf("healthz after the slow client: %q", b)
			}
			return
		case <-time.After(50 * time.Millisecond):
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("a client trickling headers was not cut off within 5 s")
		}
		if _, err := conn.Write(header[i%len(header) : i%len(header)+1]); err != nil && !errors.Is(err, net.ErrClosed) {
			continue // the peer hung up; the reader will see it
		}
	}
}
