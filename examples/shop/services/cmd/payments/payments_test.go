package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/servicetest"
)

// fakeProvider is the payment provider: it checks the API key and the idempotency key, and declines 9900 cents.
type fakeProvider struct {
	mu    sync.Mutex
	calls int
	keys  []string
}

func (p *fakeProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.calls++
	p.keys = append(p.keys, r.Header.Get("Idempotency-Key"))
	p.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/v1/charges" {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer sk_test_123" {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var req struct {
		Amount    int64  `json:"amount"`
		Currency  string `json:"currency"`
		Reference string `json:"reference"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	switch req.Amount {
	case 9900:
		http.Error(w, `{"error":"card_declined"}`, http.StatusPaymentRequired)
	case 5000:
		http.Error(w, "oops", http.StatusServiceUnavailable)
	default:
		_ = json.NewEncoder(w).Encode(map[string]string{"id": "ch_" + req.Reference, "status": "succeeded"})
	}
}

func startPayments(t *testing.T, extra map[string]string) (*servicetest.Running, *fakeProvider) {
	t.Helper()
	p := &fakeProvider{}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "provider-api-key"), []byte("sk_test_123\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	env := servicetest.Env(map[string]string{"PROVIDER_URL": srv.URL, "SECRETS_DIR": dir, "SHUTDOWN_TIMEOUT": "45s"})
	for k, v := range extra {
		env[k] = v
	}
	return servicetest.Start(t, "payments", env, build), p
}

func TestPayments(t *testing.T) {
	r, provider := startPayments(t, map[string]string{"FAULT_INJECTION": "enabled"})
	post := func(body string) (int, string) {
		return servicetest.Do(t, http.MethodPost, r.URL("http", "/payments"), body)
	}
	code, body := post(`{"order_id":"ord_1","amount_cents":450,"currency":"eur"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST /payments = %d %s", code, body)
	}
	var p payment
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.ChargeID != "ch_ord_1" || p.Status != "captured" || p.Currency != "EUR" {
		t.Fatalf("payment = %+v, %v", p, err)
	}
	// Idempotent: the same order is not charged twice.
	if code, again := post(`{"order_id":"ord_1","amount_cents":450,"currency":"EUR"}`); code != 200 || !strings.Contains(again, p.ID) {
		t.Errorf("retry = %d %s, want 200 with %s", code, again, p.ID)
	}
	if code, got := servicetest.Do(t, http.MethodGet, r.URL("http", "/payments/"+p.ID), ""); code != 200 || !strings.Contains(got, "ord_1") {
		t.Errorf("GET = %d %s", code, got)
	}
	for body, want := range map[string]int{
		`{"order_id":"ord_2","amount_cents":9900,"currency":"EUR"}`: http.StatusPaymentRequired,
		`{"order_id":"ord_3","amount_cents":5000,"currency":"EUR"}`: http.StatusBadGateway,
		`{"order_id":"","amount_cents":100,"currency":"EUR"}`:       http.StatusBadRequest,
		`{"order_id":"ord_4","amount_cents":-1,"currency":"EUR"}`:   http.StatusBadRequest,
	} {
		if code, got := post(body); code != want {
			t.Errorf("POST %s = %d %s, want %d", body, code, got, want)
		}
	}
	provider.mu.Lock()
	if provider.calls != 3 || provider.keys[0] != "ord_1" {
		t.Errorf("provider calls = %d, idempotency keys %v", provider.calls, provider.keys)
	}
	provider.mu.Unlock()

	// Fault switch: every request fails; the probes do not.
	servicetest.Do(t, http.MethodPut, r.URL("metrics", "/fault?error_ratio=1"), "")
	if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/payments/"+p.ID), ""); code != 500 {
		t.Errorf("faulted GET = %d, want 500", code)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", path), ""); code != 200 {
			t.Errorf("%s faulted: %d", path, code)
		}
	}
	servicetest.Do(t, http.MethodDelete, r.URL("metrics", "/fault"), "")

	// Metrics: OpenTelemetry's names through the Prometheus exporter, and the Go collector on the same endpoint.
	m := r.Scrape(t)
	servicetest.RequireSeries(t, m, "http_server_request_duration_seconds_bucket{", `http_response_status_code="201"`, `http_request_method="POST"`, `http_route="/payments"`, `le="0.005"`)
	servicetest.RequireSeries(t, m, "http_server_request_duration_seconds_count{", `http_response_status_code="402"`)
	servicetest.RequireSeries(t, m, "http_server_request_duration_seconds_count{", `http_response_status_code="500"`, `http_request_method="GET"`)
	servicetest.RequireSeries(t, m, "http_server_request_duration_seconds_sum{", `server_address="payments"`)
	servicetest.RequireSeries(t, m, "http_client_request_duration_seconds_count{", `http_response_status_code="200"`)
	servicetest.RequireSeries(t, m, "target_info{", `service_name="payments"`)
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds_sum", "go_memstats_heap_inuse_bytes", "process_cpu_seconds_total"} {
		servicetest.RequireSeries(t, m, name+" ")
	}
	if strings.Contains(m, `http_route="/healthz"`) || strings.Contains(m, `http_route="/readyz"`) {
		t.Error("probes are in the request metrics")
	}
	// What Gantry's default monitoring queries does not exist here: see the README.
	if strings.Contains(m, "\nhttp_requests_total") || strings.Contains(m, "\nhttp_request_duration_seconds_bucket") {
		t.Error("unexpected promhttp metrics")
	}
}

func TestPaymentsShutdown(t *testing.T) {
	r, _ := startPayments(t, nil)
	r.Signal()
	servicetest.Eventually(t, time.Second, "readyz 503", func() bool {
		code, _ := servicetest.Do(t, http.MethodGet, r.URL("http", "/readyz"), "")
		return code == 503
	})
	if code, _ := servicetest.Do(t, http.MethodPost, r.URL("http", "/payments"), `{"order_id":"o","amount_cents":1,"currency":"EUR"}`); code != 201 {
		t.Errorf("charge during the drain = %d", code)
	}
	if err := r.Wait(t, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestSettings(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		env  map[string]string
		want string
	}{
		"no url":     {map[string]string{"SECRETS_DIR": dir}, "PROVIDER_URL is required"},
		"bad url":    {map[string]string{"PROVIDER_URL": "api.payments.example", "SECRETS_DIR": dir}, "not an absolute"},
		"no api key": {map[string]string{"PROVIDER_URL": "https://api.payments.example", "SECRETS_DIR": dir}, filepath.Join(dir, "provider-api-key")},
	} {
		if _, err := loadSettings(config.MapEnv(c.env)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
