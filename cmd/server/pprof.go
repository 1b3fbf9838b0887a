//go:build pprof

package main

// Profiling for performance work only: `go build -tags pprof ./cmd/server` and PPROF_ADDR=127.0.0.1:6060
// serve net/http/pprof on that loopback address, apart from the API. Release builds do not contain it.

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	addr := os.Getenv("PPROF_ADDR")
	if addr == "" {
		return
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			slog.Error("pprof", "err", err)
		}
	}()
}
