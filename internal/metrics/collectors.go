package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	jobsDesc = prometheus.NewDesc("communehr_jobs",
		"Background jobs (CSV imports by kind, entitlement runs) in the register by state.",
		[]string{"kind", "state"}, nil)
	rowsDesc = prometheus.NewDesc("communehr_import_rows_total",
		"Rows written by succeeded CSV imports in apply mode, by kind and outcome (inserted, updated).",
		[]string{"kind", "outcome"}, nil)
	scrapeErrDesc = prometheus.NewDesc("communehr_jobs_scrape_error",
		"1 when the job counts could not be read from the database at this scrape.", nil, nil)
)

// jobCollector reads the job counts from the database at scrape time, so they hold across restarts and
// are the same whichever server instance is scraped (aggregate instances with max, not sum).
type jobCollector struct {
	src    Source
	logger *slog.Logger
}

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobsDesc
	ch <- rowsDesc
	ch <- scrapeErrDesc
}

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.src.JobCounts(ctx)
	if err != nil {
		if c.logger != nil {
			c.logger.Warn("metrics: job counts", "err", err)
		}
		ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, 0)
	rows := map[string][2]int64{}
	for _, j := range counts {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(j.Jobs), j.Kind, j.State)
		if j.Kind != "entitlement_run" {
			r := rows[j.Kind]
			rows[j.Kind] = [2]int64{r[0] + j.RowsInserted, r[1] + j.RowsUpdated}
		}
	}
	for kind, r := range rows {
		ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(r[0]), kind, "inserted")
		ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(r[1]), kind, "updated")
	}
}

// pool is one gauge or counter read from pgxpool.Stat.
type pool struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(s statView) float64
}

// statView is the part of pgxpool.Stat the collector reads.
type statView interface {
	AcquiredConns() int32
	IdleConns() int32
	TotalConns() int32
	MaxConns() int32
	AcquireCount() int64
	AcquireDuration() time.Duration
	EmptyAcquireCount() int64
	CanceledAcquireCount() int64
}

func poolMetric(name, help string, kind prometheus.ValueType, value func(s statView) float64) pool {
	return pool{prometheus.NewDesc("communehr_db_pool_"+name, help, []string{"pool"}, nil), kind, value}
}

var poolMetrics = []pool{
	poolMetric("acquired_connections", "Connections in use.", prometheus.GaugeValue,
		func(s statView) float64 { return float64(s.AcquiredConns()) }),
	poolMetric("idle_connections", "Idle connections.", prometheus.GaugeValue,
		func(s statView) float64 { return float64(s.IdleConns()) }),
	poolMetric("total_connections", "Open connections (acquired, idle and being opened).", prometheus.GaugeValue,
		func(s statView) float64 { return float64(s.TotalConns()) }),
	poolMetric("max_connections", "The pool's size limit.", prometheus.GaugeValue,
		func(s statView) float64 { return float64(s.MaxConns()) }),
	poolMetric("acquires_total", "Connections acquired from the pool.", prometheus.CounterValue,
		func(s statView) float64 { return float64(s.AcquireCount()) }),
	poolMetric("acquire_seconds_total", "Time spent waiting to acquire a connection.", prometheus.CounterValue,
		func(s statView) float64 { return s.AcquireDuration().Seconds() }),
	poolMetric("empty_acquires_total", "Acquires that had to wait because no idle connection was free.", prometheus.CounterValue,
		func(s statView) float64 { return float64(s.EmptyAcquireCount()) }),
	poolMetric("canceled_acquires_total", "Acquires cancelled by their context while waiting.", prometheus.CounterValue,
		func(s statView) float64 { return float64(s.CanceledAcquireCount()) }),
}

// poolCollector reports pgxpool.Stat of every pool of the store.
type poolCollector struct{ src Source }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, p := range poolMetrics {
		ch <- p.desc
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, st := range c.src.PoolStats() {
		for _, p := range poolMetrics {
			ch <- prometheus.MustNewConstMetric(p.desc, p.kind, p.value(st), name)
		}
	}
}
