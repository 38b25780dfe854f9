// main.go — subcommand dispatch. Each subcommand lives in its own file.

package main

import (
	"fmt"
	"os"
)

const usage = `usage: skirmish <command> [flags]

commands:
  serve   run the lobby, the game server and the web client in one process
  lobby   run a lobby (and the web client) that places rooms on game nodes, on Redis
  node    run a game node that hosts the rooms lobbies place on it, on Redis (or, a
          community node, through a lobby with a credential)
  keygen  write a ticket-signing key for the lobbies, or a community node's credential
  bots    load-test a running server with a swarm of headless bots
  replay  verify match tick logs (replay verify FILE...)

Run "skirmish <command> -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "lobby":
		err = runLobby(os.Args[2:])
	case "node":
		err = runNode(os.Args[2:])
	case "keygen":
		err = keygen(os.Args[2:])
	case "bots":
		err = runBots(os.Args[2:])
	case "replay":
		err = replay(os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "skirmish: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "skirmish:", err)
		os.Exit(1)
	}
}
