package lifecycle

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestDrainThenShutdown follows one SIGTERM: readiness fails at once, the server keeps serving new requests for the
// drain delay, then Shutdown waits for the request in flight, and Run returns nil.
func TestDrainThenShutdown(t *testing.T) {
	const drain = 300 * time.Millisecond
	state := health.New()
	mux := http.NewServeMux()
	state.Register(mux)
	release := make(chan struct{})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, _ = w.Write([]byte("done"))
	})
	srv, err := ListenHTTP("http", "127.0.0.1:0", mux, discard)
	if err != nil {
		t.Fatal(err)
	}
	app := New(discard, state, config.Shutdown{DrainDelay: drain, Timeout: 5 * time.Second})
	app.Add(srv)
	var stopped []string
	app.OnStop(func() error { stopped = append(stopped, "closer"); return nil })
	base := "http://" + app.Addr("http").String()
	if app.Addr("nope") != nil {
		t.Error("Addr of an unknown server is not nil")
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	waitFor(t, "ready", state.Ready)
	if code := status(t, base+"/readyz"); code != 200 {
		t.Fatalf("readyz before SIGTERM = %d", code)
	}

	// A request in flight when the signal comes.
	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		slow <- string(b)
	}()
	time.Sleep(20 * time.Millisecond)

	signalled := time.Now()
	cancel()
	waitFor(t, "readiness to fail", func() bool { return !state.Ready() })
	if took := time.Since(signalled); took > 100*time.Millisecond {
		t.Errorf("readiness failed %s after the signal, want at once", took)
	}
	// During the drain: still serving, readiness 503, liveness 200.
	if code := status(t, base+"/readyz"); code != 503 {
		t.Errorf("readyz while draining = %d, want 503", code)
	}
	if code := status(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz while draining = %d, want 200", code)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned during the drain: %v", err)
	default:
	}

	// After the drain the listener closes, but Shutdown waits for the slow request.
	time.Sleep(drain + 100*time.Millisecond)
	if _, err := net.DialTimeout("tcp", app.Addr("http").String(), 200*time.Millisecond); err == nil {
		t.Error("new connections accepted after the drain delay")
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned before the request in flight finished: %v", err)
	default:
	}
	close(release)
	if got := <-slow; got != "done" {
		t.Errorf("in-flight request = %q, want it completed", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run = %v, want nil (exit 0)", err)
	}
	if took := time.Since(signalled); took < drain {
		t.Errorf("stopped %s after the signal, before the drain delay %s", took, drain)
	}
	if len(stopped) != 1 {
		t.Errorf("OnStop ran %d times", len(stopped))
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestShutdownTimeout: a request that outlives SHUTDOWN_TIMEOUT is cut, and Run reports it.
func TestShutdownTimeout(t *testing.T) {
	state := health.New()
	block := make(chan struct{})
	defer close(block)
	srv, err := ListenHTTP("http", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}), discard)
	if err != nil {
		t.Fatal(err)
	}
	app := New(discard, state, config.Shutdown{DrainDelay: 0, Timeout: 150 * time.Millisecond})
	app.Add(srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	waitFor(t, "ready", state.Ready)
	go func() { _, _ = http.Get("http://" + app.Addr("http").String() + "/") }()
	time.Sleep(30 * time.Millisecond)

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, ErrShutdownTimeout) {
			t.Fatalf("Run = %v, want ErrShutdownTimeout", err)
		}
		if took := time.Since(start); took < 150*time.Millisecond || took > 2*time.Second {
			t.Errorf("stopped after %s, want about the 150ms timeout", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return: the timeout does not bound the shutdown")
	}
}

// fake records the calls a Server receives.
type fake struct {
	name     string
	log      *[]string
	mu       *sync.Mutex
	serveErr error
	stop     chan struct{}
}

func newFake(name string, log *[]string, mu *sync.Mutex) *fake {
	return &fake{name: name, log: log, mu: mu, stop: make(chan struct{})}
}

func (f *fake) record(what string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	*f.log = append(*f.log, what+" "+f.name)
}
func (f *fake) Name() string   { return f.name }
func (f *fake) Addr() net.Addr { return &net.TCPAddr{} }
func (f *fake) Serve() error {
	if f.serveErr != nil {
		return f.serveErr
	}
	<-f.stop
	return nil
}
func (f *fake) Drain() { f.record("drain") }
func (f *fake) Shutdown(context.Context) error {
	f.record("shutdown")
	close(f.stop)
	return nil
}
func (f *fake) Close() {}

// TestOrder: servers drain together and stop in reverse order, so the metrics server (added first) stops last.
func TestOrder(t *testing.T) {
	var log []string
	var mu sync.Mutex
	app := New(discard, health.New(), config.Shutdown{DrainDelay: time.Millisecond, Timeout: time.Second})
	app.Add(newFake("metrics", &log, &mu), newFake("http", &log, &mu), newFake("grpc", &log, &mu))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := app.Run(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"drain metrics", "drain http", "drain grpc", "shutdown grpc", "shutdown http", "shutdown metrics"}
	if len(log) != len(want) {
		t.Fatalf("calls = %v, want %v", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("calls = %v, want %v", log, want)
		}
	}
}

// TestServerFailure: a server that stops by itself stops the others at once (no drain) and Run returns its error.
func TestServerFailure(t *testing.T) {
	var log []string
	var mu sync.Mutex
	broken := newFake("grpc", &log, &mu)
	broken.serveErr = errors.New("boom")
	state := health.New()
	app := New(discard, state, config.Shutdown{DrainDelay: time.Hour, Timeout: time.Second})
	app.Add(newFake("http", &log, &mu), broken)
	err := app.Run(context.Background())
	if err == nil || err.Error() != "grpc server: boom" {
		t.Fatalf("Run = %v", err)
	}
	if state.Ready() {
		t.Error("still ready after a failure")
	}
	for _, l := range log {
		if l == "drain http" {
			t.Error("drained after a failure; want an immediate stop")
		}
	}
}

func TestListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := ListenHTTP("http", ln.Addr().String(), http.NotFoundHandler(), discard); err == nil {
		t.Fatal("ListenHTTP on a port in use did not fail")
	}
}
