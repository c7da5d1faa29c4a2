package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/inventoryapi"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/servicetest"
)

// fakeInventory serves the inventory API with a stock of 5 apples.
type fakeInventory struct {
	mu       sync.Mutex
	apples   int64
	released int64
	down     bool
}

func (f *fakeInventory) GetStock(context.Context, *wrapperspb.StringValue) (*wrapperspb.Int64Value, error) {
	return nil, status.Error(codes.Unimplemented, "")
}

func (f *fakeInventory) Reserve(_ context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error) {
	sku, q, err := inventoryapi.ParseReservation(req)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.down:
		return nil, status.Error(codes.Unavailable, "down")
	case sku != "apple":
		return nil, status.Errorf(codes.NotFound, "unknown sku %q", sku)
	case q > f.apples:
		return nil, status.Errorf(codes.FailedPrecondition, "only %d left", f.apples)
	}
	f.apples -= q
	return wrapperspb.Int64(f.apples), nil
}

func (f *fakeInventory) Release(_ context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error) {
	_, q, err := inventoryapi.ParseReservation(req)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.apples += q
	f.released += q
	return wrapperspb.Int64(f.apples), nil
}

// startOrders runs orders against a fake inventory and a fake payments, with its files in a temp dir.
func startOrders(t *testing.T, payments http.HandlerFunc, extra map[string]string) (*servicetest.Running, *fakeInventory) {
	t.Helper()
	inv := &fakeInventory{apples: 5}
	gs := grpc.NewServer()
	inventoryapi.Register(gs, inv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = gs.Serve(ln) }()
	t.Cleanup(gs.Stop)
	pay := httptest.NewServer(payments)
	t.Cleanup(pay.Close)

	dir := t.TempDir()
	cfg := fmt.Sprintf("inventory_addr: %s\npayments_url: %s\nrequest_timeout: 500ms\n", ln.Addr(), pay.URL)
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db-password"), []byte("pw\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	env := servicetest.Env(map[string]string{"CONFIG_FILE": filepath.Join(dir, "config.yaml"), "SECRETS_DIR": dir, "LOG_LEVEL": "info"})
	for k, v := range extra {
		env[k] = v
	}
	return servicetest.Start(t, "orders", env, build), inv
}

// paymentsOK answers like payments: 201 with a payment id; declines 9900 cents.
func paymentsOK(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OrderID     string `json:"order_id"`
		AmountCents int64  `json:"amount_cents"`
		Currency    string `json:"currency"`
	}
	if r.Method != http.MethodPost || r.URL.Path != "/payments" || json.NewDecoder(r.Body).Decode(&req) != nil || req.OrderID == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	switch req.AmountCents {
	case 9900:
		http.Error(w, `{"error":"declined"}`, http.StatusPaymentRequired)
	case 5000:
		http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
	case 7000:
		time.Sleep(time.Second) // beyond request_timeout
	default:
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]string{"id": "pay_1", "order_id": req.OrderID})
	}
}

