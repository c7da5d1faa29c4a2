// Package health keeps a service's liveness and readiness and serves them as the /healthz and /readyz endpoints
// of Gantry's startup, liveness and readiness probes.
//
// Liveness says the process works: it stays true during a graceful shutdown so that the kubelet does not restart a
// pod that is draining. Readiness says the pod should receive traffic: false until startup is complete, and false
// again as soon as the shutdown begins.
package health

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// State is the liveness and readiness of one process. The zero value is not usable; call New.
type State struct {
	live    atomic.Bool
	ready   atomic.Bool
	started atomic.Bool

	mu       sync.Mutex
	watchers []func(Status)
}

// Status is a snapshot of a State.
type Status struct {
	Started bool // startup is complete (never goes back to false)
	Live    bool
	Ready   bool
}

// New returns a State that is live, not started and not ready.
func New() *State {
	s := &State{}
	s.live.Store(true)
	return s
}

// Status returns the current status.
func (s *State) Status() Status {
	return Status{Started: s.started.Load(), Live: s.live.Load(), Ready: s.ready.Load()}
}

// Ready reports whether the service should receive traffic.
func (s *State) Ready() bool { return s.ready.Load() }

// Live reports whether the process works.
func (s *State) Live() bool { return s.live.Load() }

// SetReady changes readiness; the first SetReady(true) also marks startup complete.
func (s *State) SetReady(ready bool) {
	if ready {
		s.started.Store(true)
	}
	if s.ready.Swap(ready) != ready {
		s.notify()
	}
}

// SetLive changes liveness; a service sets it to false only when it is broken beyond repair by itself.
func (s *State) SetLive(live bool) {
	if s.live.Swap(live) != live {
		s.notify()
	}
}

// Watch calls fn with the current status now and after every change (for example to mirror it into the gRPC health
// service). fn runs with the State's lock held and must not call back into the State's setters.
func (s *State) Watch(fn func(Status)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, fn)
	fn(s.Status())
}

func (s *State) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.Status()
	for _, fn := range s.watchers {
		fn(st)
	}
}

// Register adds GET /healthz (startup and liveness probes) and GET /readyz (readiness probe) to mux.
func (s *State) Register(mux *http.ServeMux) {
	mux.Handle("GET /healthz", s.LivenessHandler())
	mux.Handle("GET /readyz", s.ReadinessHandler())
}

// LivenessHandler answers 200 while the process is live, 503 otherwise.
func (s *State) LivenessHandler() http.Handler {
	return probe(s.Live, "ok", "not live")
}

// ReadinessHandler answers 200 while the service is ready, 503 otherwise (starting or shutting down).
func (s *State) ReadinessHandler() http.Handler {
	return probe(s.Ready, "ready", "not ready")
}

func probe(ok func() bool, yes, no string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if ok() {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(yes + "\n"))
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(no + "\n"))
	})
}
