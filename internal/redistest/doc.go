// doc.go — the package overview; the starter is in redistest.go.

// Package redistest starts a real redis-server for tests that need one,
// the way DESIGN.md asks: on a free loopback port, in a temporary directory,
// with persistence off, stopped when the test ends.
//
//	func TestSomething(t *testing.T) {
//		srv := redistest.Start(t) // skips without redis-server, fails with CI=true
//		opts, _ := redis.ParseURL(srv.URL())
//		client := redis.NewClient(opts)
//		...
//	}
//
// Without redis-server in PATH the test is skipped, except when CI=true,
// where it fails and says: apt-get install -y redis-server.
package redistest
