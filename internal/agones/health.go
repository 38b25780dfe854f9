// health.go — KeepHealthy, the loop that pings the sidecar's /health for as
// long as the game server runs. agones.go makes each ping.

package agones

import (
	"context"
	"time"
)

// KeepHealthy pings /health at once and then every HealthInterval, until
// ctx ends; then it returns. Run it in a goroutine of its own for the life
// of the game server.
//
// A failed ping does not stop it. The first failure of a run is logged at
// Warn with its error, the next ones only counted; the first ping that
// works again is logged at Info with the count and how long it lasted. A
// ping cut short because ctx ended is not a failure. When a ping takes
// longer than HealthInterval, the ticks it missed are dropped, not queued.
func (s *SDK) KeepHealthy(ctx context.Context) {
	log := s.opts.Logger
	tick := time.NewTicker(s.opts.HealthInterval)
	defer tick.Stop()
	var (
		failed int       // pings failed in a row
		since  time.Time // when the first of them failed
	)
	for {
		err := s.Health(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if failed == 0 {
				since = time.Now()
				log.Warn("agones: health ping failed; still pinging", "err", err, "interval", s.opts.HealthInterval)
			}
			failed++
		case failed > 0:
			log.Info("agones: health ping works again", "failed", failed, "for", time.Since(since).Round(time.Millisecond))
			failed = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
