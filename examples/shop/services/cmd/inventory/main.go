// Command inventory keeps the shop's stock and serves it over gRPC on port 9000 (shop.inventory.v1.Inventory), with
// the standard gRPC health service for the kubelet's gRPC probes. See the README for how it maps to its manifest.
package main

import (
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

func main() { service.Main("inventory", build) }
