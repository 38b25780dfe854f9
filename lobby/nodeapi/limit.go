// limit.go — the node API's two limits, token buckets taken by
// service.go's admit: each community node's requests (Options.Rate and
// Burst), by credential name, once a request's credential and signature
// checked out, so no one else can spend a node's budget; and failed
// authentications by client address (authFailRate, authFailBurst), so a
// flood of forged requests costs the lobby a signature check only a few
// times a second. Each lobby process limits on its own, in
// internal/ratelimit's buckets, as lobby/ratelimit.go's login limit does.

package nodeapi

import (
	"time"

	"skirmish/internal/ratelimit"
)

const (
	authFailRate  = 2.0 // failed authentications a second per address, sustained
	authFailBurst = 20  // at once
	// limitTellEvery spaces the warnings of one limited key: the rest of
	// its refusals are counted and logged at debug level.
	limitTellEvery = 10 * time.Second
)

// newLimiter is a limit of rate a second and burst at once, by key, whose
// refusals of one key are told of once a limitTellEvery.
func newLimiter(rate float64, burst int) *ratelimit.Limiter {
	return ratelimit.New(ratelimit.Options{Rate: rate, Burst: burst, MaxKeys: maxBuckets, TellEvery: limitTellEvery})
}
