// clientaddr_test.go — From through every case of X-Forwarded-For: no
// trusted proxy, a trusted one, a chain, a forged left part, garbage, IPv6
// and IPv4-mapped peers; and --trust-proxy's parsing (prefixes.go).

package clientaddr_test

import (
	"flag"
	"net/http/httptest"
	"net/netip"
	"testing"

	"skirmish/internal/clientaddr"
)

func TestFrom(t *testing.T) {
	var trusted clientaddr.Prefixes
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Var(&trusted, "trust-proxy", "")
	if err := fs.Parse([]string{"--trust-proxy", "10.0.0.0/8, 127.0.0.1", "--trust-proxy=fd00::/8"}); err != nil {
		t.Fatal(err)
	}
	if got := trusted.String(); got != "10.0.0.0/8,127.0.0.1/32,fd00::/8" {
		t.Fatalf("--trust-proxy parsed as %s", got)
	}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		trusted      clientaddr.Prefixes
		want         string
	}{
		{"no proxies trusted: the header is ignored", "203.0.113.7:4000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"an untrusted peer's header is ignored", "203.0.113.7:4000", []string{"198.51.100.1"}, trusted, "203.0.113.7"},
		{"a trusted proxy without the header", "10.1.2.3:4000", nil, trusted, "10.1.2.3"},
		{"a trusted proxy names the client", "10.1.2.3:4000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"a forged left part is skipped", "10.1.2.3:4000", []string{"6.6.6.6, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"a chain of trusted proxies", "127.0.0.1:4000", []string{"6.6.6.6, 198.51.100.1, 10.9.9.9"}, trusted, "198.51.100.1"},
		{"several header lines read as one list", "10.1.2.3:4000", []string{"6.6.6.6", "198.51.100.1, 10.2.2.2"}, trusted, "198.51.100.1"},
		{"every hop trusted: the leftmost", "10.1.2.3:4000", []string{"10.4.4.4, 10.5.5.5"}, trusted, "10.4.4.4"},
		{"garbage stops at the trusted hop right of it", "10.1.2.3:4000", []string{"198.51.100.1, not-an-ip, 10.5.5.5"}, trusted, "10.5.5.5"},
		{"an empty hop is garbage", "10.1.2.3:4000", []string{"198.51.100.1,"}, trusted, "10.1.2.3"},
		{"a hop with a port", "10.1.2.3:4000", []string{"[2001:db8::1]:443"}, trusted, "2001:db8::1"},
		{"an IPv6 proxy", "[fd00::5]:4000", []string{"2001:db8::2"}, trusted, "2001:db8::2"},
		{"an IPv4-mapped peer", "[::ffff:10.1.2.3]:4000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
	} {
		r := httptest.NewRequest("GET", "/ws", nil)
		r.RemoteAddr = tc.remote
		for _, h := range tc.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := clientaddr.From(r, tc.trusted); got != netip.MustParseAddr(tc.want) {
			t.Errorf("%s: %v; want %s", tc.name, got, tc.want)
		}
	}
	r := httptest.NewRequest("GET", "/ws", nil)
	r.RemoteAddr = "pipe"
	if got := clientaddr.From(r, trusted); got.IsValid() {
		t.Errorf("RemoteAddr %q: %v; want the zero Addr", r.RemoteAddr, got)
	}
}

func TestParsePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8": "10.0.0.0/8", "10.1.2.3/8": "10.0.0.0/8", "192.0.2.1": "192.0.2.1/32",
		"2001:db8::/32": "2001:db8::/32", "::1": "::1/128", "::ffff:10.0.0.0/104": "10.0.0.0/8",
	} {
		got, err := clientaddr.ParsePrefix(in)
		if err != nil || got.String() != want {
			t.Errorf("ParsePrefix(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "10.0.0.0/33", "example.com", "fe80::1%eth0", "10.0.0.0/8/8"} {
		if _, err := clientaddr.ParsePrefix(bad); err == nil {
			t.Errorf("ParsePrefix(%q) accepted", bad)
		}
	}
	var p clientaddr.Prefixes
	if err := p.Set("10.0.0.0/8,bogus"); err == nil {
		t.Error("Set accepted a list with a bogus CIDR")
	}
}
