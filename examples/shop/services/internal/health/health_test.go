package health

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func get(t *testing.T, h http.Handler, path string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

func TestTransitions(t *testing.T) {
	s := New()
	mux := http.NewServeMux()
	s.Register(mux)
	var seen []Status
	s.Watch(func(st Status) { seen = append(seen, st) })

	// Starting: live (startup and liveness probes pass as soon as the server answers), not ready.
	if get(t, mux, "/healthz") != 200 || get(t, mux, "/readyz") != 503 {
		t.Fatal("starting: want healthz 200, readyz 503")
	}
	s.SetReady(true)
	if get(t, mux, "/healthz") != 200 || get(t, mux, "/readyz") != 200 {
		t.Fatal("ready: want 200, 200")
	}
	// Shutting down: readiness fails, liveness holds so that the kubelet does not restart a draining pod.
	s.SetReady(false)
	if get(t, mux, "/healthz") != 200 || get(t, mux, "/readyz") != 503 {
		t.Fatal("draining: want healthz 200, readyz 503")
	}
	s.SetLive(false)
	if get(t, mux, "/healthz") != 503 {
		t.Fatal("broken: want healthz 503")
	}
	s.SetLive(false) // no change, no notification

	want := []Status{
		{Started: false, Live: true, Ready: false},
		{Started: true, Live: true, Ready: true},
		{Started: true, Live: true, Ready: false},
		{Started: true, Live: false, Ready: false},
	}
	if len(seen) != len(want) {
		t.Fatalf("notifications = %+v, want %+v", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("notification %d = %+v, want %+v", i, seen[i], want[i])
		}
	}
}

func TestOnlyGET(t *testing.T) {
	mux := http.NewServeMux()
	New().Register(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/healthz", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("HEAD /readyz = %d (GET patterns also match HEAD)", rec.Code)
	}
}
