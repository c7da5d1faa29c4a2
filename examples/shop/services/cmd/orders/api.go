package main

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/httpapi"
)

// order is one order of the shop.
type order struct {
	ID          string    `json:"id"`
	SKU         string    `json:"sku"`
	Quantity    int64     `json:"quantity"`
	AmountCents int64     `json:"amount_cents"`
	Currency    string    `json:"currency"`
	PaymentID   string    `json:"payment_id"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
}

type orderRequest struct {
	SKU         string `json:"sku"`
	Quantity    int64  `json:"quantity"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
}

type charger interface {
	Charge(ctx context.Context, orderID string, amountCents int64, currency string) (string, error)
}

// api serves POST /orders and GET /orders/{id}. Orders live in memory: the example opens no database (the
// db-password secret is read and checked at start, where a real service would open its pool).
type api struct {
	stock    stock
	payments charger
	timeout  time.Duration
	logger   *slog.Logger

	mu     sync.Mutex
	orders map[string]order
}

func newAPI(s stock, p charger, timeout time.Duration, logger *slog.Logger) *api {
	return &api{stock: s, payments: p, timeout: timeout, logger: logger, orders: map[string]order{}}
}

func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", a.create)
	mux.HandleFunc("GET /orders/{id}", a.get)
	return mux
}

func (a *api) create(w http.ResponseWriter, r *http.Request) {
	var req orderRequest
	if err := httpapi.DecodeJSON(w, r, &req); err != nil {
		httpapi.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	req.Currency = strings.ToUpper(strings.TrimSpace(req.Currency))
	switch {
	case req.SKU == "":
		httpapi.WriteError(w, http.StatusBadRequest, "sku is required")
		return
	case req.Quantity < 1:
		httpapi.WriteError(w, http.StatusBadRequest, "quantity must be at least 1")
		return
	case req.AmountCents <= 0:
		httpapi.WriteError(w, http.StatusBadRequest, "amount_cents must be positive")
		return
	case len(req.Currency) != 3:
		httpapi.WriteError(w, http.StatusBadRequest, "currency must be an ISO 4217 code such as EUR")
		return
	}
	o := order{ID: "ord_" + strings.ToLower(rand.Text()), SKU: req.SKU, Quantity: req.Quantity,
		AmountCents: req.AmountCents, Currency: req.Currency, CreatedAt: time.Now().UTC()}
	log := a.logger.With("order_id", o.ID, "sku", o.SKU, "quantity", o.Quantity)

	// 1. Reserve the stock.
	ctx, cancel := context.WithTimeout(r.Context(), a.timeout)
	_, err := a.stock.Reserve(ctx, o.SKU, o.Quantity)
	cancel()
	if err != nil {
		code, msg := inventoryError(err)
		if code >= 500 {
			log.Error("reserving stock failed", "error", err.Error())
		}
		httpapi.WriteError(w, code, msg)
		return
	}

	// 2. Charge it; give the stock back if that fails.
	ctx, cancel = context.WithTimeout(r.Context(), a.timeout)
	paymentID, err := a.payments.Charge(ctx, o.ID, o.AmountCents, o.Currency)
	cancel()
	if err != nil {
		a.release(r.Context(), log, o)
		switch {
		case errors.Is(err, errDeclined):
			httpapi.WriteError(w, http.StatusPaymentRequired, "payment declined")
		case errors.Is(err, context.DeadlineExceeded):
			log.Error("payment timed out", "error", err.Error())
			httpapi.WriteError(w, http.StatusGatewayTimeout, "payments timed out")
		default:
			log.Error("payment failed", "error", err.Error())
			httpapi.WriteError(w, http.StatusBadGateway, "payments failed")
		}
		return
	}

	o.PaymentID, o.Status = paymentID, "confirmed"
	a.mu.Lock()
	a.orders[o.ID] = o
	a.mu.Unlock()
	log.Info("order confirmed", "payment_id", paymentID)
	w.Header().Set("Location", "/orders/"+o.ID)
	httpapi.WriteJSON(w, http.StatusCreated, o)
}

// release gives a reservation back, even when the client has gone away.
func (a *api) release(parent context.Context, log *slog.Logger, o order) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), a.timeout)
	defer cancel()
	if _, err := a.stock.Release(ctx, o.SKU, o.Quantity); err != nil {
		log.Error("releasing stock failed: the reservation is lost", "error", err.Error())
	}
}

// inventoryError maps an inventory status to the HTTP answer.
func inventoryError(err error) (int, string) {
	s := status.Convert(err)
	switch s.Code() {
	case codes.InvalidArgument:
		return http.StatusBadRequest, s.Message()
	case codes.NotFound:
		return http.StatusUnprocessableEntity, s.Message()
	case codes.FailedPrecondition:
		return http.StatusConflict, "out of stock: " + s.Message()
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout, "inventory timed out"
	default:
		return http.StatusServiceUnavailable, "inventory unavailable"
	}
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	o, ok := a.orders[r.PathValue("id")]
	a.mu.Unlock()
	if !ok {
		httpapi.WriteError(w, http.StatusNotFound, "no such order")
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, o)
}