func TestOrders(t *testing.T) {
	r, inv := startOrders(t, paymentsOK, map[string]string{"FAULT_INJECTION": "enabled"})
	post := func(body string) (int, string) {
		return servicetest.Do(t, http.MethodPost, r.URL("http", "/orders"), body)
	}

	code, body := post(`{"sku":"apple","quantity":2,"amount_cents":450,"currency":"eur"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST /orders = %d %s", code, body)
	}
	var o order
	if err := json.Unmarshal([]byte(body), &o); err != nil || o.PaymentID != "pay_1" || o.Status != "confirmed" || o.Currency != "EUR" || !strings.HasPrefix(o.ID, "ord_") {
		t.Fatalf("order = %+v, %v", o, err)
	}
	if code, body := servicetest.Do(t, http.MethodGet, r.URL("http", "/orders/"+o.ID), ""); code != 200 || !strings.Contains(body, o.ID) {
		t.Errorf("GET /orders/{id} = %d %s", code, body)
	}
	if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/orders/ord_nope"), ""); code != 404 {
		t.Errorf("GET unknown order = %d", code)
	}

	cases := []struct {
		body string
		want int
	}{
		{`{"sku":"apple","quantity":4,"amount_cents":450,"currency":"EUR"}`, http.StatusConflict},           // 3 left
		{`{"sku":"pear","quantity":1,"amount_cents":450,"currency":"EUR"}`, http.StatusUnprocessableEntity}, // unknown sku
		{`{"sku":"apple","quantity":1,"amount_cents":9900,"currency":"EUR"}`, http.StatusPaymentRequired},   // declined
		{`{"sku":"apple","quantity":1,"amount_cents":5000,"currency":"EUR"}`, http.StatusBadGateway},        // payments 500
		{`{"sku":"apple","quantity":1,"amount_cents":7000,"currency":"EUR"}`, http.StatusGatewayTimeout},    // payments too slow
		{`{"sku":"apple","quantity":0,"amount_cents":450,"currency":"EUR"}`, http.StatusBadRequest},
		{`{"sku":"apple","quantity":1,"amount_cents":450,"currency":"EURO"}`, http.StatusBadRequest},
		{`{"sku":"apple","qty":1}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		if code, body := post(c.body); code != c.want {
			t.Errorf("POST %s = %d %s, want %d", c.body, code, body, c.want)
		}
	}
	inv.mu.Lock()
	if inv.apples != 3 || inv.released != 3 {
		t.Errorf("stock = %d, released = %d: failed payments must give the stock back", inv.apples, inv.released)
	}
	inv.down = true
	inv.mu.Unlock()
	if code, _ := post(`{"sku":"apple","quantity":1,"amount_cents":450,"currency":"EUR"}`); code != http.StatusServiceUnavailable {
		t.Errorf("inventory down: %d, want 503", code)
	}

	// Fault switch: half the API requests fail with 500; probes are untouched.
	servicetest.Do(t, http.MethodPut, r.URL("metrics", "/fault?error_ratio=0.5"), "")
	fails := 0
	for range 200 {
		if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/orders/"+o.ID), ""); code == 500 {
			fails++
		}
		if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/readyz"), ""); code != 200 {
			t.Fatal("readiness faulted")
		}
	}
	if fails < 70 || fails > 130 {
		t.Errorf("%d of 200 failed with error_ratio=0.5", fails)
	}
	servicetest.Do(t, http.MethodDelete, r.URL("metrics", "/fault"), "")

	// Metrics: promhttp's names and labels, which the PrometheusRule, the HPA's adapter and the dashboard query.
	m := r.Scrape(t)
	servicetest.RequireSeries(t, m, "http_requests_total{", `code="201"`, `method="post"`)
	servicetest.RequireSeries(t, m, "http_requests_total{", `code="409"`, `method="post"`)
	servicetest.RequireSeries(t, m, "http_requests_total{", `code="503"`, `method="post"`)
	servicetest.RequireSeries(t, m, "http_requests_total{", `code="500"`, `method="get"`)
	servicetest.RequireSeries(t, m, "http_request_duration_seconds_bucket{", `code="201"`, `method="post"`, `le="0.005"`)
	servicetest.RequireSeries(t, m, "http_request_duration_seconds_bucket{", `code="201"`, `method="post"`, `le="10"`)
	servicetest.RequireSeries(t, m, "http_request_duration_seconds_count{", `code="200"`, `method="get"`)
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds_sum", "go_memstats_heap_inuse_bytes", "process_cpu_seconds_total"} {
		servicetest.RequireSeries(t, m, name+" ")
	}
	// 200 probes ran, none counted.
	total := 0
	for _, line := range servicetest.Series(m, "http_requests_total{") {
		var n int
		_, _ = fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &n)
		total += n
	}
	if want := 1 + 2 + len(cases) + 1 + 200; total != want {
		t.Errorf("http_requests_total sums to %d, want %d (API requests only)", total, want)
	}
}

// TestOrdersShutdown: readiness fails at once on SIGTERM, requests are served during the drain, and the process
// exits cleanly.
func TestOrdersShutdown(t *testing.T) {
	r, _ := startOrders(t, paymentsOK, map[string]string{"SHUTDOWN_DRAIN_DELAY": "400ms"})
	r.Signal()
	servicetest.Eventually(t, time.Second, "readyz 503", func() bool {
		code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/readyz"), "")
		return code == 503
	})
	if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/healthz"), ""); code != 200 {
		t.Errorf("healthz while draining = %d", code)
	}
	if code, _ := servicetest.Do(t, http.MethodPost, r.URL("http", "/orders"), `{"sku":"apple","quantity":1,"amount_cents":450,"currency":"EUR"}`); code != 201 {
		t.Errorf("order during the drain = %d", code)
	}
	if err := r.Wait(t, 5*time.Second); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

func TestOrdersStartupErrors(t *testing.T) {
	dir := t.TempDir()
	var logs servicetest.Logs
	env := servicetest.Env(map[string]string{"CONFIG_FILE": filepath.Join(dir, "missing.yaml"), "SECRETS_DIR": dir})
	if code := runForTest(env, &logs); code != 1 || !strings.Contains(logs.String(), "missing.yaml") {
		t.Errorf("missing config: exit %d\n%s", code, logs.String())
	}
}
func runForTest(env map[string]string, out io.Writer) int {
	return service.Run(context.Background(), "orders", config.MapEnv(env), out, build)
}
