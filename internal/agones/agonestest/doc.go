// doc.go — the package overview; the stand-in itself is in agonestest.go.

// Package agonestest is a small local stand-in for the Agones SDK sidecar's
// REST API, for tests. It is not Agones: there is no Kubernetes, no
// controller and no health checking behind it. It listens on a free
// 127.0.0.1 port, records every request in order, and answers the few
// endpoints Skirmish uses the way the sidecar does:
//
//	POST /ready, /health, /allocate, /shutdown   200 {}; the body must be a JSON
//	                                             object ({}), and /health without
//	                                             a body is 400, as in the sidecar
//	GET  /gameserver                             200 and the GameServer record, with
//	                                             the proto field names (object_meta,
//	                                             status.ports[].port) and the int64
//	                                             fields as strings, as the sidecar's
//	                                             gateway writes them
//	anything else                                404; a known path with the wrong
//	                                             method, 405
//
// The record's state follows the calls, a simplified Agones lifecycle:
// Scheduled at the start, Ready after /ready, Allocated after /allocate,
// Shutdown after /shutdown, for good (Agones passes through RequestReady on
// the way to Ready; the stand-in does not). Its name ("local"), address
// (127.0.0.1) and ports (default: 7777) are those of the sidecar's local
// mode until a test sets others. Fail makes a path answer an error status.
//
//	func TestNode(t *testing.T) {
//		sidecar := agonestest.Start(t) // closed when the test ends
//		sidecar.SetAddress("203.0.113.7")
//		t.Setenv("AGONES_SDK_HTTP_PORT", strconv.Itoa(sidecar.Port()))
//		... start the code under test ...
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		if err := sidecar.WaitFor(ctx, "/ready", 1); err != nil {
//			t.Fatal(err)
//		}
//	}
package agonestest
