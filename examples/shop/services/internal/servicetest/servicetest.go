// Package servicetest runs a service in-process for tests: on loopback ports chosen by the kernel, with short
// shutdown timings, its JSON logs kept in memory.
package servicetest

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/lifecycle"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

// Env is the environment of a test service: loopback ports, a 200ms drain, a 5s timeout.
func Env(extra map[string]string) map[string]string {
	env := map[string]string{
		"HTTP_ADDR":            "127.0.0.1:0",
		"METRICS_ADDR":         "127.0.0.1:0",
		"GRPC_ADDR":            "127.0.0.1:0",
		"SHUTDOWN_DRAIN_DELAY": "200ms",
		"SHUTDOWN_TIMEOUT":     "5s",
		"LOG_LEVEL":            "debug",
	}
	maps.Copy(env, extra)
	return env
}

// Logs is a goroutine-safe buffer for the service's logs.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Running is a started service.
type Running struct {
	Base *service.Base
	App  *lifecycle.App
	Logs *Logs

	cancel context.CancelFunc
	done   chan error
}

// Start builds the service with env and runs it until Stop (or the end of the test).
func Start(t testing.TB, name string, env map[string]string, build service.Build) *Running {
	t.Helper()
	logs := &Logs{}
	b, err := service.New(name, config.MapEnv(env), logs)
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	app, err := build(b)
	if err != nil {
		t.Fatalf("build: %v\nlogs:\n%s", err, logs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{Base: b, App: app, Logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- app.Run(ctx) }()
	Eventually(t, 2*time.Second, "service ready", b.Health.Ready)
	t.Cleanup(func() {
		r.cancel()
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			t.Errorf("%s did not stop", name)
		}
	})
	return r
}

// Signal starts the shutdown, as SIGTERM does.
func (r *Running) Signal() { r.cancel() }

// Wait returns Run's result.
func (r *Running) Wait(t testing.TB, within time.Duration) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(within):
		t.Fatalf("not stopped within %s", within)
		return nil
	}
}

// URL returns http://<addr of the named server><path>.
func (r *Running) URL(server, path string) string {
	return "http://" + r.App.Addr(server).String() + path
}

// Scrape returns the text exposition of the metrics server.
func (r *Running) Scrape(t testing.TB) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.URL("metrics", "/metrics"), nil)
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// Do sends a request and returns the status code and body.
func Do(t testing.TB, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Eventually polls cond until it holds or within has passed.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Series returns the lines of exposition that start with name (a metric name, optionally with "{" and labels).
func Series(exposition, prefix string) []string {
	var out []string
	for line := range strings.Lines(exposition) {
		if strings.HasPrefix(line, prefix) {
			out = append(out, strings.TrimRight(line, "\n"))
		}
	}
	return out
}

// RequireSeries fails the test unless a series line starts with prefix and contains every label pair in labels.
func RequireSeries(t testing.TB, exposition, prefix string, labels ...string) string {
	t.Helper()
	for _, line := range Series(exposition, prefix) {
		ok := true
		for _, l := range labels {
			if !strings.Contains(line, l) {
				ok = false
				break
			}
		}
		if ok {
			return line
		}
	}
	t.Fatalf("no series %s with %v in:\n%s", prefix, labels, filter(exposition, strings.SplitN(prefix, "{", 2)[0]))
	return ""
}

func filter(exposition, name string) string {
	lines := Series(exposition, name)
	if len(lines) == 0 {
		return "(no series named " + name + ")"
	}
	return strings.Join(lines, "\n")
}
