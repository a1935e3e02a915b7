package controller

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gitfleet/gitfleet/renderer"
)

// Render results, the values of the result label of gitfleet_render_total.
const (
	// RenderSucceeded: the source rendered and the rendered ref holds it.
	RenderSucceeded = "success"
	// RenderInvalid: the source does not render; the last good render stays applied.
	RenderInvalid = "invalid"
	// RenderFailed: the cycle could not reach the repository.
	RenderFailed = "error"
)

// Metrics turns each cycle's result into Prometheus metrics and into the hub's readiness.
// It owns a dedicated registry, so a process (or a test) may hold several without the
// global registry's duplicate-registration panics.
type Metrics struct {
	registry       *prometheus.Registry
	cycleDuration  prometheus.Histogram
	renderDuration prometheus.Histogram
	renders        *prometheus.CounterVec
	objects        *prometheus.CounterVec
	syncErrors     *prometheus.CounterVec
	clusterReady   *prometheus.GaugeVec
	clustersReady  prometheus.Gauge
	lastGoodRender *prometheus.GaugeVec
	leaseHeld      prometheus.Gauge
	ready          atomic.Bool
}

// NewMetrics returns Metrics registered on a registry of their own, with the Go runtime
// and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		cycleDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "gitfleet_cycle_duration_seconds",
			Help: "Wall time of one controller cycle: render and commit, sync of the hub's clusters, status commit.",
			// Cycles range from a no-op on a small fleet to a first apply across many clusters.
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}),
		renderDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "gitfleet_render_duration_seconds",
			Help:    "Wall time of loading and rendering the source and committing the render.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}),
		renders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gitfleet_render_total",
			Help: "Renders by result: success, invalid (the source does not render), error (the repository failed).",
		}, []string{"result"}),
		objects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gitfleet_sync_objects_total",
			Help: "Objects synced to a cluster, by outcome: applied, pruned, failed.",
		}, []string{"cluster", "outcome"}),
		syncErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gitfleet_sync_errors_total",
			Help: "Syncs of a cluster that did not run or did not finish.",
		}, []string{"cluster"}),
		clusterReady: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gitfleet_cluster_ready",
			Help: "1 when the last cycle synced the cluster without error, 0 otherwise.",
		}, []string{"cluster"}),
		clustersReady: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gitfleet_clusters_ready",
			Help: "How many clusters the last cycle synced without error.",
		}),
		lastGoodRender: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gitfleet_last_successful_render_info",
			Help: "Set to 1 for the source commit of the last successful render.",
		}, []string{"commit"}),
		leaseHeld: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gitfleet_hub_lease_held",
			Help: "1 when this hub held the lease at its last cycle (or runs without one), 0 while another hub holds it.",
		}),
	}
	m.registry.MustRegister(m.cycleDuration, m.renderDuration, m.renders, m.objects, m.syncErrors, m.clusterReady, m.clustersReady,
		m.lastGoodRender, m.leaseHeld, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Every render result shows from the start, so rate() over a fresh process works.
	for _, r := range []string{RenderSucceeded, RenderInvalid, RenderFailed} {
		m.renders.WithLabelValues(r)
	}
	return m
}

// ObserveCycle records one cycle: its result and error as Cycle returned them, and how
// long it took. A nil Metrics records nothing.
func (m *Metrics) ObserveCycle(res *CycleResult, err error, took time.Duration) {
	if m == nil {
		return
	}
	if res != nil && res.Standby {
		// A hub on standby is healthy and ready to take over; it did no cycle.
		m.leaseHeld.Set(0)
		m.ready.Store(true)
		return
	}
	m.leaseHeld.Set(1)
	m.cycleDuration.Observe(took.Seconds())
	// Only a repository failure makes the hub unready: an invalid source is the source's
	// problem, reported in render.yaml, and the hub keeps serving the last good render.
	m.ready.Store(err == nil)
	m.renders.WithLabelValues(renderResult(res, err)).Inc()
	if res == nil {
		return
	}
	if res.RenderDuration > 0 {
		m.renderDuration.Observe(res.RenderDuration.Seconds())
	}
	if res.RenderErr == nil && err == nil {
		m.lastGoodRender.Reset()
		m.lastGoodRender.WithLabelValues(res.SourceCommit).Set(1)
	}
	if res.Syncs == nil {
		return
	}
	// Clusters that left the fleet drop out of the readiness gauges.
	m.clusterReady.Reset()
	ready := 0
	for _, name := range slices.Sorted(maps.Keys(res.Syncs)) {
		s := res.Syncs[name]
		if r := s.Result; r != nil {
			m.objects.WithLabelValues(name, "applied").Add(float64(r.Applied))
			m.objects.WithLabelValues(name, "pruned").Add(float64(r.Pruned))
			m.objects.WithLabelValues(name, "failed").Add(float64(r.Failed))
		}
		if s.Err != nil {
			m.syncErrors.WithLabelValues(name).Inc()
			m.clusterReady.WithLabelValues(name).Set(0)
			continue
		}
		ready++
		m.clusterReady.WithLabelValues(name).Set(1)
	}
	m.clustersReady.Set(float64(ready))
}

// renderResult names a cycle's render outcome.
func renderResult(res *CycleResult, err error) string {
	var diags renderer.Diagnostics
	switch {
	case res != nil && res.RenderErr != nil && errors.As(res.RenderErr, &diags):
		return RenderInvalid
	case err != nil:
		return RenderFailed
	default:
		return RenderSucceeded
	}
}

// Ready reports whether the last cycle completed without a repository error; false before
// the first cycle. A nil Metrics is never ready.
func (m *Metrics) Ready() bool {
	return m != nil && m.ready.Load()
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}
