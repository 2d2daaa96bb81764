// Package text is the trust boundary for text from outside the process
// (API fields, error texts, config, environment): what it returns is safe
// to print to a terminal or put on the clipboard. The CLI and the
// dashboard both use it.
//
// Nothing is dropped silently: a control character, the start of an
// escape sequence, a bidi or invisible format character becomes a
// visible, inert escape (\x1b, \u202e), and invalid UTF-8 becomes U+FFFD,
// so a person sees that the text held something odd and an attacker's
// sequence does nothing.
package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean makes outside text safe to print on one line: the result holds
// no control, format, line or paragraph separator character and no
// invalid UTF-8. Clean is idempotent.
func Clean(s string) string {
	if safe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case inert(r):
			b.WriteRune(r)
		default:
			b.WriteString(escape(r))
		}
	}
	return b.String()
}

// Lines is Clean for text shown over several lines: its own line breaks
// are kept, everything else on each line is cleaned.
func Lines(s string) string {
	// Each line on its own: bytes that are invalid UTF-8 on either side of
	// a line break could make a valid character once the break is gone.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Clean(l)
	}
	return strings.Join(lines, "\n")
}

// OneLine is Clean for prose that must stay on one line, such as an error
// message: its line breaks become spaces, the rest is cleaned.
func OneLine(s string) string {
	return Clean(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", " "), "\n", " "))
}

// Or returns s cleaned, or fallback when s is blank (a null field).
func Or(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return Clean(s)
}

// safe reports text that Clean would return unchanged.
func safe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return safeSlow(s)
		}
	}
	return true
}

func safeSlow(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !inert(r) {
			return false
		}
	}
	return true
}

// inert reports a rune a terminal shows as itself: not a control (C0, DEL,
// C1), not a format character (bidi controls, zero-width characters, the
// BOM, the soft hyphen…), not a line or paragraph separator, and not one
// of the invisible fillers that pass for letters.
func inert(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return false
	case r < 0x7f:
		return true
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r):
		return false
	case r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x2800: // blank "letters"
		return false
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation controls
		return false
	}
	return true
}

// escape is the visible form of a rune that is not inert.
func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	if r > 0xffff {
		return fmt.Sprintf(`\U%08x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
