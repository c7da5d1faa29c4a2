// Package inventoryapi is the inventory's gRPC API, written by hand instead of generated from a .proto file: the
// messages are protobuf well-known types, so the standard proto codec carries them and any gRPC client (grpcurl
// with -proto-less calls, another language) can call it.
//
//	service shop.inventory.v1.Inventory {
//	  rpc GetStock(google.protobuf.StringValue) returns (google.protobuf.Int64Value); // sku -> units available
//	  rpc Reserve(google.protobuf.Struct) returns (google.protobuf.Int64Value);       // {sku, quantity} -> units left
//	  rpc Release(google.protobuf.Struct) returns (google.protobuf.Int64Value);       // {sku, quantity} -> units left
//	}
//
// Errors: InvalidArgument (bad sku or quantity), NotFound (unknown sku), FailedPrecondition (not enough stock).
package inventoryapi

import (
	"context"
	"math"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// ServiceName is the fully qualified gRPC service name; it is also registered with the gRPC health service.
const ServiceName = "shop.inventory.v1.Inventory"

// Full method names, as they appear in the grpc_method label of the metrics (GetStock, Reserve, Release).
const (
	GetStockMethod = "/" + ServiceName + "/GetStock"
	ReserveMethod  = "/" + ServiceName + "/Reserve"
	ReleaseMethod  = "/" + ServiceName + "/Release"
)

// Server is implemented by the inventory.
type Server interface {
	GetStock(ctx context.Context, sku *wrapperspb.StringValue) (*wrapperspb.Int64Value, error)
	Reserve(ctx context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error)
	Release(ctx context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error)
}

// ServiceDesc describes the service for grpc.Server.RegisterService, as protoc-gen-go-grpc would.
var ServiceDesc = grpc.ServiceDesc{
	ServiceName: ServiceName,
	HandlerType: (*Server)(nil),
	Methods: []grpc.MethodDesc{
		unary("GetStock", func(s Server, ctx context.Context, in *wrapperspb.StringValue) (proto.Message, error) {
			return s.GetStock(ctx, in)
		}),
		unary("Reserve", func(s Server, ctx context.Context, in *structpb.Struct) (proto.Message, error) {
			return s.Reserve(ctx, in)
		}),
		unary("Release", func(s Server, ctx context.Context, in *structpb.Struct) (proto.Message, error) {
			return s.Release(ctx, in)
		}),
	},
	Streams:  []grpc.StreamDesc{},
	Metadata: "inventoryapi.go",
}

// Register adds srv to s.
func Register(s grpc.ServiceRegistrar, srv Server) { s.RegisterService(&ServiceDesc, srv) }

// unary builds a MethodDesc whose handler decodes a Req, runs the interceptors and calls the method.
func unary[Req any, PReq interface {
	*Req
	proto.Message
}](name string, call func(Server, context.Context, PReq) (proto.Message, error)) grpc.MethodDesc {
	full := "/" + ServiceName + "/" + name
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			in := PReq(new(Req))
			if err := dec(in); err != nil {
				return nil, err
			}
			handler := func(ctx context.Context, req any) (any, error) {
				return call(srv.(Server), ctx, req.(PReq))
			}
			if interceptor == nil {
				return handler(ctx, in)
			}
			return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: full}, handler)
		},
	}
}

// NewReservation builds the request of Reserve and Release.
func NewReservation(sku string, quantity int64) *structpb.Struct {
	return &structpb.Struct{Fields: map[string]*structpb.Value{
		"sku":      structpb.NewStringValue(sku),
		"quantity": structpb.NewNumberValue(float64(quantity)),
	}}
}

// ParseReservation reads the request of Reserve and Release; errors are InvalidArgument statuses.
func ParseReservation(req *structpb.Struct) (sku string, quantity int64, err error) {
	f := req.GetFields()
	sku = f["sku"].GetStringValue()
	if sku == "" {
		return "", 0, status.Error(codes.InvalidArgument, "sku is required")
	}
	q := f["quantity"].GetNumberValue()
	if q < 1 || q > math.MaxInt32 || q != math.Trunc(q) {
		return "", 0, status.Errorf(codes.InvalidArgument, "quantity must be a whole number from 1, got %v", f["quantity"].AsInterface())
	}
	return sku, int64(q), nil
}

// Client calls the inventory.
type Client struct{ cc grpc.ClientConnInterface }

// NewClient returns a client on cc (a *grpc.ClientConn).
func NewClient(cc grpc.ClientConnInterface) *Client { return &Client{cc: cc} }

// GetStock returns the units of sku available.
func (c *Client) GetStock(ctx context.Context, sku string, opts ...grpc.CallOption) (int64, error) {
	out := new(wrapperspb.Int64Value)
	if err := c.cc.Invoke(ctx, GetStockMethod, wrapperspb.String(sku), out, opts...); err != nil {
		return 0, err
	}
	return out.GetValue(), nil
}

// Reserve takes quantity units of sku out of the stock and returns the units left.
func (c *Client) Reserve(ctx context.Context, sku string, quantity int64, opts ...grpc.CallOption) (int64, error) {
	return c.call(ctx, ReserveMethod, sku, quantity, opts)
}

// Release puts quantity units of sku back and returns the units available.
func (c *Client) Release(ctx context.Context, sku string, quantity int64, opts ...grpc.CallOption) (int64, error) {
	return c.call(ctx, ReleaseMethod, sku, quantity, opts)
}

func (c *Client) call(ctx context.Context, method, sku string, quantity int64, opts []grpc.CallOption) (int64, error) {
	out := new(wrapperspb.Int64Value)
	if err := c.cc.Invoke(ctx, method, NewReservation(sku, quantity), out, opts...); err != nil {
		return 0, err
	}
	return out.GetValue(), nil
}
