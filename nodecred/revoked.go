// revoked.go — the credentials a lobby refuses before they expire
// (`skirmish lobby --revoked FILE`): one a line, a node's name or its
// public key (base64, as `skirmish keygen --node` prints it); blank lines
// and lines from '#' on are ignored. lobby/nodeapi reads the file again
// when it changes.

package nodecred

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// maxRevokedLine bounds one line of the file.
const maxRevokedLine = 1 << 10

// Revoked is a set of withdrawn credentials, by name and by node key. The
// zero value (and nil) revokes nothing. Not to be changed once made, so
// it is safe for concurrent use.
type Revoked struct {
	names map[string]bool
	keys  map[string]bool // ed25519 public keys, as raw bytes in a string
}

// ParseRevoked reads the list.
func ParseRevoked(raw []byte) (*Revoked, error) {
	r := &Revoked{names: map[string]bool{}, keys: map[string]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 256), maxRevokedLine)
	for line := 1; sc.Scan(); line++ {
		s, _, _ := strings.Cut(sc.Text(), "#")
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if k, err := base64.StdEncoding.DecodeString(s); err == nil && len(k) == ed25519.PublicKeySize {
			r.keys[string(k)] = true
			continue
		}
		if len(s) > MaxNameLen || !printable(s) {
			return nil, fmt.Errorf("nodecred: revoked list, line %d: %q is neither a node name nor a node key", line, s)
		}
		r.names[s] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nodecred: revoked list: %w", err)
	}
	return r, nil
}

// Has reports whether c is revoked: by its name or by its key.
func (r *Revoked) Has(c Credential) bool {
	if r == nil {
		return false
	}
	return r.names[c.Name] || r.keys[string(c.Key)]
}

// Names returns the revoked names, for the lobby to take those nodes out
// of rotation; keys are matched when their nodes next call.
func (r *Revoked) Names() []string {
	if r == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(r.names))
}

// Len is how many names and keys are revoked.
func (r *Revoked) Len() int {
	if r == nil {
		return 0
	}
	return len(r.names) + len(r.keys)
}
