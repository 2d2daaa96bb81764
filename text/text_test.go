package text

import "testing"

func TestClean(t *testing.T) {
	tests := []struct{ name, in, clean, oneLine string }{
		{"plain", "Acme", "Acme", "Acme"},
		{"SGR", "\x1b[31mred\x1b[0m", "red", "red"},
		{"OSC title", "a\x1b]0;pwned\x07b", "ab", "ab"},
		{"carriage return", "a\rb", "ab", "ab"},
		{"newline", "a\nb", "ab", "a b"},
		{"C1 CSI", "a\u009b2Jb", "a2Jb", "a2Jb"},
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
	if got := Lines("a\x1b[2J\nb"); got != "a\nb" {
		t.Errorf("Lines kept %q", got)
	}
	if got := Or("  ", "—"); got != "—" {
		t.Errorf("Or of a blank = %q", got)
	}
}
