package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/inventoryapi"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/servicetest"
)

func dial(t *testing.T, r *servicetest.Running) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(r.App.Addr("grpc").String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func probe(t *testing.T, conn *grpc.ClientConn, service string) healthpb.HealthCheckResponse_ServingStatus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		t.Fatalf("health check %q: %v", service, err)
	}
	return resp.GetStatus()
}

// TestInventory runs the inventory as its manifest does (ports apart) and checks its probes, API, metrics, fault
// switch and shutdown.
func TestInventory(t *testing.T) {
	r := servicetest.Start(t, "inventory", servicetest.Env(map[string]string{"FAULT_INJECTION": "enabled", "SHUTDOWN_DRAIN_DELAY": "300ms"}), build)
	conn := dial(t, r)
	api := inventoryapi.NewClient(conn)
	ctx := context.Background()

	// The three probes of the manifest: startup (""), liveness, readiness.
	for _, svc := range []string{"", "liveness", "readiness", inventoryapi.ServiceName} {
		if got := probe(t, conn, svc); got != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("health %q = %v, want SERVING", svc, got)
		}
	}
	// Port "http" answers the HTTP probes too.
	if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/healthz"), ""); code != 200 {
		t.Errorf("GET :http/healthz = %d", code)
	}
	if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/readyz"), ""); code != 200 {
		t.Errorf("GET :http/readyz = %d", code)
	}

	// The API.
	if n, err := api.GetStock(ctx, "apple"); err != nil || n != 100 {
		t.Fatalf("GetStock(apple) = %d, %v", n, err)
	}
	if n, err := api.Reserve(ctx, "cherry", 15); err != nil || n != 25 {
		t.Fatalf("Reserve(cherry, 15) = %d, %v", n, err)
	}
	if _, err := api.Reserve(ctx, "cherry", 26); status.Code(err) != codes.FailedPrecondition {
		t.Errorf("Reserve beyond the stock: %v, want FailedPrecondition", err)
	}
	if n, err := api.Release(ctx, "cherry", 15); err != nil || n != 40 {
		t.Errorf("Release = %d, %v", n, err)
	}
	if _, err := api.GetStock(ctx, "durian"); status.Code(err) != codes.NotFound {
		t.Errorf("unknown sku: %v, want NotFound", err)
	}

	// Fault switch: every business call fails with Unavailable; health checks do not.
	if code, body := servicetest.Do(t, http.MethodPut, r.URL("metrics", "/fault?error_ratio=1&latency=20ms"), ""); code != 200 {
		t.Fatalf("PUT /fault = %d %s", code, body)
	}
	start := time.Now()
	if _, err := api.GetStock(ctx, "apple"); status.Code(err) != codes.Unavailable {
		t.Errorf("with error_ratio=1: %v, want Unavailable", err)
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Error("latency not injected")
	}
	for _, svc := range []string{"", "liveness", "readiness"} {
		if got := probe(t, conn, svc); got != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("health %q faulted: %v", svc, got)
		}
	}
	servicetest.Do(t, http.MethodDelete, r.URL("metrics", "/fault"), "")
	if _, err := api.GetStock(ctx, "apple"); err != nil {
		t.Errorf("after DELETE /fault: %v", err)
	}

	// Metrics: the names the PrometheusRule and the dashboard query.
	m := r.Scrape(t)
	svc := `grpc_service="shop.inventory.v1.Inventory"`
	servicetest.RequireSeries(t, m, "grpc_server_handled_total{", `grpc_code="OK"`, `grpc_method="Reserve"`, svc, `grpc_type="unary"`)
	servicetest.RequireSeries(t, m, "grpc_server_handled_total{", `grpc_code="FailedPrecondition"`, `grpc_method="Reserve"`)
	servicetest.RequireSeries(t, m, "grpc_server_handled_total{", `grpc_code="Unavailable"`, `grpc_method="GetStock"`, svc)
	servicetest.RequireSeries(t, m, "grpc_server_handling_seconds_bucket{", `grpc_method="GetStock"`, `le="+Inf"`)
	servicetest.RequireSeries(t, m, "grpc_server_handling_seconds_sum{", `grpc_method="Reserve"`)
	servicetest.RequireSeries(t, m, "grpc_server_started_total{", `grpc_method="Release"`)
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds_sum", "go_memstats_heap_inuse_bytes", "process_resident_memory_bytes"} {
		servicetest.RequireSeries(t, m, name+" ")
	}
	// The probes are not counted: they would keep the request rate above zero during an outage.
	if strings.Contains(m, "grpc.health.v1.Health") {
		t.Errorf("health checks are in the metrics:\n%s", strings.Join(servicetest.Series(m, "grpc_server_handled_total{"), "\n"))
	}
	ok := servicetest.RequireSeries(t, m, "grpc_server_handled_total{", `grpc_code="OK"`, `grpc_method="GetStock"`)
	if !strings.HasSuffix(ok, " 2") {
		t.Errorf("GetStock OK count: %s, want 2", ok)
	}

	// SIGTERM: readiness NOT_SERVING at once, liveness SERVING, still serving during the drain.
	r.Signal()
	servicetest.Eventually(t, time.Second, "readiness NOT_SERVING", func() bool {
		return probe(t, conn, "readiness") == healthpb.HealthCheckResponse_NOT_SERVING
	})
	if got := probe(t, conn, "liveness"); got != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("liveness while draining = %v, want SERVING", got)
	}
	if got := probe(t, conn, inventoryapi.ServiceName); got != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("%s while draining = %v, want NOT_SERVING", inventoryapi.ServiceName, got)
	}
	if _, err := api.GetStock(ctx, "apple"); err != nil {
		t.Errorf("RPC during the drain: %v", err)
	}
	if err := r.Wait(t, 5*time.Second); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	for _, msg := range []string{`"msg":"draining: readiness fails, still serving"`, `"server":"grpc"`, `"msg":"shutdown complete"`} {
		if !strings.Contains(r.Logs.String(), msg) {
			t.Errorf("logs lack %s", msg)
		}
	}
}

func TestStore(t *testing.T) {
	s := newStore(map[string]int64{"a": 1})
	ctx := context.Background()
	if _, err := s.GetStock(ctx, wrapperspb.String("")); status.Code(err) != codes.InvalidArgument {
		t.Errorf("empty sku: %v", err)
	}
	if _, err := s.Reserve(ctx, inventoryapi.NewReservation("a", 2)); status.Code(err) != codes.FailedPrecondition {
		t.Errorf("over-reserve: %v", err)
	}
	if _, err := s.Release(ctx, inventoryapi.NewReservation("b", 1)); status.Code(err) != codes.NotFound {
		t.Errorf("release unknown: %v", err)
	}
	if n, err := s.Reserve(ctx, inventoryapi.NewReservation("a", 1)); err != nil || n.GetValue() != 0 {
		t.Errorf("reserve last = %v, %v", n, err)
	}
}
