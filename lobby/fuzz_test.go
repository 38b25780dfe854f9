// fuzz_test.go — the JSON request decoder every endpoint uses (http.go)
// takes any bytes: it never panics, refuses with 400 or 413 and a reason,
// accepts nothing over the size limit, and what it accepts is one JSON
// object of the endpoint's shape.
//
//	go test ./lobby -run '^$' -fuzz FuzzDecodeRequest -fuzztime 30s

package lobby_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"skirmish/lobby"
)

func FuzzDecodeRequest(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Ada"}`, `{"mode":"ffa"}`, `{"code":"ABCDE"}`, `{"capacity":8,"mode":"big"}`,
		`{}`, ``, `null`, `[]`, `{"name":`, `{"name":"Ada"} {}`, `{"admin":true}`,
		`{"capacity":"8"}`, `{"capacity":1e400}`, "{\"name\":\"\xff\"}", `{"name":"Ada","name":"Bob"}`,
	} {
		for _, kind := range []string{"name", "mode", "code", "room"} {
			f.Add(kind, []byte(seed))
		}
	}
	const limit = 64
	f.Fuzz(func(t *testing.T, kind string, body []byte) {
		req, status, reason := lobby.DecodeRequest(kind, bytes.NewReader(body), limit)
		if status != 0 {
			if status != 400 && status != 413 || reason == "" || req != nil {
				t.Fatalf("refused %q with %d %q, %v; want 400 or 413 with a reason", body, status, reason, req)
			}
			return
		}
		if len(body) > limit {
			t.Fatalf("accepted %d bytes; the limit is %d", len(body), limit)
		}
		trimmed := bytes.TrimSpace(body)
		if !json.Valid(trimmed) {
			t.Fatalf("accepted %q, which is not one JSON value", body)
		}
		if len(trimmed) > 0 && trimmed[0] != '{' && string(trimmed) != "null" {
			t.Fatalf("accepted %q, which is not an object", body)
		}
	})
}
