package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
)

// providerTimeout bounds one call to the payment provider. It stays well inside SHUTDOWN_TIMEOUT (45s in the
// manifest) so that a charge in flight when the pod is told to stop still completes.
const providerTimeout = 20 * time.Second

var (
	errDeclined            = errors.New("payment declined by the provider")
	errProviderUnavailable = errors.New("payment provider unavailable")
)

// charge is what the provider answers.
type charge struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// providerClient calls the provider's charge API: POST {PROVIDER_URL}/v1/charges.
type providerClient struct {
	base   *url.URL
	apiKey string
	http   *http.Client
}

func newProviderClient(base *url.URL, apiKey string, mp metric.MeterProvider) *providerClient {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 32
	return &providerClient{
		base:   base,
		apiKey: apiKey,
		// otelhttp.NewTransport adds http_client_request_duration_seconds for the calls to the provider.
		http: &http.Client{Transport: otelhttp.NewTransport(transport, otelhttp.WithMeterProvider(mp)), Timeout: providerTimeout},
	}
}

// Charge asks the provider for amountCents in currency; orderID is the idempotency key, so that a retry after a
// timeout does not charge twice.
func (c *providerClient) Charge(ctx context.Context, orderID string, amountCents int64, currency string) (charge, error) {
	body, _ := json.Marshal(map[string]any{"amount": amountCents, "currency": currency, "reference": orderID})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.JoinPath("v1", "charges").String(), bytes.NewReader(body))
	if err != nil {
		return charge{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", orderID)
	resp, err := c.http.Do(req)
	if err != nil {
		return charge{}, fmt.Errorf("%w: %w", errProviderUnavailable, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPaymentRequired:
		return charge{}, errDeclined
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return charge{}, fmt.Errorf("%w: status %d", errProviderUnavailable, resp.StatusCode)
	}
	var ch charge
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ch); err != nil || ch.ID == "" {
		return charge{}, fmt.Errorf("%w: unreadable answer", errProviderUnavailable)
	}
	return ch, nil
}
