// names.go — display-name rules: what a player may call themselves. The
// lobby (lobby/play.go, lobby/session.go) runs every requested name
// through ValidName before a seat is reserved; ticket.go refuses to sign
// or accept a name that ValidName would change, so every name inside a
// valid ticket obeys these rules, and a game server may show it as it is.

package ticket

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes is the longest display name, in runes (characters).
const maxNameRunes = 16

// ErrInvalidName is wrapped by every error ValidName returns; the text after
// it says which rule the name broke.
var ErrInvalidName = errors.New("ticket: invalid name")

// ValidName checks a requested display name and returns it normalized.
//
// Leading and trailing white space is trimmed. What remains must be valid
// UTF-8, 1 to 16 characters long, made of letters, digits, spaces, '_', '-'
// and '.', and contain at least one letter or digit. Combining marks (as in
// Devanagari or decomposed accents) are allowed after another character, not
// first. Control and formatting characters are never allowed.
//
// Errors wrap ErrInvalidName and say why, in words fit to show the player.
func ValidName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: not valid UTF-8 text", ErrInvalidName)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidName)
	}
	if n := utf8.RuneCountInString(s); n > maxNameRunes {
		return "", fmt.Errorf("%w: %d characters long; at most %d allowed", ErrInvalidName, n, maxNameRunes)
	}
	alnum := false
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		case r == ' ' || r == '_' || r == '-' || r == '.':
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if i == 0 {
				return "", fmt.Errorf("%w: starts with a combining mark (U+%04X)", ErrInvalidName, r)
			}
		case unicode.IsControl(r):
			return "", fmt.Errorf("%w: contains a control character (U+%04X)", ErrInvalidName, r)
		default:
			return "", fmt.Errorf("%w: contains %q (U+%04X); allowed are letters, digits, space, '_', '-' and '.'", ErrInvalidName, r, r)
		}
	}
	if !alnum {
		return "", fmt.Errorf("%w: needs at least one letter or digit", ErrInvalidName)
	}
	return s, nil
}
