package text

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestClean(t *testing.T) {
	tests := []struct{ name, in, clean, oneLine string }{
		{"plain", "Acme", "Acme", "Acme"},
		{"unicode kept", "エージェント 🚀 é", "エージェント 🚀 é", "エージェント 🚀 é"},
		{"SGR", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`, `\x1b[31mred\x1b[0m`},
		{"OSC title", "a\x1b]0;pwned\x07b", `a\x1b]0;pwned\x07b`, `a\x1b]0;pwned\x07b`},
		{"OSC 52", "\x1b]52;c;ZWNobyBwd25lZA==\x07", `\x1b]52;c;ZWNobyBwd25lZA==\x07`, `\x1b]52;c;ZWNobyBwd25lZA==\x07`},
		{"OSC 8 link", "\x1b]8;;https://evil\x1b\\x\x1b]8;;\x1b\\", `\x1b]8;;https://evil\x1b\x\x1b]8;;\x1b\`, `\x1b]8;;https://evil\x1b\x\x1b]8;;\x1b\`},
		{"carriage return", "a\rb", `a\rb`, `a\rb`},
		{"backspace", "ab\bc", `ab\x08c`, `ab\x08c`},
		{"newline", "a\nb", `a\nb`, "a b"},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"bidi override", "svc\u202egpj.exe", `svc\u202egpj.exe`, `svc\u202egpj.exe`},
		{"bidi isolate", "a\u2066b\u2069", `a\u2066b\u2069`, `a\u2066b\u2069`},
		{"zero width", "XE\u200b12", `XE\u200b12`, `XE\u200b12`},
		{"BOM and soft hyphen", "\ufeffa\u00adb", `\ufeffa\u00adb`, `\ufeffa\u00adb`},
		{"line separator", "a\u2028b", `a\u2028b`, `a\u2028b`},
		{"hangul filler", "a\u3164b", `a\u3164b`, `a\u3164b`},
		{"invalid UTF-8", "a\xffb\xc3", "a\uFFFDb\uFFFD", "a\uFFFDb\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.clean {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.clean)
			}
			if got := OneLine(tt.in); got != tt.oneLine {
				t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.oneLine)
			}
		})
	}
	if got := Lines("a\x1b[2J\nb"); got != "a\\x1b[2J\nb" {
		t.Errorf("Lines = %q", got)
	}
	if got := Or("  ", "—"); got != "—" {
		t.Errorf("Or of a blank = %q", got)
	}
}

// FuzzClean: Clean is idempotent, its output is valid UTF-8 with no
// control or format character, stays on one line, and is as wide as it
// prints (no sequence hides or moves anything).
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "Acme", "\x1b[31mx", "\x1b]52;c;AAAA\x07", "a\r\nb", "\u202e\u200b\ufeff", "\xff\xfe", "\u009b31m", strings.Repeat("長🚀", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if again := Clean(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", s, out, again)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
		}
		for _, r := range out {
			if !inert(r) {
				t.Fatalf("%q kept %U", s, r)
			}
		}
		if strings.ContainsAny(out, "\n\r\x1b") {
			t.Fatalf("%q: output %q can span lines or start a sequence", s, out)
		}
		if ansi.Strip(out) != out {
			t.Fatalf("%q: output %q holds a sequence", s, out)
		}
		if lines := Lines(s); !utf8.ValidString(lines) || strings.ContainsAny(lines, "\r\x1b") {
			t.Fatalf("Lines(%q) = %q", s, lines)
		}
	})
}
