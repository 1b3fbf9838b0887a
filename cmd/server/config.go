package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"communehr/internal/jobs"
	"communehr/internal/store"
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
	// ShutdownGrace is how long in-flight requests and jobs may run after SIGINT/SIGTERM; at the deadline
	// jobs (and synchronous imports) are cancelled and roll back (SHUTDOWN_GRACE, default 30s).
	ShutdownGrace time.Duration
	// Jobs bounds the job runner (JOBS_MAX, JOBS_MAX_PER_PROVINCE, JOBS_QUEUE, JOBS_QUEUE_PER_PROVINCE).
	Jobs jobs.Config
	// Heavy bounds heavy synchronous work — reorganisations, province-wide reports, the national summary —
	// in total and per province (HEAVY_MAX, HEAVY_MAX_PER_PROVINCE) and how long a request waits for a
	// place before a 429 (HEAVY_WAIT); see store.HeavyLimits for the defaults.
	Heavy store.HeavyLimits

	// RejectsRetention is how long the rejected rows of an import (errors.csv) are kept after the job
	// finished (REJECTS_RETENTION, at least 24h, default 720h = 30 days); the janitor looks every
	// RejectsJanitorInterval (REJECTS_JANITOR_INTERVAL, default 1h).
	RejectsRetention       time.Duration
	RejectsJanitorInterval time.Duration
	// IdempotencyRetention is how long a stored Idempotency-Key response is kept (IDEMPOTENCY_RETENTION,
	// default 24h, at least 1h); the janitor deletes older ones.
	IdempotencyRetention time.Duration

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
		ShutdownGrace:   defaultShutdownGrace,
		Jobs:            jobs.DefaultConfig(),

		RejectsRetention:       30 * 24 * time.Hour,
		RejectsJanitorInterval: time.Hour,
		IdempotencyRetention:   24 * time.Hour,

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
	if v := getenv("SHUTDOWN_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("SHUTDOWN_GRACE %q: a duration such as 30s or 2m", v)
		}
		cfg.ShutdownGrace = d
	}
	for _, b := range []struct {
		name string
		to   *int
	}{{"JOBS_MAX", &cfg.Jobs.MaxTotal}, {"JOBS_MAX_PER_PROVINCE", &cfg.Jobs.MaxPerProvince},
		{"JOBS_QUEUE", &cfg.Jobs.MaxQueue}, {"JOBS_QUEUE_PER_PROVINCE", &cfg.Jobs.MaxQueuePerProvince},
		{"HEAVY_MAX", &cfg.Heavy.Total}, {"HEAVY_MAX_PER_PROVINCE", &cfg.Heavy.PerProvince}} {
		if v := getenv(b.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return cfg, fmt.Errorf("%s %q: a whole number from 1 to 1000", b.name, v)
			}
			*b.to = n
		}
	}
	if cfg.Jobs.MaxPerProvince > cfg.Jobs.MaxTotal {
		cfg.Jobs.MaxPerProvince = cfg.Jobs.MaxTotal
	}
	if cfg.Jobs.MaxQueuePerProvince > cfg.Jobs.MaxQueue {
		cfg.Jobs.MaxQueuePerProvince = cfg.Jobs.MaxQueue
	}
	if v := getenv("HEAVY_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > 10*time.Minute {
			return cfg, fmt.Errorf("HEAVY_WAIT %q: a duration above 0 and up to 10m (e.g. 5s)", v)
		}
		cfg.Heavy.Wait = d
	}
	if v := getenv("REJECTS_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 24*time.Hour {
			return cfg, fmt.Errorf("REJECTS_RETENTION %q: a duration of at least 24h (e.g. 720h for 30 days)", v)
		}
		cfg.RejectsRetention = d
	}
	if v := getenv("REJECTS_JANITOR_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return cfg, fmt.Errorf("REJECTS_JANITOR_INTERVAL %q: a duration of at least 1s (e.g. 1h)", v)
		}
		cfg.RejectsJanitorInterval = d
	}
	if v := getenv("IDEMPOTENCY_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			return cfg, fmt.Errorf("IDEMPOTENCY_RETENTION %q: a duration of at least 1h (e.g. 24h)", v)
		}
		cfg.IdempotencyRetention = d
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
	return fmt.Sprintf("addr=%s db=%s read_db=%s log_level=%s cors=%v max_body=%d metrics=%q shutdown_grace=%s jobs=%d/%d queue=%d/%d rejects_retention=%s",
		c.Addr, db, readDB, c.LogLevel, c.CORSOrigins, c.MaxBodyBytes, c.MetricsAddr, c.ShutdownGrace, c.Jobs.MaxTotal, c.Jobs.MaxPerProvince,
		c.Jobs.MaxQueue, c.Jobs.MaxQueuePerProvince, c.RejectsRetention)
}
