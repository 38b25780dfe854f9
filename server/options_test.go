// options_test.go — options.go's checks: New refuses every nonsense value with an error naming its field, before anything starts (a negative PingInterval used to pass and panic in time.NewTicker), and takes the zero value and sensible values.

package server_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"skirmish/internal/testkit"
	"skirmish/server"
	"skirmish/ticket"
)

// refuseAll is a Ledger that grants no seat: these servers see no player.
type refuseAll struct{}

func (refuseAll) Claim(context.Context, string, uint64) error {
	return errors.New("test: no seats here")
}
func (refuseAll) Release(context.Context, string, uint64) error         { return nil }
func (refuseAll) Hold(context.Context, string, uint64, time.Time) error { return nil }

func TestNewRefusesNonsenseOptions(t *testing.T) {
	t.Parallel()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	verifier := ticket.NewVerifier(signer.PublicKey())
	for _, tc := range []struct {
		field string
		set   func(*server.Options)
	}{
		{"Verifier", func(o *server.Options) { o.Verifier = nil }},
		{"Ledger", func(o *server.Options) { o.Ledger = nil }},
		{"TickRate", func(o *server.Options) { o.TickRate = -60 }},
		{"TickRate", func(o *server.Options) { o.TickRate = 1001 }},
		{"RoomCapacity", func(o *server.Options) { o.RoomCapacity = -1 }},
		{"RoomCapacity", func(o *server.Options) { o.RoomCapacity = 65 }},
		{"ReadMaxPayload", func(o *server.Options) { o.ReadMaxPayload = -1 }},
		{"InputQueue", func(o *server.Options) { o.InputQueue = 24 }},
		{"InputQueue", func(o *server.Options) { o.InputQueue = -32 }},
		{"InputQueue", func(o *server.Options) { o.InputQueue = math.MinInt }}, // n&(n-1) == 0
		{"InputQueue", func(o *server.Options) { o.InputQueue = 1 << 20 }},
		{"FloodFactor", func(o *server.Options) { o.FloodFactor = -2 }},
		{"PingInterval", func(o *server.Options) { o.PingInterval = -time.Second }},
		{"SilenceTimeout", func(o *server.Options) { o.SilenceTimeout = -time.Second }},
		{"StuckTimeout", func(o *server.Options) { o.StuckTimeout = -time.Second }},
		{"History", func(o *server.Options) { o.History = 1 }},
		{"History", func(o *server.Options) { o.History = -16 }},
		{"ChecksumEvery", func(o *server.Options) { o.ChecksumEvery = -60 }},
		{"IdleRoomLifetime", func(o *server.Options) { o.IdleRoomLifetime = -time.Second }},
		{"SocketWriteBuffer", func(o *server.Options) { o.SocketWriteBuffer = -1 }},
		{"LedgerTimeout", func(o *server.Options) { o.LedgerTimeout = -time.Second }},
		{"AllowedOrigins", func(o *server.Options) { o.AllowedOrigins = []string{"play.example.com"} }},
		{"AllowedOrigins", func(o *server.Options) { o.AllowedOrigins = []string{"https://play.example.com/game"} }},
		{"AllowedOrigins", func(o *server.Options) { o.AllowedOrigins = []string{"https://play.example.com?x=1"} }},
		{"AllowedOrigins", func(o *server.Options) { o.AllowedOrigins = []string{"https://user@play.example.com"} }},
		{"AllowedOrigins", func(o *server.Options) { o.AllowedOrigins = []string{"https://ok.example", ""} }},
	} {
		opts := server.Options{Verifier: verifier, Ledger: refuseAll{}, Logger: testkit.Quiet()}
		tc.set(&opts)
		srv, err := server.New(opts)
		if err == nil {
			srv.Shutdown(t.Context())
			t.Errorf("%s: New took %+v", tc.field, opts)
			continue
		}
		if !strings.HasPrefix(err.Error(), "server: Options."+tc.field) {
			t.Errorf("%s: error %q does not start with server: Options.%s", tc.field, err, tc.field)
		}
	}
}

func TestNewTakesSensibleOptions(t *testing.T) {
	t.Parallel()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]server.Options{
		"zero": {},
		"bounds": {
			TickRate: 1000, RoomCapacity: 64, InputQueue: 1, History: 2, ChecksumEvery: 1, ReadMaxPayload: 1,
			FloodFactor: 1, PingInterval: time.Nanosecond, SilenceTimeout: time.Nanosecond, StuckTimeout: time.Nanosecond,
			IdleRoomLifetime: time.Nanosecond, LedgerTimeout: time.Nanosecond, SocketWriteBuffer: 1,
		},
		"origins": {AllowedOrigins: []string{"https://play.example.com", "http://localhost:8080/", "https://[::1]:8443"}},
	} {
		opts.Verifier, opts.Ledger, opts.Logger = ticket.NewVerifier(signer.PublicKey()), refuseAll{}, testkit.Quiet()
		srv, err := server.New(opts)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := srv.Shutdown(t.Context()); err != nil {
			t.Errorf("%s: shutdown: %v", name, err)
		}
	}
}
