// names.go — display-name rules: what a player may call themselves. The
// rule itself lives in skirmish/playername, which the WebAssembly client
// links too; this wraps it for the lobby (lobby/play.go, lobby/session.go),
// which runs every requested name through ValidName before a seat is
// reserved, and for ticket.go, which refuses to sign or accept a name that
// ValidName would change, so every name inside a valid ticket obeys these
// rules, and a game server may show it as it is.

package ticket

import (
	"errors"
	"fmt"

	"skirmish/playername"
)

// ErrInvalidName is wrapped by every error ValidName returns; the text after
// it says which rule the name broke.
var ErrInvalidName = errors.New("ticket: invalid name")

// ValidName checks a requested display name and returns it normalized, as
// playername.Check says: leading and trailing white space trimmed, 1 to 16
// characters of letters, digits, spaces, '_', '-' and '.' (combining marks
// after another character), at least one letter or digit.
//
// Errors wrap ErrInvalidName and say why, in words fit to show the player.
func ValidName(s string) (string, error) {
	name, problem := playername.Check(s)
	if problem != "" {
		return "", fmt.Errorf("%w: %s", ErrInvalidName, problem)
	}
	return name, nil
}
