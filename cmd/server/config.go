package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is built once from the environment and validated; it is never global.
type Config struct {
	DatabaseURL     string
	DatabaseReadURL string // DATABASE_READ_URL: a streaming replica for national and report reads; optional
	Addr            string
	MetricsAddr     string // METRICS_ADDR: the Prometheus /metrics listener; off when empty
	LogLevel        slog.Level
	CORSOrigins     []string
	MaxBodyBytes    int64
	ImportMaxBytes  int64

	// readHeaderTimeout bounds how long a client may take to send its request headers (slow-loris);
	// not configurable from the environment, shortened by tests.
	readHeaderTimeout time.Duration
}

func loadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{
		DatabaseURL:     getenv("DATABASE_URL"),
		DatabaseReadURL: getenv("DATABASE_READ_URL"),
		Addr:            getenv("ADDR"),
		MetricsAddr:     getenv("METRICS_ADDR"),
		MaxBodyBytes:    1 << 20,
		ImportMaxBytes:  200 << 20,

		readHeaderTimeout: 10 * time.Second,
	}
	if cfg.DatabaseURL == "" {
		return cfg, errors.New("DATABASE_URL is not set (e.g. postgres://user:pass@127.0.0.1:5432/communehr)")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.MetricsAddr != "" && cfg.MetricsAddr == cfg.Addr {
		return cfg, fmt.Errorf("METRICS_ADDR %q is the API address: metrics are served on a listener of their own", cfg.MetricsAddr)
	}
	if lv := getenv("LOG_LEVEL"); lv != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(lv)); err != nil {
			return cfg, fmt.Errorf("LOG_LEVEL %q: use debug, info, warn or error", lv)
		}
	}
	for _, o := range strings.Split(getenv("CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.CORSOrigins = append(cfg.CORSOrigins, o)
		}
	}
	if v := getenv("MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return cfg, fmt.Errorf("MAX_BODY_BYTES %q: a whole number of bytes, at least 1024", v)
		}
		cfg.MaxBodyBytes = n
	}
	if v := getenv("IMPORT_MAX_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return cfg, fmt.Errorf("IMPORT_MAX_BYTES %q: a whole number of bytes, at least 1024", v)
		}
		cfg.ImportMaxBytes = n
	}
	return cfg, nil
}

// String prints the configuration with the database password redacted.
func (c Config) String() string {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil {
		db = u.Redacted()
	}
	readDB := c.DatabaseReadURL
	if u, err := url.Parse(readDB); err == nil {
		readDB = u.Redacted()
	}
	return fmt.Sprintf("addr=%s db=%s read_db=%s log_level=%s cors=%v max_body=%d metrics=%q", c.Addr, db, readDB, c.LogLevel, c.CORSOrigins, c.MaxBodyBytes, c.MetricsAddr)
}
