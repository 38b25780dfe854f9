// flags_test.go — the common flags of flags.go in the binary: --trust-proxy
// refuses what is not a CIDR in every role, and with it the game server's
// cap per client address counts the address a trusted proxy names.

package main

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lxzan/gws"

	"skirmish/bots"
)

func TestTrustProxyRefusesNonsense(t *testing.T) {
	bin := buildSkirmish(t)
	for _, role := range [][]string{
		{"serve"},
		{"lobby", "--redis", "redis://127.0.0.1:1/0"},
		{"node", "--redis", "redis://127.0.0.1:1/0"},
	} {
		args := append(append([]string{}, role...), "--addr", "127.0.0.1:0", "--trust-proxy", "10.0.0.0/8,proxy.example")
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), `"proxy.example" is not a CIDR`) {
			t.Errorf("%v --trust-proxy with a host name: %v, %s; want a refusal naming it", role, err, out)
		}
	}
}

// TestServeCapsByForwardedAddress: behind a trusted proxy on loopback, one
// client address may hold --max-conns-per-addr connections; the next is a
// 429, while another address behind the same proxy still plays.
func TestServeCapsByForwardedAddress(t *testing.T) {
	base, _, _ := startServe(t, buildSkirmish(t), "--trust-proxy", "127.0.0.1/32", "--max-conns-per-addr", "1")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dial := func(name, from string) (*gws.Conn, int) {
		t.Helper()
		a, err := bots.RequestPlay(ctx, http.DefaultClient, base, name)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set("X-Forwarded-For", from)
		conn, resp, err := gws.NewClient(new(gws.BuiltinEventHandler), &gws.ClientOption{Addr: a.DialURL(), RequestHeader: h})
		if err == nil {
			t.Cleanup(func() { conn.NetConn().Close() })
			return conn, http.StatusSwitchingProtocols
		}
		if resp == nil {
			t.Fatalf("%s: %v", name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "too many connections from this address") {
			t.Errorf("%s: %d %q", name, resp.StatusCode, body)
		}
		return nil, resp.StatusCode
	}
	if _, status := dial("first", "198.51.100.1"); status != http.StatusSwitchingProtocols {
		t.Fatalf("first from 198.51.100.1: %d; want 101", status)
	}
	if _, status := dial("second", "198.51.100.1"); status != http.StatusTooManyRequests {
		t.Errorf("second from 198.51.100.1: %d; want 429", status)
	}
	if _, status := dial("other", "198.51.100.2"); status != http.StatusSwitchingProtocols {
		t.Errorf("first from 198.51.100.2: %d; want 101", status)
	}
}
