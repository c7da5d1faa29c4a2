package main

import (
	"context"
	"net/http"
	"time"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/selector"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/grpcserver"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/inventoryapi"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/lifecycle"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/service"
)

// build wires the inventory: metrics on :9090, the probes' HTTP endpoints on :8080 (Gantry always declares the
// "http" port; the kubelet checks this service over gRPC), and the API with the gRPC health service on :9000.
func build(b *service.Base) (app *lifecycle.App, err error) {
	app, err = b.NewApp()
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			app.Close()
		}
	}()

	mux := http.NewServeMux()
	b.Health.Register(mux)
	hs, err := lifecycle.ListenHTTP("http", b.Addr("HTTP_ADDR", service.DefaultHTTPAddr), mux, b.Logger)
	if err != nil {
		return nil, err
	}
	app.Add(hs)

	gs := newGRPCServer(b, newStore(defaultStock()))
	gl, err := grpcserver.Listen("grpc", b.Addr("GRPC_ADDR", service.DefaultGRPCAddr), gs)
	if err != nil {
		return nil, err
	}
	app.Add(gl)
	return app, nil
}

// newGRPCServer returns the gRPC server with the inventory API, the health service, the Prometheus server metrics
// (grpc_server_handled_total, grpc_server_handling_seconds, ...) and the fault switch. Health checks are neither
// counted nor faulted: the kubelet's probes would otherwise keep the request rate above zero and hide an outage.
func newGRPCServer(b *service.Base, api inventoryapi.Server) *grpc.Server {
	srvMetrics := grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram())
	b.Registry.MustRegister(srvMetrics)
	notHealth := selector.MatchFunc(func(_ context.Context, c interceptors.CallMeta) bool {
		return !grpcserver.IsHealthMethod(c.FullMethod())
	})
	onPanic := recovery.WithRecoveryHandler(func(p any) error {
		b.Logger.Error("panic in gRPC handler", "panic", p)
		return status.Error(codes.Internal, "internal error")
	})

	gs := grpc.NewServer(
		grpc.ChainUnaryInterceptor(
			selector.UnaryServerInterceptor(srvMetrics.UnaryServerInterceptor(), notHealth),
			grpcserver.FaultUnaryInterceptor(b.Fault),
			recovery.UnaryServerInterceptor(onPanic),
		),
		grpc.ChainStreamInterceptor(
			selector.StreamServerInterceptor(srvMetrics.StreamServerInterceptor(), notHealth),
			recovery.StreamServerInterceptor(onPanic),
		),
		// Behind a ClusterIP Service, a client keeps its HTTP/2 connection to one pod; recycling connections spreads
		// the load over new pods after a scale-up or a rollout.
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 15 * time.Second}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
	)
	inventoryapi.Register(gs, api)
	healthpb.RegisterHealthServer(gs, grpcserver.NewHealth(b.Health, inventoryapi.ServiceName))
	// Zero-valued series for every API method and code, so that rate() and absent() work before the first call.
	srvMetrics.InitializeMetrics(withoutHealth{gs})
	return gs
}

// withoutHealth hides the health service from the metrics' pre-initialization.
type withoutHealth struct{ s *grpc.Server }

func (w withoutHealth) GetServiceInfo() map[string]grpc.ServiceInfo {
	info := w.s.GetServiceInfo()
	delete(info, healthpb.Health_ServiceDesc.ServiceName)
	return info
}
