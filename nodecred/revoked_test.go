package nodecred_test

import (
	"slices"
	"testing"

	"skirmish/nodecred"
	"skirmish/ticket"
)

func TestRevokedByNameAndKey(t *testing.T) {
	a, b, c := sample(t), sample(t), sample(t)
	b.Name, c.Name = "game8", "game9"
	r, err := nodecred.ParseRevoked([]byte("# withdrawn\ngame7\n\n  " + ticket.EncodeKey(b.Key) + "  # lost its key\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Has(a) || !r.Has(b) || r.Has(c) {
		t.Fatalf("has game7 %v, game8 (by key) %v, game9 %v; want true, true, false", r.Has(a), r.Has(b), r.Has(c))
	}
	if got := r.Names(); !slices.Equal(got, []string{"game7"}) || r.Len() != 2 {
		t.Fatalf("names %v, len %d", got, r.Len())
	}
	var none *nodecred.Revoked
	if none.Has(a) || none.Len() != 0 {
		t.Fatal("nil revokes")
	}
	if _, err := nodecred.ParseRevoked([]byte("two words\n")); err == nil {
		t.Fatal("a line that is neither a name nor a key was accepted")
	}
}

func FuzzParseRevoked(f *testing.F) {
	f.Add([]byte("game7\n# c\n\n  AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=  # k\n"))
	f.Add([]byte("two words\n"))
	f.Add([]byte{0xff, '\n', 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := nodecred.ParseRevoked(raw)
		if err != nil {
			return
		}
		for _, name := range r.Names() {
			if !r.Has(nodecred.Credential{Name: name}) {
				t.Fatalf("%q listed but not revoked", name)
			}
		}
	})
}
