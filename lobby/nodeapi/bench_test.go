package nodeapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"skirmish/lobby/nodeapi"
)

// BenchmarkHeartbeat is one community node's heartbeat through the whole
// pipeline (credential, signature, replay and rate checks, the store
// write on the memory store), against the same heartbeat unsigned, which
// is refused after only reading it: the cost of the checks is the
// difference. sign is the node's share: signing the request alone.
func BenchmarkHeartbeat(b *testing.B) {
	file, h := memoryService(b)
	body := []byte(`{"url":"ws://127.0.0.1:7000/ws","capacity":16,"players":3,"rooms":1,"draining":false}`)
	b.Run("sign", func(b *testing.B) {
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/node/v1/heartbeat", bytes.NewReader(body))
			if err := nodeapi.SignRequest(req, body, file.Token, file.Key, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, signed := range []bool{true, false} {
		name := "signed"
		if !signed {
			name = "unsigned"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/node/v1/heartbeat", bytes.NewReader(body))
				if signed {
					if err := nodeapi.SignRequest(req, body, file.Token, file.Key, time.Now()); err != nil {
						b.Fatal(err)
					}
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if want := map[bool]int{true: 200, false: 401}[signed]; rec.Code != want {
					b.Fatalf("status %d; want %d", rec.Code, want)
				}
			}
		})
	}
}
