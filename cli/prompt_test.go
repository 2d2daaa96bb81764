package cli

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadRawLine(t *testing.T) {
	tests := []struct {
		name  string
		typed string
		want  string
		err   error
		rest  string // left unread for the next prompt
	}{
		{name: "enter", typed: "s3cret\r", want: "s3cret"},
		{name: "newline", typed: "s3cret\n", want: "s3cret"},
		{name: "nothing past the enter", typed: "first\rsecond\r", want: "first", rest: "second\r"},
		{name: "backspace", typed: "s3cx\x7fret\r", want: "s3cret"},
		{name: "backspace over a multi-byte character", typed: "pässé\x7f\x7fs\r", want: "päss"},
		{name: "ctrl+h", typed: "ab\bc\r", want: "ac"},
		{name: "ctrl+u", typed: "wrong\x15right\r", want: "right"},
		{name: "ctrl+c", typed: "half\x03rest\r", err: errInterrupted, rest: "rest\r"},
		{name: "ctrl+d on an empty line", typed: "\x04", err: io.EOF},
		{name: "other controls are dropped", typed: "a\x01\x1bb\r", want: "ab"},
		{name: "end of input", typed: "partial", want: "partial", err: io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := strings.NewReader(tt.typed)
			got, err := readRawLine(r)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("readRawLine = %q, %v; want error %v", got, err, tt.err)
			}
			if tt.err == nil || errors.Is(tt.err, io.EOF) {
				if got != tt.want {
					t.Errorf("read %q, want %q", got, tt.want)
				}
			}
			if rest, _ := io.ReadAll(r); string(rest) != tt.rest {
				t.Errorf("left %q unread, want %q", rest, tt.rest)
			}
		})
	}
}

// TestPromptEndsWithContext: a question nobody answers ends when the
// context does (ctrl+c, a signal), and no later read starts.
func TestPromptEndsWithContext(t *testing.T) {
	in, feed := io.Pipe()
	defer feed.Close() // lets the abandoned read end
	p := newPrompter(System{In: in, Err: io.Discard})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := p.yes(ctx, "Detach? [y/N] ")
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("yes = %v, want context.Canceled", err)
	}
	if _, err := p.line(ctx, "again: "); !errors.Is(err, context.Canceled) {
		t.Errorf("a read after an abandoned one = %v, want the context's error", err)
	}
}

// TestPromptOffTerminal: off a terminal the answers are stdin's lines,
// the questions are not shown, and a secret is a plain line.
func TestPromptOffTerminal(t *testing.T) {
	var shown strings.Builder
	p := newPrompter(System{In: strings.NewReader("yes\n s3cret \nlast"), Err: &shown})
	if ok, err := p.yes(t.Context(), "Detach? [y/N] "); !ok || err != nil {
		t.Errorf("yes = %v, %v", ok, err)
	}
	if s, err := p.secret(t.Context(), "Secret: "); s != "s3cret" || err != nil {
		t.Errorf("secret = %q, %v", s, err)
	}
	if s, err := p.line(t.Context(), "Last: "); s != "last" || err != nil {
		t.Errorf("line at the end of stdin = %q, %v", s, err)
	}
	if s, err := p.line(t.Context(), "More: "); s != "" || err != nil {
		t.Errorf("line past the end = %q, %v; want nothing", s, err)
	}
	if shown.Len() != 0 {
		t.Errorf("questions shown off a terminal: %q", shown.String())
	}
}
