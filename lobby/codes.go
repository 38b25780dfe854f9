// codes.go — the short codes players read to each other: private rooms
// (private.go) and parties (party.go) are joined by one. Five characters
// from an alphabet without 0/O, 1/I/L, so a code survives being read
// aloud or copied by hand; the store refuses a code already in use and the
// caller draws again.

package lobby

import (
	"crypto/rand"
	"net/http"
	"strings"
)

const (
	// codeAlphabet has no 0, O, 1, I or L: 31 symbols, 28.6 million codes.
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	codeLen      = 5
	// codeAttempts bounds the draws for a code not in use.
	codeAttempts = 8
)

// newCode draws a random code.
func newCode() string {
	const unbiased = 256 - 256%len(codeAlphabet) // reject bytes past the last whole cycle
	out := make([]byte, 0, codeLen)
	var b [16]byte
	for len(out) < codeLen {
		// crypto/rand.Read never fails; on a broken system it crashes the program.
		_, _ = rand.Read(b[:])
		for _, c := range b {
			if int(c) < unbiased && len(out) < codeLen {
				out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
			}
		}
	}
	return string(out)
}

// readCodeBody reads a {"code"} request body and its code; on false the
// request was refused.
func (l *Lobby) readCodeBody(w http.ResponseWriter, r *http.Request) (string, bool) {
	var req codeRequest
	if ref := l.readJSON(w, r, &req, codeBody, false); ref != nil {
		l.refuseWith(w, r, ref)
		return "", false
	}
	code, ref := readCode(req.Code)
	if ref != nil {
		l.refuseWith(w, r, ref)
		return "", false
	}
	return code, true
}

// readCode checks a code a player typed: spaces around it are dropped and
// lower case is read as upper case.
func readCode(s string) (string, *refusal) {
	code := strings.ToUpper(strings.TrimSpace(s))
	ok := len(code) == codeLen
	for i := 0; ok && i < len(code); i++ {
		ok = strings.IndexByte(codeAlphabet, code[i]) >= 0
	}
	if !ok {
		return "", refused(http.StatusBadRequest, "bad_request",
			"code %q is not a code: want %d characters from %s", s, codeLen, codeAlphabet)
	}
	return code, nil
}
