// doc.go — the package overview; the parts are shape.go (what a link
// does), line.go (one direction), conn.go (both, as a net.Conn),
// dialer.go (making them), proxy.go (for a client that cannot dial one)
// and clock.go (time and deadlines).

// Package linksim puts a simulated network link between a client and a
// server in the same process, with no root and no kernel help: a one-way
// delay each way, jitter, and stalls, over TCP's promise that every byte
// arrives, in order. Tests and bots put it in front of a real server on
// 127.0.0.1 to see what a player on a real connection sees.
//
//	client                 Conn (this package)                     real socket
//	Write ──▶ up line:   [bytes | due] [bytes | due] … ──▶ pump ──▶ server
//	                      due = sent + Up.Delay ± Up.Jitter, held by stalls
//	Read  ◀── down line: [bytes | due] [bytes | due] … ◀── reader ◀── server
//	                      due = arrived + Down.Delay ± Down.Jitter, held by stalls
//
// Each direction is a line: a ring of bytes, each run of them stamped with
// the moment it falls due, bounded by a window. Bytes never overtake (a
// run drawn earlier than the one before it waits for it), and a stall
// (what a lost segment and its retransmit do to a TCP stream) holds every
// byte due while it lasts and then delivers them together, in order. A
// connection costs two goroutines, each parked on one timer or on the
// socket: the pump writes the up line's bytes to the real socket as they
// fall due, the reader stamps what the socket delivers; Read waits on the
// down line's timer itself. Nothing runs per tick, nothing per byte but a
// copy; the steady state allocates nothing.
//
// Three ways in:
//
//	// a client that takes a dial function (gws, net/http)
//	d := &linksim.Dialer{Link: linksim.Link{
//		Up:   linksim.Shape{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond},
//		Down: linksim.Shape{Delay: 50 * time.Millisecond, Jitter: 10 * time.Millisecond,
//			StallEvery: 5 * time.Second, Stall: 200 * time.Millisecond},
//		Seed: 1,
//	}}
//	conn, _, err := gws.NewClient(handler, &gws.ClientOption{Addr: url,
//		NewDialer: func() (gws.Dialer, error) { return d, nil }})
//
//	// a connection made already
//	shaped, err := linksim.Wrap(raw, link)
//
//	// a client that can only be given an address (a browser): a proxy
//	p, err := linksim.Listen("127.0.0.1:0", "127.0.0.1:8080", link)
//	defer p.Close()
//	// open http://<p.Addr()>/: lobby calls and WebSocket both cross it
//
// The same seed and the same writes at the same moments draw the same
// delays and stalls; how late a timer fires is the machine's (about a
// millisecond or less on an idle one, bench_test.go measures it).
package linksim
