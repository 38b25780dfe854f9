// doc.go — the package overview. The client and the lifecycle calls are in
// agones.go, the GameServer record and the public address in gameserver.go,
// the health pings in health.go; agonestest is the stand-in sidecar the
// tests talk to.

// Package agones is a small client for the Agones SDK's REST (HTTP) API,
// the sidecar that Agones runs beside every game server pod. A Skirmish
// node uses it to learn the address players reach it at, to say when it is
// ready, to keep telling Agones that it is healthy, and to say when it is
// done.
//
//	skirmish node ──POST /ready, /health, /allocate, /shutdown──▶ SDK sidecar
//	              ◀─GET /gameserver: state, address, ports────────  (localhost:$AGONES_SDK_HTTP_PORT)
//
// Outside Agones the variable AGONES_SDK_HTTP_PORT is unset and FromEnv
// says so; the node then runs on its own, with --public-url.
//
//	sdk, ok := agones.FromEnv()
//	if ok {
//		gs, err := sdk.WaitGameServer(ctx) // the sidecar may start after us
//		...
//		publicURL, err := agones.PublicURL(gs, "/ws") // ws://ADDRESS:PORT/ws
//		...
//		go sdk.KeepHealthy(ctx) // POST /health every Options.HealthInterval
//		err = sdk.Ready(ctx)
//		...
//		<-ctx.Done() // drain the rooms, then
//		err = sdk.Shutdown(context.Background())
//	}
//
// Every call is one HTTP request with a timeout (Options.Timeout), and every
// POST carries the body {} as application/json, as the REST API wants (the
// sidecar answers a /health without a body with 400). A call that gets
// anything but 200 returns a *StatusError with the status and the start of
// the body. The package does not retry, except WaitGameServer, which is
// meant for start-up.
//
// The package uses only the standard library; it speaks the REST gateway of
// the stable SDK (agones.dev/sdk), whose JSON uses the proto field names
// (object_meta, status.ports[].port).
package agones
