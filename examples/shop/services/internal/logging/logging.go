// Package logging sets up structured JSON logs on stdout and logs the runtime settings Gantry derives from the
// container limits.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
)

// ParseLevel reads LOG_LEVEL: debug, info (the default when empty), warn or error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if strings.TrimSpace(s) == "" {
		return slog.LevelInfo, nil
	}
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", s)
	}
	return l, nil
}

// New returns a JSON logger writing to w, with a "service" attribute on every record.
func New(w io.Writer, level slog.Level, service string) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	return slog.New(h).With("service", service)
}

// Runtime is what the Go runtime made of GOMAXPROCS and GOMEMLIMIT.
type Runtime struct {
	GoVersion       string
	GOMAXPROCSEnv   string // as set: Gantry's downward API gives the CPU limit rounded up to a whole CPU
	GOMAXPROCS      int    // in effect
	GOMEMLIMITEnv   string // as set: the memory limit in bytes, without a unit
	GOMEMLIMITBytes int64  // in effect (math.MaxInt64 when there is none)
	NumCPU          int
}

// ReadRuntime returns the runtime settings; the runtime itself has already parsed GOMAXPROCS and GOMEMLIMIT (it
// accepts a bare byte count such as 268435456, or a unit such as 256MiB, and refuses to start on a malformed one).
func ReadRuntime(getenv func(string) string) Runtime {
	return Runtime{
		GoVersion:       runtime.Version(),
		GOMAXPROCSEnv:   getenv("GOMAXPROCS"),
		GOMAXPROCS:      runtime.GOMAXPROCS(0),
		GOMEMLIMITEnv:   getenv("GOMEMLIMIT"),
		GOMEMLIMITBytes: debug.SetMemoryLimit(-1),
		NumCPU:          runtime.NumCPU(),
	}
}

// LogStart logs the service's start with its runtime settings.
func LogStart(logger *slog.Logger, rt Runtime) {
	logger.Info("starting",
		"go_version", rt.GoVersion,
		"gomaxprocs", rt.GOMAXPROCS,
		"gomaxprocs_env", rt.GOMAXPROCSEnv,
		"gomemlimit_bytes", rt.GOMEMLIMITBytes,
		"gomemlimit_env", rt.GOMEMLIMITEnv,
		"num_cpu", rt.NumCPU,
	)
}
