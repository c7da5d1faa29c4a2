package fault

import (
	"context"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func seeded() *Injector { return New(true, discard).WithRand(rand.New(rand.NewPCG(1, 2))) }

func TestOffByDefault(t *testing.T) {
	for _, v := range []string{"", "true", "1", "Enabled"} {
		if FromEnv(func(string) string { return v }, discard).Enabled() {
			t.Errorf("FAULT_INJECTION=%q enables the switch; only \"enabled\" should", v)
		}
	}
	if !FromEnv(func(string) string { return "enabled" }, discard).Enabled() {
		t.Error("FAULT_INJECTION=enabled does not enable the switch")
	}

	off := New(false, discard)
	if err := off.Set(Setting{ErrorRatio: 1}); err == nil {
		t.Error("Set works on a disabled switch")
	}
	if fail, delay := off.Decide(); fail || delay != 0 {
		t.Error("a disabled switch injects")
	}
	var nilInj *Injector
	if nilInj.Enabled() {
		t.Error("nil injector enabled")
	}
	mux := http.NewServeMux()
	off.Register(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/fault?error_ratio=1", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("PUT /fault on a disabled switch = %d, want 404", rec.Code)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	if got := off.Middleware(h); got == nil {
		t.Error("nil middleware")
	}
}

func TestRatios(t *testing.T) {
	const n = 20000
	for _, ratio := range []float64{0, 0.05, 0.25, 0.5, 0.9, 1} {
		inj := seeded()
		if err := inj.Set(Setting{ErrorRatio: ratio}); err != nil {
			t.Fatal(err)
		}
		fails := 0
		for range n {
			if fail, _ := inj.Decide(); fail {
				fails++
			}
		}
		got := float64(fails) / n
		// Binomial: 4 standard deviations is about 1.4% at p=0.5, n=20000.
		tolerance := 4 * math.Sqrt(ratio*(1-ratio)/n)
		if math.Abs(got-ratio) > tolerance {
			t.Errorf("error_ratio %.2f: %.4f of requests failed", ratio, got)
		}
		if (ratio == 0 && fails != 0) || (ratio == 1 && fails != n) {
			t.Errorf("error_ratio %.0f must be exact, got %d of %d", ratio, fails, n)
		}
	}
}

func TestValidation(t *testing.T) {
	inj := seeded()
	for _, s := range []Setting{{ErrorRatio: -0.1}, {ErrorRatio: 1.01}, {ErrorRatio: math.NaN()}, {Latency: -time.Second}, {Latency: MaxLatency + 1}} {
		if err := inj.Set(s); err == nil {
			t.Errorf("Set(%+v) accepted", s)
		}
	}
}

func TestAdminEndpoint(t *testing.T) {
	inj := seeded()
	mux := http.NewServeMux()
	inj.Register(mux)
	do := func(method, target string) (int, string) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
		return rec.Code, rec.Body.String()
	}
	if code, body := do(http.MethodPut, "/fault?error_ratio=0.5&latency=3s"); code != 200 || body != "{\"error_ratio\":0.5,\"latency\":\"3s\"}\n" {
		t.Fatalf("PUT = %d %s", code, body)
	}
	if s := inj.Setting(); s.ErrorRatio != 0.5 || s.Latency != 3*time.Second {
		t.Fatalf("setting = %+v", s)
	}
	if code, body := do(http.MethodGet, "/fault"); code != 200 || body != "{\"error_ratio\":0.5,\"latency\":\"3s\"}\n" {
		t.Errorf("GET = %d %s", code, body)
	}
	for _, bad := range []string{"error_ratio=half", "error_ratio=2", "latency=3", "latency=1h"} {
		if code, _ := do(http.MethodPut, "/fault?"+bad); code != http.StatusBadRequest {
			t.Errorf("PUT ?%s = %d, want 400", bad, code)
		}
	}
	if s := inj.Setting(); s.ErrorRatio != 0.5 {
		t.Error("a rejected PUT changed the setting")
	}
	if code, _ := do(http.MethodDelete, "/fault"); code != 200 {
		t.Errorf("DELETE = %d", code)
	}
	if s := inj.Setting(); s != (Setting{}) {
		t.Errorf("after DELETE: %+v", s)
	}
	// PUT with only a latency: no errors.
	do(http.MethodPut, "/fault?latency=10ms")
	if s := inj.Setting(); s.ErrorRatio != 0 || s.Latency != 10*time.Millisecond {
		t.Errorf("latency only: %+v", s)
	}
}

func TestMiddleware(t *testing.T) {
	inj := seeded()
	calls := 0
	h := inj.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }))
	serve := func() int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		return rec.Code
	}
	if serve() != 200 || calls != 1 {
		t.Fatal("no fault set: the request does not pass")
	}
	_ = inj.Set(Setting{ErrorRatio: 1, Latency: 40 * time.Millisecond})
	start := time.Now()
	if code := serve(); code != http.StatusInternalServerError {
		t.Errorf("error_ratio 1: %d, want 500", code)
	}
	if took := time.Since(start); took < 40*time.Millisecond {
		t.Errorf("latency not added: %s", took)
	}
	if calls != 1 {
		t.Error("a failed request reached the handler")
	}
}

func TestApplyRespectsCancellation(t *testing.T) {
	inj := seeded()
	_ = inj.Set(Setting{Latency: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := inj.Apply(ctx); err == nil {
		t.Error("Apply ignored the cancelled context")
	}
	if time.Since(start) > time.Second {
		t.Error("Apply waited for the whole latency")
	}
}
