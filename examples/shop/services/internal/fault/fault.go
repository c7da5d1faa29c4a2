// Package fault is a switch for failure tests: it makes a share of a service's business requests fail and adds
// latency to them, so that alerts, SLO burn rates, canary analysis and mesh outlier detection can be exercised on
// a real cluster.
//
// It is off unless FAULT_INJECTION=enabled. When enabled, the metrics server (port 9090, reachable only from the
// monitoring namespace under Gantry's NetworkPolicy) serves:
//
//	PUT    /fault?error_ratio=0.5&latency=3s   set the share of failing requests (0..1) and the added latency
//	GET    /fault                              show the current setting
//	DELETE /fault                              back to no faults
//
// The latency applies to every business request, the error to error_ratio of them (HTTP 500, gRPC Unavailable).
// Health endpoints and the metrics endpoint are never affected.
package fault

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// EnvVar is the environment variable that turns the switch on when it is "enabled".
const EnvVar = "FAULT_INJECTION"

// MaxLatency bounds the injected latency: below the servers' write timeout and the probes' patience.
const MaxLatency = 30 * time.Second

// Setting is what the switch injects.
type Setting struct {
	ErrorRatio float64       `json:"error_ratio"`
	Latency    time.Duration `json:"-"`
}

// MarshalJSON writes the latency as a Go duration string.
func (s Setting) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ErrorRatio float64 `json:"error_ratio"`
		Latency    string  `json:"latency"`
	}{s.ErrorRatio, s.Latency.String()})
}

// Injector decides, per request, whether to fail it and how long to delay it. A nil or disabled Injector never
// injects anything.
type Injector struct {
	enabled bool
	logger  *slog.Logger

	mu      sync.Mutex
	setting Setting
	rnd     *rand.Rand
}

// New returns an Injector; when enabled is false, it is inert and serves no admin endpoint.
func New(enabled bool, logger *slog.Logger) *Injector {
	return &Injector{enabled: enabled, logger: logger, rnd: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
}

// FromEnv returns an Injector enabled when FAULT_INJECTION=enabled.
func FromEnv(getenv func(string) string, logger *slog.Logger) *Injector {
	enabled := getenv(EnvVar) == "enabled"
	if enabled {
		logger.Warn("fault injection is enabled: PUT /fault on the metrics port makes requests fail")
	}
	return New(enabled, logger)
}

// WithRand replaces the random source (for deterministic tests).
func (i *Injector) WithRand(r *rand.Rand) *Injector {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.rnd = r
	return i
}

// Enabled reports whether the switch can be used.
func (i *Injector) Enabled() bool { return i != nil && i.enabled }

// Set changes the setting.
func (i *Injector) Set(s Setting) error {
	if !i.Enabled() {
		return fmt.Errorf("fault injection is disabled (set %s=enabled)", EnvVar)
	}
	if s.ErrorRatio < 0 || s.ErrorRatio > 1 || s.ErrorRatio != s.ErrorRatio {
		return fmt.Errorf("error_ratio %v is not between 0 and 1", s.ErrorRatio)
	}
	if s.Latency < 0 || s.Latency > MaxLatency {
		return fmt.Errorf("latency %s is not between 0s and %s", s.Latency, MaxLatency)
	}
	i.mu.Lock()
	i.setting = s
	i.mu.Unlock()
	i.logger.Warn("fault injection set", "error_ratio", s.ErrorRatio, "latency", s.Latency.String())
	return nil
}

// Setting returns the current setting.
func (i *Injector) Setting() Setting {
	if !i.Enabled() {
		return Setting{}
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.setting
}

// Decide returns whether this request should fail and how long to delay it first.
func (i *Injector) Decide() (fail bool, delay time.Duration) {
	if !i.Enabled() {
		return false, 0
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	s := i.setting
	if s.ErrorRatio > 0 {
		fail = i.rnd.Float64() < s.ErrorRatio
	}
	return fail, s.Latency
}

// Apply waits for the injected latency (or until ctx is done) and reports whether the request should fail.
func (i *Injector) Apply(ctx context.Context) (fail bool, err error) {
	fail, delay := i.Decide()
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return fail, ctx.Err()
		}
	}
	return fail, nil
}

// Middleware wraps a business handler: it adds the latency and answers 500 for the failing share.
func (i *Injector) Middleware(next http.Handler) http.Handler {
	if !i.Enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail, err := i.Apply(r.Context())
		if err != nil {
			return // the client went away
		}
		if fail {
			http.Error(w, "injected fault", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Register adds the /fault admin endpoint to mux when the switch is enabled.
func (i *Injector) Register(mux *http.ServeMux) {
	if !i.Enabled() {
		return
	}
	mux.HandleFunc("GET /fault", i.serveGet)
	mux.HandleFunc("PUT /fault", i.servePut)
	mux.HandleFunc("DELETE /fault", i.serveDelete)
}

func (i *Injector) serveGet(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, i.Setting())
}

func (i *Injector) servePut(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var s Setting
	if v := q.Get("error_ratio"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			http.Error(w, fmt.Sprintf("error_ratio: %v", err), http.StatusBadRequest)
			return
		}
		s.ErrorRatio = f
	}
	if v := q.Get("latency"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			http.Error(w, fmt.Sprintf("latency: %v", err), http.StatusBadRequest)
			return
		}
		s.Latency = d
	}
	if err := i.Set(s); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func (i *Injector) serveDelete(w http.ResponseWriter, _ *http.Request) {
	_ = i.Set(Setting{})
	writeJSON(w, http.StatusOK, Setting{})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
