package logging

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{"": slog.LevelInfo, "info": slog.LevelInfo, "debug": slog.LevelDebug, "WARN": slog.LevelWarn, "error": slog.LevelError} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseLevel("verbose"); err == nil {
		t.Error("ParseLevel(verbose) accepted")
	}
}

func TestJSONStart(t *testing.T) {
	var buf bytes.Buffer
	LogStart(New(&buf, slog.LevelInfo, "orders"), Runtime{GoVersion: "go1.26", GOMAXPROCSEnv: "2", GOMAXPROCS: 2, GOMEMLIMITEnv: "402653184", GOMEMLIMITBytes: 402653184})
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("not one JSON object: %q", buf.String())
	}
	for k, v := range map[string]any{"msg": "starting", "level": "INFO", "service": "orders", "gomaxprocs": 2.0, "gomemlimit_bytes": 402653184.0, "gomemlimit_env": "402653184"} {
		if rec[k] != v {
			t.Errorf("%s = %v, want %v", k, rec[k], v)
		}
	}
}

// TestRuntimeAcceptsGantryValues runs this test binary again with the environment Gantry's downward API produces
// (divisor 1: a whole CPU count, and the memory limit as a bare number of bytes) and checks what the runtime made
// of it. A Kubernetes-style quantity such as 384Mi is malformed for Go (it wants 384MiB) and stops the program.
func TestRuntimeAcceptsGantryValues(t *testing.T) {
	if os.Getenv("LOGGING_TEST_CHILD") == "1" {
		rt := ReadRuntime(os.Getenv)
		fmt.Printf("RESULT %d %d\n", rt.GOMAXPROCS, rt.GOMEMLIMITBytes)
		return
	}
	child := func(gomaxprocs, gomemlimit string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRuntimeAcceptsGantryValues$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LOGGING_TEST_CHILD=1", "GOMAXPROCS="+gomaxprocs, "GOMEMLIMIT="+gomemlimit)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, c := range []struct{ procs, mem, want string }{
		{"1", "268435456", "RESULT 1 268435456"}, // 1 CPU, 256Mi: the defaults
		{"2", "536870912", "RESULT 2 536870912"}, // orders in prod: 2 CPUs, 512Mi
		{"1", "384MiB", "RESULT 1 402653184"},    // a unit Go knows
	} {
		out, err := child(c.procs, c.mem)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("GOMAXPROCS=%s GOMEMLIMIT=%s: %v\n%s", c.procs, c.mem, err, out)
		}
	}
	out, err := child("1", "384Mi")
	if err == nil || !strings.Contains(out, "GOMEMLIMIT") {
		t.Errorf("GOMEMLIMIT=384Mi: want the runtime to refuse it, got %v\n%s", err, out)
	}
}
