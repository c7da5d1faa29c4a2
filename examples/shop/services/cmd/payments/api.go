package main

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/httpapi"
)

// payment is one charge of an order.
type payment struct {
	ID          string `json:"id"`
	OrderID     string `json:"order_id"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
	Status      string `json:"status"`
	ChargeID    string `json:"provider_charge_id"`
}

type chargeRequest struct {
	OrderID     string `json:"order_id"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
}

// api serves POST /payments and GET /payments/{id}. Payments live in memory: the example keeps no database.
type api struct {
	provider *providerClient
	logger   *slog.Logger

	mu      sync.Mutex
	byID    map[string]payment
	byOrder map[string]string
}

func newAPI(provider *providerClient, logger *slog.Logger) *api {
	return &api{provider: provider, logger: logger, byID: map[string]payment{}, byOrder: map[string]string{}}
}

func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /payments", a.create)
	mux.HandleFunc("GET /payments/{id}", a.get)
	return mux
}

func (a *api) create(w http.ResponseWriter, r *http.Request) {
	var req chargeRequest
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		httpapi.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	req.Currency = strings.ToUpper(strings.TrimSpace(req.Currency))
	switch {
	case req.OrderID == "":
		httpapi.WriteError(w, http.StatusBadRequest, "order_id is required")
		return
	case req.AmountCents <= 0:
		httpapi.WriteError(w, http.StatusBadRequest, "amount_cents must be positive")
		return
	case len(req.Currency) != 3:
		httpapi.WriteError(w, http.StatusBadRequest, "currency must be an ISO 4217 code such as EUR")
		return
	}
	// The order id is the idempotency key: a retried request gets the payment already made.
	a.mu.Lock()
	if id, ok := a.byOrder[req.OrderID]; ok {
		p := a.byID[id]
		a.mu.Unlock()
		httpapi.WriteJSON(w, http.StatusOK, p)
		return
	}
	a.mu.Unlock()

	// A charge that has started is finished even if the caller gives up (the provider's own timeout still bounds it):
	// the caller's retry then finds it, instead of a charge whose outcome nobody knows.
	ch, err := a.provider.Charge(context.WithoutCancel(r.Context()), req.OrderID, req.AmountCents, req.Currency)
	var netErr net.Error
	switch {
	case errors.Is(err, errDeclined):
		httpapi.WriteError(w, http.StatusPaymentRequired, err.Error())
		return
	case errors.As(err, &netErr) && netErr.Timeout():
		a.logger.Error("charge timed out", "order_id", req.OrderID, "error", err.Error())
		httpapi.WriteError(w, http.StatusGatewayTimeout, "payment provider timed out")
		return
	case err != nil:
		a.logger.Error("charge failed", "order_id", req.OrderID, "error", err.Error())
		httpapi.WriteError(w, http.StatusBadGateway, errProviderUnavailable.Error())
		return
	}
	p := payment{ID: "pay_" + strings.ToLower(rand.Text()), OrderID: req.OrderID, AmountCents: req.AmountCents,
		Currency: req.Currency, Status: "captured", ChargeID: ch.ID}
	a.mu.Lock()
	if id, ok := a.byOrder[req.OrderID]; ok { // a concurrent retry won; the provider deduplicated the charge
		p = a.byID[id]
	} else {
		a.byID[p.ID] = p
		a.byOrder[p.OrderID] = p.ID
	}
	a.mu.Unlock()
	a.logger.Info("payment captured", "payment_id", p.ID, "order_id", p.OrderID, "amount_cents", p.AmountCents, "currency", p.Currency)
	w.Header().Set("Location", "/payments/"+p.ID)
	httpapi.WriteJSON(w, http.StatusCreated, p)
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	p, ok := a.byID[r.PathValue("id")]
	a.mu.Unlock()
	if !ok {
		httpapi.WriteError(w, http.StatusNotFound, "no such payment")
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, p)
}
