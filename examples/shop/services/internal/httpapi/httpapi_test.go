package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/health"
)

func TestComposeKeepsProbesOut(t *testing.T) {
	var wrapped []string
	mw := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			wrapped = append(wrapped, r.URL.Path)
			h.ServeHTTP(w, r)
		})
	}
	state := health.New()
	state.SetReady(true)
	h := Compose(state, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }), mw)
	for _, p := range []string{"/healthz", "/readyz", "/orders/1"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		want := map[string]int{"/healthz": 200, "/readyz": 200, "/orders/1": 204}[p]
		if rec.Code != want {
			t.Errorf("%s = %d, want %d", p, rec.Code, want)
		}
	}
	if len(wrapped) != 1 || wrapped[0] != "/orders/1" {
		t.Errorf("middleware saw %v, want only the API request", wrapped)
	}
}

func TestDecodeJSON(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	for body, ok := range map[string]bool{`{"a":1}`: true, `{"a":1,"b":2}`: false, `{"a":1}{"a":2}`: false, `nope`: false, ``: false} {
		rec := httptest.NewRecorder()
		err := DecodeJSON(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)), &v)
		if (err == nil) != ok {
			t.Errorf("%q: %v", body, err)
		}
	}
}
