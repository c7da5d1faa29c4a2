package main

import (
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/httpapi"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/inventoryapi"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/lifecycle"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/metrics"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

// build wires orders: metrics on :9090, the API and the probes on :8080.
func build(b *service.Base) (app *lifecycle.App, err error) {
	s, err := loadSettings(b.Getenv)
	if err != nil {
		return nil, err
	}
	c := s.Config
	b.Logger.Info("configuration", "inventory_addr", c.InventoryAddr, "payments_url", c.PaymentsURL.Redacted(),
		"request_timeout", c.RequestTimeout.String())

	// Plaintext: in the mesh, the sidecars add mutual TLS (the DestinationRule's ISTIO_MUTUAL).
	conn, err := grpc.NewClient(c.InventoryAddr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig": [{"round_robin": {}}]}`),
	)
	if err != nil {
		return nil, fmt.Errorf("inventory client: %w", err)
	}
	app, err = b.NewApp()
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	app.OnStop(conn.Close)
	defer func() {
		if err != nil {
			app.Close()
		}
	}()

	api := newAPI(inventoryapi.NewClient(conn), newPaymentsClient(c.PaymentsURL), c.RequestTimeout, b.Logger)
	httpMetrics := metrics.NewHTTPMetrics(b.Registry)
	handler := httpapi.Compose(b.Health, api.routes(), httpMetrics.Instrument, b.Fault.Middleware)
	hs, err := lifecycle.ListenHTTP("http", b.Addr("HTTP_ADDR", service.DefaultHTTPAddr), handler, b.Logger)
	if err != nil {
		return nil, err
	}
	app.Add(hs)
	return app, nil
}
