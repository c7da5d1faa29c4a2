// Command payments charges orders through the payment provider at PROVIDER_URL, authenticated with the API key
// mounted at /var/run/secrets/payments/provider-api-key. It is instrumented with OpenTelemetry (otelhttp), exported
// in the Prometheus format on :9090/metrics. See the README for how it maps to its manifest.
package main

import (
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

func main() { service.Main("payments", build) }
