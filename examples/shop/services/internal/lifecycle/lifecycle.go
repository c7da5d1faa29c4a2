// Package lifecycle runs a service's servers and shuts them down the way Gantry's manifests expect.
//
// On SIGTERM (the context given to Run is cancelled):
//
//  1. readiness fails at once, so the pod leaves the Service's endpoints;
//  2. the servers keep serving for SHUTDOWN_DRAIN_DELAY, while kube-proxy, ingress controllers and meshes catch up;
//  3. each server is shut down gracefully (http.Server.Shutdown, grpc.Server.GracefulStop), in reverse order of
//     registration so that the metrics server goes last, all within SHUTDOWN_TIMEOUT;
//  4. Run returns nil and the process exits 0, well inside terminationGracePeriodSeconds (drain + timeout + 5s).
//
// A server that has not finished by the timeout is closed hard and Run returns ErrShutdownTimeout.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
)

// ErrShutdownTimeout is returned by Run when a server did not stop within SHUTDOWN_TIMEOUT.
var ErrShutdownTimeout = errors.New("graceful shutdown did not finish within SHUTDOWN_TIMEOUT")

// Server is one listening server of the process.
type Server interface {
	// Name identifies the server in logs ("http", "grpc", "metrics").
	Name() string
	// Addr is the address the server listens on (bound before Run, so that tests can use port 0).
	Addr() net.Addr
	// Serve blocks until the server stops; it returns nil after a graceful stop.
	Serve() error
	// Drain is called when the drain delay starts; the server keeps serving.
	Drain()
	// Shutdown stops the server gracefully, waiting for in-flight requests until ctx is done.
	Shutdown(ctx context.Context) error
	// Close stops the server at once.
	Close()
}

// App is a set of servers with a health state and shutdown timings.
type App struct {
	Logger   *slog.Logger
	Health   *health.State
	Shutdown config.Shutdown
	servers  []Server
	byName   map[string]Server
	closers  []func() error
}

// New returns an App without servers.
func New(logger *slog.Logger, state *health.State, shutdown config.Shutdown) *App {
	return &App{Logger: logger, Health: state, Shutdown: shutdown, byName: map[string]Server{}}
}

// Add registers servers; they start in this order and stop in the reverse one.
func (a *App) Add(servers ...Server) {
	for _, s := range servers {
		a.servers = append(a.servers, s)
		a.byName[s.Name()] = s
	}
}

// OnStop registers fn to run after every server has stopped (close clients, flush telemetry), in reverse order.
func (a *App) OnStop(fn func() error) { a.closers = append(a.closers, fn) }

// Addr returns the bound address of the named server, or nil.
func (a *App) Addr(name string) net.Addr {
	if s, ok := a.byName[name]; ok {
		return s.Addr()
	}
	return nil
}

// Close closes every server at once and runs the OnStop functions (for an App that is built but never run).
func (a *App) Close() {
	for _, s := range a.servers {
		s.Close()
	}
	a.runClosers()
}

func (a *App) runClosers() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](); err != nil {
			a.Logger.Warn("cleanup failed", "error", err)
		}
	}
}

// Run serves until ctx is cancelled or a server fails, then shuts down as the package documentation describes.
func (a *App) Run(ctx context.Context) error {
	errs := make(chan error, len(a.servers))
	var wg sync.WaitGroup
	for _, s := range a.servers {
		a.Logger.Info("serving", "server", s.Name(), "addr", s.Addr().String())
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Serve(); err != nil {
				errs <- fmt.Errorf("%s server: %w", s.Name(), err)
			}
		}()
	}
	// Every listener is bound and every server is accepting: the service is ready.
	a.Health.SetReady(true)
	a.Logger.Info("ready")

	var failure error
	select {
	case <-ctx.Done():
		a.Logger.Info("shutdown signal received", "drain_delay", a.Shutdown.DrainDelay.String(), "shutdown_timeout", a.Shutdown.Timeout.String())
	case failure = <-errs:
		a.Logger.Error("server failed, shutting down", "error", failure)
	}

	a.Health.SetReady(false)
	if failure == nil {
		for _, s := range a.servers {
			s.Drain()
		}
		a.Logger.Info("draining: readiness fails, still serving", "for", a.Shutdown.DrainDelay.String())
		time.Sleep(a.Shutdown.DrainDelay)
	}

	start := time.Now()
	sctx, cancel := context.WithTimeout(context.Background(), a.Shutdown.Timeout)
	defer cancel()
	timedOut := false
	for i := len(a.servers) - 1; i >= 0; i-- {
		s := a.servers[i]
		if err := s.Shutdown(sctx); err != nil {
			a.Logger.Error("graceful shutdown failed; closing", "server", s.Name(), "error", err)
			s.Close()
			if errors.Is(err, context.DeadlineExceeded) {
				timedOut = true
			}
		} else {
			a.Logger.Info("server stopped", "server", s.Name())
		}
	}
	wg.Wait()
	a.runClosers()
	a.Logger.Info("shutdown complete", "took", time.Since(start).String())
	switch {
	case failure != nil:
		return failure
	case timedOut:
		return ErrShutdownTimeout
	}
	return nil
}

// HTTPServer is a Server for net/http.
type HTTPServer struct {
	name string
	srv  *http.Server
	ln   net.Listener
}

// ListenHTTP binds addr and returns a server for handler with production timeouts.
func ListenHTTP(name, addr string, handler http.Handler, logger *slog.Logger) (*HTTPServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s server: %w", name, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return &HTTPServer{name: name, srv: srv, ln: ln}, nil
}

func (h *HTTPServer) Name() string   { return h.name }
func (h *HTTPServer) Addr() net.Addr { return h.ln.Addr() }

func (h *HTTPServer) Serve() error {
	if err := h.srv.Serve(h.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Drain turns keep-alives off: clients that reuse a connection get "Connection: close" and reconnect, by then to
// another pod.
func (h *HTTPServer) Drain() { h.srv.SetKeepAlivesEnabled(false) }

func (h *HTTPServer) Shutdown(ctx context.Context) error { return h.srv.Shutdown(ctx) }

// Close stops the server at once; it also releases a listener that Serve never took.
func (h *HTTPServer) Close() {
	_ = h.srv.Close()
	_ = h.ln.Close()
}
