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

// FuzzRequest sends any body, signed by an enrolled node, and any
// credential, date, nonce and signature headers, to every path: each gets
// an answer with a defined status, never a panic or a 5xx.
func FuzzRequest(f *testing.F) {
	file, h := memoryService(f)
	paths := []string{"register", "heartbeat", "leave", "claim", "release", "match-start", "match-end", "nope"}
	for _, seed := range []string{
		`{"url":"ws://127.0.0.1:7000/ws","capacity":16,"players":0,"rooms":0,"draining":false}`,
		`{"room":"r1","player":7}`,
		`{"room":"r1","ends_in_ms":90000}`,
		`{"room":"r1","results":[{"player":7,"kills":1,"deaths":2,"receipt":"AAAA"}]}`,
		`{}`, ``, `[`, `{"room":"` + string(bytes.Repeat([]byte("x"), 100)) + `"}`,
	} {
		f.Add(uint8(0), []byte(seed), true, "")
		f.Add(uint8(3), []byte(seed), false, "garbage")
	}
	f.Fuzz(func(t *testing.T, path uint8, body []byte, sign bool, header string) {
		req := httptest.NewRequest(http.MethodPost, "/node/v1/"+paths[int(path)%len(paths)], bytes.NewReader(body))
		if sign {
			if err := nodeapi.SignRequest(req, body, file.Token, file.Key, time.Now()); err != nil {
				t.Fatal(err)
			}
		} else {
			req.Header.Set("Skirmish-Credential", header)
			req.Header.Set("Skirmish-Date", header)
			req.Header.Set("Skirmish-Nonce", header)
			req.Header.Set("Skirmish-Signature", header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
			http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		default:
			t.Fatalf("%s %q: status %d: %s", req.URL.Path, body, rec.Code, rec.Body)
		}
	})
}

// memoryService is a Service on a memory store with no rate limit to
// speak of, and an enrolled node's credential file.
func memoryService(tb testing.TB) (nodecred.File, http.Handler) {
	_, operator, _ := ed25519.GenerateKey(rand.Reader)
	raw, _, err := nodecred.New(operator, "mem", 16, time.Hour, 1, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	file, err := nodecred.Unmarshal(raw)
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := nodeapi.New(nodeapi.Options{Store: lobby.NewMemoryStore(), Key: operator, Logger: testkit.Quiet(), Rate: 1e9, Burst: 1 << 30})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(svc.Close)
	return file, svc.Handler()
}
