// playername.go — the display-name rule. ticket/names.go wraps Check as
// ticket.ValidName for the lobby and the tickets; client/title.go uses
// Allowed and MaxRunes to filter what is typed, and Check before Play.

package playername

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRunes is the longest display name, in runes (characters).
const MaxRunes = 16

// Allowed reports whether r may appear in a name at all: a letter, digit,
// space, '_', '-' or '.', or a combining mark (which Check refuses first).
func Allowed(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '_' || r == '-' || r == '.' || combining(r)
}

func combining(r rune) bool { return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) }

// Check checks a requested display name. It returns the name normalized
// and "" when the name is valid, else "" and what is wrong with it, in
// words fit to show the player.
//
// Leading and trailing white space is trimmed. What remains must be valid
// UTF-8, 1 to MaxRunes characters long, made of letters, digits, spaces,
// '_', '-' and '.', and contain at least one letter or digit. Combining
// marks (as in Devanagari or decomposed accents) are allowed after another
// character, not first. Control and formatting characters are never
// allowed.
func Check(s string) (name, problem string) {
	if !utf8.ValidString(s) {
		return "", "not valid UTF-8 text"
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "empty"
	}
	if n := utf8.RuneCountInString(s); n > MaxRunes {
		return "", fmt.Sprintf("%d characters long; at most %d allowed", n, MaxRunes)
	}
	alnum := false
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		case r == ' ' || r == '_' || r == '-' || r == '.':
		case combining(r):
			if i == 0 {
				return "", fmt.Sprintf("starts with a combining mark (U+%04X)", r)
			}
		case unicode.IsControl(r):
			return "", fmt.Sprintf("contains a control character (U+%04X)", r)
		default:
			return "", fmt.Sprintf("contains %q (U+%04X); allowed are letters, digits, space, '_', '-' and '.'", r, r)
		}
	}
	if !alnum {
		return "", "needs at least one letter or digit"
	}
	return s, ""
}
