// Package httpapi holds the small pieces the two HTTP services share: how the "http" port is composed, and JSON in
// and out.
package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
)

// Compose returns the handler of the "http" port: GET /healthz and GET /readyz answered directly, and every other
// request through the middlewares (outermost first) to api. Probes are kept out of the request metrics and out of the
// fault switch: the kubelet's probes would otherwise keep the request rate above zero and dilute the error ratio.
func Compose(state *health.State, api http.Handler, middlewares ...func(http.Handler) http.Handler) http.Handler {
	h := api
	for i := len(middlewares) - 1; i >= 0; i-- {
		h = middlewares[i](h)
	}
	mux := http.NewServeMux()
	state.Register(mux)
	mux.Handle("/", h)
	return mux
}

// MaxBodyBytes bounds the request bodies.
const MaxBodyBytes = 1 << 20

// DecodeJSON reads one JSON object from r's body into v, refusing unknown fields and trailing data.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("invalid JSON body: more than one value")
	}
	return nil
}

// WriteJSON writes v with the status code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
}

// WriteError writes {"error": msg} with the status code.
func WriteError(w http.ResponseWriter, code int, msg string) {
	WriteJSON(w, code, Error{Error: msg})
}
