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

	"google.golang.org/grpc"
)

// stock is the part of the inventory API orders uses (inventoryapi.Client).
type stock interface {
	Reserve(ctx context.Context, sku string, quantity int64, opts ...grpc.CallOption) (int64, error)
	Release(ctx context.Context, sku string, quantity int64, opts ...grpc.CallOption) (int64, error)
}

var (
	errDeclined           = errors.New("payment declined")
	errPaymentsFailed     = errors.New("payments failed")
	errPaymentsBadRequest = errors.New("payments refused the request")
)

// paymentsClient calls payments: POST {payments_url}/payments.
type paymentsClient struct {
	base *url.URL
	http *http.Client
}

func newPaymentsClient(base *url.URL) *paymentsClient {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	return &paymentsClient{base: base, http: &http.Client{Transport: transport}}
}

// Charge pays for the order and returns the payment id. The order id is the idempotency key at payments.
func (c *paymentsClient) Charge(ctx context.Context, orderID string, amountCents int64, currency string) (string, error) {
	body, _ := json.Marshal(map[string]any{"order_id": orderID, "amount_cents": amountCents, "currency": currency})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.JoinPath("payments").String(), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errPaymentsFailed, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPaymentRequired:
		return "", errDeclined
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return "", fmt.Errorf("%w: status %d", errPaymentsBadRequest, resp.StatusCode)
	case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated:
		return "", fmt.Errorf("%w: status %d", errPaymentsFailed, resp.StatusCode)
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&p); err != nil || p.ID == "" {
		return "", fmt.Errorf("%w: unreadable answer", errPaymentsFailed)
	}
	return p.ID, nil
}
