package nodeapi_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"skirmish/internal/testkit"
	"skirmish/lobby"
	"skirmish/lobby/nodeapi"
	"skirmish/nodecred"
)

// BenchmarkHeartbeat is one community node's heartbeat through the whole
// pipeline (credential, signature, replay and rate checks, the store
// write on the memory store), against the same heartbeat unsigned, which
// is refused after only reading it: the cost of the checks is the
// difference.
func BenchmarkHeartbeat(b *testing.B) {
	_, operator, _ := ed25519.GenerateKey(rand.Reader)
	raw, _, err := nodecred.New(operator, "bench", 16, time.Hour, 1, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	file, _ := nodecred.Unmarshal(raw)
	svc, err := nodeapi.New(nodeapi.Options{Store: lobby.NewMemoryStore(), Key: operator, Logger: testkit.Quiet(), Rate: 1e9, Burst: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	h := svc.Handler()
	body := []byte(`{"url":"ws://127.0.0.1:7000/ws","capacity":16,"players":3,"rooms":1,"draining":false}`)
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
