// Package grpcserver holds what a gRPC service needs besides its own API: the lifecycle adapter for grpc.Server,
// the standard gRPC health service wired to the health.State, and the fault switch as an interceptor.
package grpcserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	grpchealth "google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/fault"
	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
)

// The service names the probes of Gantry's manifest ask the gRPC health service about.
const (
	StartupService   = ""          // startup probe: `grpc: {port: 9000}`
	LivenessService  = "liveness"  // liveness probe: `grpc: {port: 9000, service: liveness}`
	ReadinessService = "readiness" // readiness probe: `grpc: {port: 9000, service: readiness}`
)

// NewHealth returns the standard gRPC health service (grpc.health.v1.Health) following state:
//
//   - "" (startup) is SERVING once startup is complete and stays so;
//   - "liveness" is SERVING while the process is live, through the drain and the shutdown;
//   - "readiness" and each of services (e.g. the API's own name, for client-side health checking) are SERVING
//     while the service is ready, and NOT_SERVING from the moment the shutdown starts.
func NewHealth(state *health.State, services ...string) *grpchealth.Server {
	hs := grpchealth.NewServer()
	serving := func(ok bool) healthpb.HealthCheckResponse_ServingStatus {
		if ok {
			return healthpb.HealthCheckResponse_SERVING
		}
		return healthpb.HealthCheckResponse_NOT_SERVING
	}
	state.Watch(func(s health.Status) {
		hs.SetServingStatus(StartupService, serving(s.Started && s.Live))
		hs.SetServingStatus(LivenessService, serving(s.Live))
		hs.SetServingStatus(ReadinessService, serving(s.Ready))
		for _, name := range services {
			hs.SetServingStatus(name, serving(s.Ready))
		}
	})
	return hs
}

// IsHealthMethod reports whether fullMethod belongs to the gRPC health service.
func IsHealthMethod(fullMethod string) bool {
	return strings.HasPrefix(fullMethod, "/"+healthpb.Health_ServiceDesc.ServiceName+"/")
}

// FaultUnaryInterceptor applies the fault switch to every unary call except the health checks: it adds the latency
// and fails the chosen share with codes.Unavailable.
func FaultUnaryInterceptor(inj *fault.Injector) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if !inj.Enabled() || IsHealthMethod(info.FullMethod) {
			return handler(ctx, req)
		}
		fail, err := inj.Apply(ctx)
		if err != nil {
			return nil, status.FromContextError(err).Err()
		}
		if fail {
			return nil, status.Error(codes.Unavailable, "injected fault")
		}
		return handler(ctx, req)
	}
}

// Server adapts a grpc.Server with its listener to lifecycle.Server.
type Server struct {
	name string
	srv  *grpc.Server
	ln   net.Listener
}

// Listen binds addr for srv.
func Listen(name, addr string, srv *grpc.Server) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s server: %w", name, err)
	}
	return &Server{name: name, srv: srv, ln: ln}, nil
}

func (s *Server) Name() string   { return s.name }
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}

// Drain does nothing: the health service already answers NOT_SERVING for readiness, and GracefulStop will send
// GOAWAY to the clients.
func (s *Server) Drain() {}

// Shutdown runs GracefulStop (no new RPCs, wait for the running ones) and falls back to Stop when ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.srv.GracefulStop()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.srv.Stop()
		<-done
		return ctx.Err()
	}
}

// Close stops the server at once.
func (s *Server) Close() {
	s.srv.Stop()
	_ = s.ln.Close()
}
