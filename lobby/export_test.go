// export_test.go — test-only access to lobby internals for the lobby_test
// package: one matcher pass on demand (match.go), and the request decoder
// the fuzz test feeds (http.go).

package lobby

import (
	"context"
	"io"
	"net/http"
)

// MatchPass runs one matcher pass now and returns how many players it
// seated.
func (l *Lobby) MatchPass(ctx context.Context) (int, error) {
	n, _, err := l.matchPass(ctx)
	return n, err
}

// DecodeRequest decodes body, limited to limit bytes, as the endpoints
// taking kind ("name", "mode", "code" or "room") do, and returns the
// decoded request, or the status and reason of the refusal.
func DecodeRequest(kind string, body io.Reader, limit int64) (req any, status int, reason string) {
	body = http.MaxBytesReader(nil, io.NopCloser(body), limit)
	var ref *refusal
	switch kind {
	case "name":
		var r playRequest
		ref = decodeJSON(body, limit, &r, nameBody)
		req = r
	case "mode":
		var r queueRequest
		ref = decodeJSON(body, limit, &r, modeBody)
		req = r
	case "code":
		var r codeRequest
		ref = decodeJSON(body, limit, &r, codeBody)
		req = r
	default:
		var r newRoomRequest
		ref = decodeJSON(body, limit, &r, newRoomBody)
		req = r
	}
	if ref != nil {
		return nil, ref.status, ref.msg
	}
	return req, 0, ""
}
