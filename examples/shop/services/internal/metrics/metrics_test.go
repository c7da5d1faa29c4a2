package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics = %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// The names Gantry's alerts and dashboard use for the Go runtime.
func TestRuntimeCollectors(t *testing.T) {
	out := scrape(t, Mux(NewRegistry(), nil))
	for _, name := range []string{
		"go_goroutines ", "go_gc_duration_seconds_sum ", "go_gc_duration_seconds{quantile=", "go_memstats_heap_inuse_bytes ",
		"go_memstats_alloc_bytes ", "go_threads ", "process_resident_memory_bytes ", "process_cpu_seconds_total ",
		"promhttp_metric_handler_requests_total{code=",
	} {
		if !strings.Contains(out, "\n"+name) {
			t.Errorf("/metrics has no %s", strings.TrimSpace(name))
		}
	}
}

func TestHTTPMetrics(t *testing.T) {
	reg := NewRegistry()
	m := NewHTTPMetrics(reg)
	h := m.Instrument(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	for _, p := range []string{"/", "/", "/fail"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))

	out := scrape(t, Handler(reg))
	for _, line := range []string{
		"# TYPE http_requests_total counter",
		`http_requests_total{code="200",method="get"} 2`,
		`http_requests_total{code="200",method="post"} 1`,
		`http_requests_total{code="500",method="get"} 1`,
		"# TYPE http_request_duration_seconds histogram",
		`http_request_duration_seconds_bucket{code="500",method="get",le="0.005"} 1`,
		`http_request_duration_seconds_bucket{code="200",method="get",le="+Inf"} 2`,
		`http_request_duration_seconds_count{code="200",method="post"} 1`,
	} {
		if !strings.Contains(out, line) {
			t.Errorf("missing %s", line)
		}
	}
	// The default buckets, 5ms to 10s.
	if n := strings.Count(out, `http_request_duration_seconds_bucket{code="200",method="post"`); n != 12 {
		t.Errorf("%d buckets, want 11 + Inf", n)
	}
}
