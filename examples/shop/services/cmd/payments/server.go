package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/httpapi"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/lifecycle"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

// settings is the payments configuration: PROVIDER_URL from the manifest's env, the API key from its secret file.
type settings struct {
	ProviderURL *url.URL
	APIKey      string
}

func loadSettings(getenv config.Getenv) (settings, error) {
	raw := config.String(getenv, "PROVIDER_URL", "")
	if raw == "" {
		return settings{}, fmt.Errorf("PROVIDER_URL is required")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return settings{}, fmt.Errorf("PROVIDER_URL=%q is not an absolute http(s) URL", raw)
	}
	key, err := config.ReadSecret(config.SecretsDir(getenv, "payments"), "provider-api-key")
	if err != nil {
		return settings{}, err
	}
	return settings{ProviderURL: u, APIKey: key}, nil
}

// newMeterProvider returns the OpenTelemetry meter provider whose Prometheus exporter registers with the service's
// registry, next to the Go and process collectors: one /metrics endpoint has both.
func newMeterProvider(b *service.Base) (*sdkmetric.MeterProvider, error) {
	exporter, err := otelprom.New(otelprom.WithRegisterer(b.Registry))
	if err != nil {
		return nil, fmt.Errorf("prometheus exporter: %w", err)
	}
	res, err := resource.New(context.Background(),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("service.name", b.Name)),
	)
	if err != nil {
		return nil, fmt.Errorf("resource: %w", err)
	}
	return sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter), sdkmetric.WithResource(res)), nil
}

// build wires payments: metrics on :9090, the API and the probes on :8080.
func build(b *service.Base) (app *lifecycle.App, err error) {
	s, err := loadSettings(b.Getenv)
	if err != nil {
		return nil, err
	}
	mp, err := newMeterProvider(b)
	if err != nil {
		return nil, err
	}
	app, err = b.NewApp()
	if err != nil {
		return nil, err
	}
	app.OnStop(func() error { return mp.Shutdown(context.Background()) })
	defer func() {
		if err != nil {
			app.Close()
		}
	}()

	addr := b.Addr("HTTP_ADDR", service.DefaultHTTPAddr)
	provider := newProviderClient(s.ProviderURL, s.APIKey, mp)
	api := newAPI(provider, b.Logger)
	handler := httpapi.Compose(b.Health, api.routes(), otelMiddleware(b.Name, addr, mp), b.Fault.Middleware)
	hs, err := lifecycle.ListenHTTP("http", addr, handler, b.Logger)
	if err != nil {
		return nil, err
	}
	app.Add(hs)
	b.Logger.Info("payment provider", "url", s.ProviderURL.Redacted())
	return app, nil
}

// otelMiddleware records http.server.request.duration (exported as http_server_request_duration_seconds) and the
// body sizes of every API request. The server name is fixed ("payments:8080"): otherwise server_address and server_port
// come from the client's Host header, a label whose values the clients choose.
func otelMiddleware(name, addr string, mp *sdkmetric.MeterProvider) func(http.Handler) http.Handler {
	server := name
	if _, port, err := net.SplitHostPort(addr); err == nil && port != "" {
		server = net.JoinHostPort(name, port)
	}
	return func(h http.Handler) http.Handler {
		return otelhttp.NewHandler(h, name, otelhttp.WithMeterProvider(mp), otelhttp.WithServerName(server))
	}
}
