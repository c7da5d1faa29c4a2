package main

import (
	"context"
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/inventoryapi"
)

// store is the stock, in memory: the example keeps no database.
type store struct {
	mu    sync.Mutex
	stock map[string]int64
}

var _ inventoryapi.Server = (*store)(nil)

func defaultStock() map[string]int64 {
	return map[string]int64{"apple": 100, "banana": 250, "cherry": 40}
}

func newStore(stock map[string]int64) *store {
	s := &store{stock: make(map[string]int64, len(stock))}
	for k, v := range stock {
		s.stock[k] = v
	}
	return s
}

func (s *store) GetStock(_ context.Context, sku *wrapperspb.StringValue) (*wrapperspb.Int64Value, error) {
	if sku.GetValue() == "" {
		return nil, status.Error(codes.InvalidArgument, "sku is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.stock[sku.GetValue()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "unknown sku %q", sku.GetValue())
	}
	return wrapperspb.Int64(n), nil
}

func (s *store) Reserve(_ context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error) {
	sku, qty, err := inventoryapi.ParseReservation(req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.stock[sku]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "unknown sku %q", sku)
	}
	if n < qty {
		return nil, status.Errorf(codes.FailedPrecondition, "only %d of %q left", n, sku)
	}
	s.stock[sku] = n - qty
	return wrapperspb.Int64(n - qty), nil
}

func (s *store) Release(_ context.Context, req *structpb.Struct) (*wrapperspb.Int64Value, error) {
	sku, qty, err := inventoryapi.ParseReservation(req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.stock[sku]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "unknown sku %q", sku)
	}
	s.stock[sku] = n + qty
	return wrapperspb.Int64(n + qty), nil
}
