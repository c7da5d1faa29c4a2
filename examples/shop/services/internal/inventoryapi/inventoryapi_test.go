package inventoryapi

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type fake struct{ calls []string }

func (f *fake) GetStock(_ context.Context, sku *wrapperspb.StringValue) (*wrapperspb.Int64Value, error) {
	f.calls = append(f.calls, "GetStock "+sku.GetValue())
	return wrapperspb.Int64(7), nil
}

func (f *fake) Reserve(_ context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error) {
	sku, q, err := ParseReservation(req)
	if err != nil {
		return nil, err
	}
	f.calls = append(f.calls, "Reserve "+sku)
	return wrapperspb.Int64(10 - q), nil
}

func (f *fake) Release(_ context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error) {
	_, q, err := ParseReservation(req)
	if err != nil {
		return nil, err
	}
	return wrapperspb.Int64(10 + q), nil
}

// TestRoundTrip calls the hand-written service over a real connection, with an interceptor, as the server runs it.
func TestRoundTrip(t *testing.T) {
	var seen []string
	gs := grpc.NewServer(grpc.UnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		seen = append(seen, info.FullMethod)
		return h(ctx, req)
	}))
	f := &fake{}
	Register(gs, f)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = gs.Serve(ln) }()
	defer gs.Stop()
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := NewClient(conn)
	ctx := context.Background()

	if n, err := c.GetStock(ctx, "apple"); err != nil || n != 7 {
		t.Errorf("GetStock = %d, %v", n, err)
	}
	if n, err := c.Reserve(ctx, "apple", 3); err != nil || n != 7 {
		t.Errorf("Reserve = %d, %v", n, err)
	}
	if n, err := c.Release(ctx, "apple", 3); err != nil || n != 13 {
		t.Errorf("Release = %d, %v", n, err)
	}
	if _, err := c.Reserve(ctx, "apple", 0); status.Code(err) != codes.InvalidArgument {
		t.Errorf("quantity 0: %v", err)
	}
	if _, err := c.Reserve(ctx, "", 1); status.Code(err) != codes.InvalidArgument {
		t.Errorf("no sku: %v", err)
	}
	if err := conn.Invoke(ctx, "/"+ServiceName+"/Nope", wrapperspb.String("x"), new(wrapperspb.Int64Value)); status.Code(err) != codes.Unimplemented {
		t.Errorf("unknown method: %v", err)
	}
	want := []string{GetStockMethod, ReserveMethod, ReleaseMethod, ReserveMethod, ReserveMethod}
	if len(seen) != len(want) {
		t.Fatalf("interceptor saw %v", seen)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("interceptor saw %v, want %v", seen, want)
		}
	}
	if got := gs.GetServiceInfo()[ServiceName]; len(got.Methods) != 3 {
		t.Errorf("service info = %+v", got)
	}
}

func TestParseReservation(t *testing.T) {
	if sku, q, err := ParseReservation(NewReservation("apple", 2)); err != nil || sku != "apple" || q != 2 {
		t.Errorf("= %q %d %v", sku, q, err)
	}
	bad := []*structpb.Struct{
		nil,
		{Fields: map[string]*structpb.Value{"sku": structpb.NewStringValue("a")}},
		{Fields: map[string]*structpb.Value{"sku": structpb.NewStringValue("a"), "quantity": structpb.NewNumberValue(1.5)}},
		{Fields: map[string]*structpb.Value{"sku": structpb.NewStringValue("a"), "quantity": structpb.NewNumberValue(-1)}},
		{Fields: map[string]*structpb.Value{"sku": structpb.NewStringValue("a"), "quantity": structpb.NewStringValue("2")}},
		{Fields: map[string]*structpb.Value{"sku": structpb.NewNumberValue(1), "quantity": structpb.NewNumberValue(2)}},
	}
	for i, req := range bad {
		if _, _, err := ParseReservation(req); status.Code(err) != codes.InvalidArgument {
			t.Errorf("case %d: %v", i, err)
		}
	}
}
