package service

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/lifecycle"
)

// buf is a goroutine-safe log sink.
type buf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *buf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func env(extra map[string]string) config.Getenv {
	m := map[string]string{"METRICS_ADDR": "127.0.0.1:0", "SHUTDOWN_DRAIN_DELAY": "10ms", "SHUTDOWN_TIMEOUT": "1s"}
	for k, v := range extra {
		m[k] = v
	}
	return config.MapEnv(m)
}

func TestRunExitCodes(t *testing.T) {
	ok := func(b *Base) (*lifecycle.App, error) { return b.NewApp() }

	// Signalled: graceful stop, exit 0.
	ctx, cancel := context.WithCancel(context.Background())
	var out buf
	done := make(chan int, 1)
	go func() { done <- Run(ctx, "svc", env(nil), &out, ok) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("graceful stop: exit %d\n%s", code, out.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	for _, msg := range []string{`"msg":"starting"`, `"gomaxprocs":`, `"gomemlimit_bytes":`, `"msg":"ready"`, `"msg":"bye"`, `"service":"svc"`} {
		if !strings.Contains(out.String(), msg) {
			t.Errorf("logs lack %s:\n%s", msg, out.String())
		}
	}

	for name, c := range map[string]struct {
		env   map[string]string
		build Build
		want  string
	}{
		"bad LOG_LEVEL":        {map[string]string{"LOG_LEVEL": "loud"}, ok, "LOG_LEVEL"},
		"bad SHUTDOWN_TIMEOUT": {map[string]string{"SHUTDOWN_TIMEOUT": "20"}, ok, "SHUTDOWN_TIMEOUT"},
		"build fails":          {nil, func(*Base) (*lifecycle.App, error) { return nil, errors.New("no config") }, "no config"},
		"port in use":          {map[string]string{"METRICS_ADDR": "256.0.0.1:1"}, ok, "metrics server"},
	} {
		var out buf
		if code := Run(context.Background(), "svc", env(c.env), &out, c.build); code != 1 {
			t.Errorf("%s: exit %d, want 1", name, code)
		}
		if !strings.Contains(out.String(), c.want) || !strings.Contains(out.String(), `"level":"ERROR"`) {
			t.Errorf("%s: logs lack %q:\n%s", name, c.want, out.String())
		}
	}
}
