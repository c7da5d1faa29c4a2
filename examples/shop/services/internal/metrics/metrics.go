// Package metrics builds the Prometheus registry and the metrics server (port 9090, path /metrics) that Gantry's
// ServiceMonitor scrapes.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/fault"
)

// NewRegistry returns a registry with the collectors of prometheus.DefaultRegisterer: the Go collector (go_goroutines,
// go_gc_duration_seconds, go_memstats_heap_inuse_bytes, ...) and the process collector (process_cpu_seconds_total,
// process_resident_memory_bytes, ...), which the alerts and the dashboard use. A registry per process, rather than the
// global one, keeps tests independent.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// Handler serves reg in the Prometheus exposition formats, counting its own scrapes as promhttp.Handler does.
func Handler(reg *prometheus.Registry) http.Handler {
	return promhttp.InstrumentMetricHandler(reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:          reg,
		EnableOpenMetrics: true,
	}))
}

// Mux returns the handler of the metrics port: GET /metrics, and /fault when the fault switch is enabled.
func Mux(reg *prometheus.Registry, inj *fault.Injector) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", Handler(reg))
	inj.Register(mux)
	return mux
}

// HTTPMetrics is the promhttp instrumentation that Gantry's monitoring defaults expect: the counter
// http_requests_total and the histogram http_request_duration_seconds (default buckets), both labelled code and method.
type HTTPMetrics struct {
	Requests *prometheus.CounterVec
	Duration *prometheus.HistogramVec
}

// NewHTTPMetrics registers the HTTP metrics with reg.
func NewHTTPMetrics(reg prometheus.Registerer) *HTTPMetrics {
	m := &HTTPMetrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests served, by status code and method.",
		}, []string{"code", "method"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by status code and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"code", "method"}),
	}
	reg.MustRegister(m.Requests, m.Duration)
	return m
}

// Instrument wraps next with the counter and the histogram.
func (m *HTTPMetrics) Instrument(next http.Handler) http.Handler {
	return promhttp.InstrumentHandlerDuration(m.Duration, promhttp.InstrumentHandlerCounter(m.Requests, next))
}
