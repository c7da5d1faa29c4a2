// Command orders takes the shop's orders over HTTP: it reserves the stock with inventory (gRPC) and charges the
// order through payments (HTTP). Its configuration is the file at CONFIG_FILE, its database password the secret file
// /var/run/secrets/orders/db-password. See the README for how it maps to its manifest.
package main

import (
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

func main() { service.Main("orders", build) }
