// Package config reads what Gantry hands a service: environment variables, mounted files and secret files.
//
// Every function takes the environment as a Getenv (os.Getenv in main, a map in tests) so that nothing here reads
// global state.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Getenv looks up an environment variable; os.Getenv satisfies it.
type Getenv func(key string) string

// MapEnv is a Getenv backed by a map, for tests.
func MapEnv(m map[string]string) Getenv {
	return func(key string) string { return m[key] }
}

// String returns the variable, or def when it is unset or empty.
func String(getenv Getenv, key, def string) string {
	if v := strings.TrimSpace(getenv(key)); v != "" {
		return v
	}
	return def
}

// Duration parses the variable with time.ParseDuration ("5s", "1m30s"), or returns def when it is unset or empty.
// Negative durations are rejected.
func Duration(getenv Getenv, key string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(key))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not a Go duration such as 5s or 1m30s: %w", key, v, err)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s=%q: must not be negative", key, v)
	}
	return d, nil
}

// Shutdown holds the graceful shutdown timings Gantry sets on every container.
type Shutdown struct {
	// DrainDelay is how long the server keeps serving after SIGTERM, with readiness failing, so that the endpoints
	// controller, kube-proxy and any mesh stop sending it new requests (SHUTDOWN_DRAIN_DELAY).
	DrainDelay time.Duration
	// Timeout bounds http.Server.Shutdown and grpc.Server.GracefulStop once the drain delay is over (SHUTDOWN_TIMEOUT).
	Timeout time.Duration
}

// Gantry's defaults: a 5s drain, a 20s shutdown timeout and terminationGracePeriodSeconds = 5 + 20 + 5.
const (
	DefaultDrainDelay      = 5 * time.Second
	DefaultShutdownTimeout = 20 * time.Second
)

// ShutdownFromEnv reads SHUTDOWN_DRAIN_DELAY and SHUTDOWN_TIMEOUT.
func ShutdownFromEnv(getenv Getenv) (Shutdown, error) {
	drain, err := Duration(getenv, "SHUTDOWN_DRAIN_DELAY", DefaultDrainDelay)
	if err != nil {
		return Shutdown{}, err
	}
	timeout, err := Duration(getenv, "SHUTDOWN_TIMEOUT", DefaultShutdownTimeout)
	if err != nil {
		return Shutdown{}, err
	}
	if timeout == 0 {
		return Shutdown{}, errors.New("SHUTDOWN_TIMEOUT must be greater than zero")
	}
	return Shutdown{DrainDelay: drain, Timeout: timeout}, nil
}

// SecretsDir is where the service's secret files are mounted: SECRETS_DIR, or /var/run/secrets/<service> as Gantry
// mounts them (the projected volume of `secretFiles`).
func SecretsDir(getenv Getenv, service string) string {
	return String(getenv, "SECRETS_DIR", filepath.Join("/var/run/secrets", service))
}

// ReadSecret reads the secret file name in dir. Trailing newlines (as left by `kubectl create secret --from-file`
// or an editor) are removed; a missing, unreadable or empty file is an error that names the path but never the value.
func ReadSecret(dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("secret %s is not mounted: %w", path, err)
		}
		return "", fmt.Errorf("secret %s: %w", path, err)
	}
	v := strings.TrimRight(string(b), "\r\n")
	if strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("secret %s is empty", path)
	}
	return v, nil
}
