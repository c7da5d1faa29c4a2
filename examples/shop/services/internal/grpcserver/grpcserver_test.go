package grpcserver

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/fault"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func check(t *testing.T, c healthpb.HealthClient, service string) healthpb.HealthCheckResponse_ServingStatus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, err := c.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		t.Fatalf("Check(%q): %v", service, err)
	}
	return resp.GetStatus()
}

// TestHealthProbes checks the answers the kubelet's gRPC probes get: startup "", liveness "liveness", readiness
// "readiness", through startup, serving and shutdown.
func TestHealthProbes(t *testing.T) {
	state := health.New()
	gs := grpc.NewServer()
	healthpb.RegisterHealthServer(gs, NewHealth(state, "shop.test.v1.Thing"))
	srv, err := Listen("grpc", "127.0.0.1:0", gs)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve() }()
	defer srv.Close()
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := healthpb.NewHealthClient(conn)

	const S, N = healthpb.HealthCheckResponse_SERVING, healthpb.HealthCheckResponse_NOT_SERVING
	expect := func(phase string, want map[string]healthpb.HealthCheckResponse_ServingStatus) {
		t.Helper()
		for svc, w := range want {
			if got := check(t, c, svc); got != w {
				t.Errorf("%s: Check(%q) = %v, want %v", phase, svc, got, w)
			}
		}
	}
	expect("starting", map[string]healthpb.HealthCheckResponse_ServingStatus{"": N, "liveness": S, "readiness": N, "shop.test.v1.Thing": N})
	state.SetReady(true)
	expect("ready", map[string]healthpb.HealthCheckResponse_ServingStatus{"": S, "liveness": S, "readiness": S, "shop.test.v1.Thing": S})
	state.SetReady(false) // SIGTERM
	expect("draining", map[string]healthpb.HealthCheckResponse_ServingStatus{"": S, "liveness": S, "readiness": N, "shop.test.v1.Thing": N})

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.Check(ctx, &healthpb.HealthCheckRequest{Service: "unknown"}); status.Code(err) != codes.NotFound {
		t.Errorf("unknown service: %v, want NotFound", err)
	}
}

func TestFaultInterceptor(t *testing.T) {
	inj := fault.New(true, discard)
	if err := inj.Set(fault.Setting{ErrorRatio: 1}); err != nil {
		t.Fatal(err)
	}
	icpt := FaultUnaryInterceptor(inj)
	handler := func(context.Context, any) (any, error) { return "ok", nil }

	_, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/shop.inventory.v1.Inventory/Reserve"}, handler)
	if status.Code(err) != codes.Unavailable {
		t.Errorf("business call: %v, want Unavailable", err)
	}
	out, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/grpc.health.v1.Health/Check"}, handler)
	if err != nil || out != "ok" {
		t.Errorf("health check faulted: %v", err)
	}
	off := FaultUnaryInterceptor(fault.New(false, discard))
	if _, err := off(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x.Y/Z"}, handler); err != nil {
		t.Errorf("disabled switch: %v", err)
	}
}

func TestIsHealthMethod(t *testing.T) {
	if !IsHealthMethod("/grpc.health.v1.Health/Check") || !IsHealthMethod("/grpc.health.v1.Health/Watch") {
		t.Error("health methods not recognised")
	}
	if IsHealthMethod("/grpc.health.v1.HealthX/Check") || IsHealthMethod("/shop.inventory.v1.Inventory/Reserve") {
		t.Error("other methods taken for health")
	}
}

// TestGracefulStopBounded: Shutdown waits for running RPCs, but no longer than its context.
func TestGracefulStopBounded(t *testing.T) {
	gs := grpc.NewServer()
	release := make(chan struct{})
	defer close(release)
	gs.RegisterService(&grpc.ServiceDesc{
		ServiceName: "test.Slow",
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Wait", Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(healthpb.HealthCheckRequest)
			if err := dec(in); err != nil {
				return nil, err
			}
			select {
			case <-release:
			case <-ctx.Done():
			}
			return &healthpb.HealthCheckResponse{}, nil
		}}},
	}, struct{}{})
	srv, err := Listen("grpc", "127.0.0.1:0", gs)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve() }()
	conn, err := grpc.NewClient(srv.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		_ = conn.Invoke(context.Background(), "/test.Slow/Wait", &healthpb.HealthCheckRequest{}, &healthpb.HealthCheckResponse{})
	}()
	time.Sleep(100 * time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(ctx); err == nil {
		t.Error("Shutdown returned nil with an RPC still running")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Shutdown took %s, want it bounded by its context", took)
	}
}
