// Package service is the common start of the three programs: logging, runtime settings, shutdown timings, the
// health state, the fault switch, the metrics registry and server, and the signal handling of main.
package service

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/fault"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/lifecycle"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/logging"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/metrics"
)

// The ports of Gantry's manifests; the *_ADDR variables exist for local runs and tests.
const (
	DefaultHTTPAddr    = ":8080" // container port "http": the API and the probes
	DefaultMetricsAddr = ":9090" // container port "metrics": /metrics (and /fault)
	DefaultGRPCAddr    = ":9000" // container port "grpc"
)

// Base is what every service starts with.
type Base struct {
	Name     string
	Getenv   config.Getenv
	Logger   *slog.Logger
	Health   *health.State
	Shutdown config.Shutdown
	Fault    *fault.Injector
	Registry *prometheus.Registry
}

// New reads the common environment (LOG_LEVEL, SHUTDOWN_DRAIN_DELAY, SHUTDOWN_TIMEOUT, FAULT_INJECTION) and logs the
// start with GOMAXPROCS and GOMEMLIMIT.
func New(name string, getenv config.Getenv, logOut io.Writer) (*Base, error) {
	level, err := logging.ParseLevel(getenv("LOG_LEVEL"))
	if err != nil {
		return nil, err
	}
	logger := logging.New(logOut, level, name)
	logging.LogStart(logger, logging.ReadRuntime(getenv))
	shutdown, err := config.ShutdownFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return &Base{
		Name:     name,
		Getenv:   getenv,
		Logger:   logger,
		Health:   health.New(),
		Shutdown: shutdown,
		Fault:    fault.FromEnv(getenv, logger),
		Registry: metrics.NewRegistry(),
	}, nil
}

// Addr returns the listen address in env key, or def.
func (b *Base) Addr(key, def string) string { return config.String(b.Getenv, key, def) }

// NewApp returns an App whose first server (so the last to stop) is the metrics server on METRICS_ADDR.
func (b *Base) NewApp() (*lifecycle.App, error) {
	app := lifecycle.New(b.Logger, b.Health, b.Shutdown)
	ms, err := lifecycle.ListenHTTP("metrics", b.Addr("METRICS_ADDR", DefaultMetricsAddr), metrics.Mux(b.Registry, b.Fault), b.Logger)
	if err != nil {
		return nil, err
	}
	app.Add(ms)
	return app, nil
}

// Build makes a service's App from its Base.
type Build func(b *Base) (*lifecycle.App, error)

// Run builds and runs a service until ctx is done. It returns the process's exit code.
func Run(ctx context.Context, name string, getenv config.Getenv, logOut io.Writer, build Build) int {
	b, err := New(name, getenv, logOut)
	if err != nil {
		// The logger may be what failed (LOG_LEVEL): log at the info level.
		logging.New(logOut, slog.LevelInfo, name).Error("invalid configuration", "error", err.Error())
		return 1
	}
	app, err := build(b)
	if err != nil {
		b.Logger.Error("startup failed", "error", err.Error())
		return 1
	}
	if err := app.Run(ctx); err != nil {
		// A server failed, or the graceful shutdown ran out of SHUTDOWN_TIMEOUT (lifecycle.ErrShutdownTimeout).
		b.Logger.Error("stopped with an error", "error", err.Error())
		return 1
	}
	b.Logger.Info("bye")
	return 0
}

// Main runs a service as a process: SIGTERM (from the kubelet) or SIGINT (Ctrl-C) starts the graceful shutdown.
func Main(name string, build Build) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	go func() {
		// Once the shutdown has begun, a second signal (Ctrl-C twice) ends the process at once.
		<-ctx.Done()
		stop()
	}()
	code := Run(ctx, name, os.Getenv, os.Stdout, build)
	stop()
	os.Exit(code)
}
