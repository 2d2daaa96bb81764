package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"

	"github.com/senderpool/senderpool/keystore"
)

// prompter asks questions on the terminal, or reads answers from a
// non-terminal stdin (one per line), never echoing a secret. Every read
// ends when ctx does (ctrl+c, a signal), with the terminal as it was.
type prompter struct {
	in     io.Reader
	errOut io.Writer
	reader *bufio.Reader
	// stuck is set when a read was abandoned: its goroutine still owns
	// the reader, so no other read may start.
	stuck bool
}

func newPrompter(sys System) *prompter {
	return &prompter{in: sys.In, errOut: sys.Err, reader: bufio.NewReader(sys.In)}
}

// interactive reports whether stdin is a terminal a person answers on.
func (p *prompter) interactive() bool { return isTerminal(p.in) }

// line asks for a visible answer (the question is shown on a terminal
// only). At the end of a piped stdin the answer is what came before, maybe
// nothing.
func (p *prompter) line(ctx context.Context, question string) (string, error) {
	if p.interactive() {
		fmt.Fprint(p.errOut, question)
	}
	s, err := p.readLine(ctx)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the answer to %q: %w", strings.TrimSpace(question), err)
	}
	return strings.TrimSpace(s), nil
}

// readLine reads one line in a goroutine of its own, so that the wait can
// end with ctx: a blocked read of a terminal cannot be interrupted.
func (p *prompter) readLine(ctx context.Context) (string, error) {
	if p.stuck {
		return "", context.Cause(ctx)
	}
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := p.reader.ReadString('\n')
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-ctx.Done():
		p.stuck = true
		return "", ctx.Err()
	}
}

// yes asks a y/N question; only y or yes agrees.
func (p *prompter) yes(ctx context.Context, question string) (bool, error) {
	a, err := p.line(ctx, question)
	if err != nil {
		return false, err
	}
	a = strings.ToLower(a)
	return a == "y" || a == "yes", nil
}

// secret asks for a masked answer on a terminal, or takes the next line
// of a piped stdin, without the spaces around it: a token has none, and a
// paste often brings some.
func (p *prompter) secret(ctx context.Context, question string) (string, error) {
	s, err := p.hidden(ctx, question)
	return strings.TrimSpace(s), err
}

// hidden asks for a masked answer on a terminal, or takes the next line
// of a piped stdin, as typed: only the line ending goes
// (keystore.TrimLineEnding, the passphrase rule).
func (p *prompter) hidden(ctx context.Context, question string) (string, error) {
	f, ok := p.in.(*os.File)
	if !ok || !p.interactive() {
		s, err := p.readLine(ctx)
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the answer to %q: %w", strings.TrimSpace(question), err)
		}
		return keystore.TrimLineEnding(s), nil
	}
	s, err := p.readHidden(ctx, f, question)
	fmt.Fprintln(p.errOut) // the Enter (or ctrl+c) was not echoed
	if err != nil {
		return "", fmt.Errorf("reading the answer to %q: %w", strings.TrimSpace(question), err)
	}
	return s, nil
}

// errInterrupted is ctrl+c typed at a hidden prompt: in raw mode it
// arrives as a byte, not as a signal.
var errInterrupted = errors.New("interrupted")

// readHidden asks question and reads a line with nothing echoed. The
// terminal is put in raw mode before the question is shown (what is typed
// as soon as it shows is not echoed either) and back when this returns,
// however it returns. term.ReadPassword changes the mode inside the read
// it is blocked in: a ctrl+c that ends the wait can come before that and
// leave echo off for good.
func (p *prompter) readHidden(ctx context.Context, f *os.File, question string) (string, error) {
	if p.stuck {
		return "", context.Cause(ctx)
	}
	saved, err := term.MakeRaw(f.Fd())
	if err != nil {
		return "", err
	}
	defer term.Restore(f.Fd(), saved)
	fmt.Fprint(p.errOut, question)
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := readRawLine(f)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-ctx.Done():
		p.stuck = true
		return "", ctx.Err()
	}
}

// readRawLine reads up to Enter from a terminal in raw mode, which edits
// nothing itself: backspace and ctrl+u edit here, ctrl+c is
// errInterrupted, ctrl+d on an empty line is the end of the input. It
// reads no byte past the Enter, so the next prompt gets what follows.
func readRawLine(r io.Reader) (string, error) {
	var line []byte
	var c [1]byte
	for {
		n, err := r.Read(c[:])
		if n == 1 {
			switch b := c[0]; {
			case b == '\r' || b == '\n':
				return string(line), nil
			case b == 0x03: // ctrl+c
				return "", errInterrupted
			case b == 0x04 && len(line) == 0: // ctrl+d
				return "", io.EOF
			case b == 0x7f || b == 0x08: // backspace: the last character
				if len(line) > 0 {
					_, size := utf8.DecodeLastRune(line)
					line = line[:len(line)-size]
				}
			case b == 0x15: // ctrl+u
				line = line[:0]
			case b >= 0x20:
				line = append(line, b)
			}
		}
		if err != nil {
			return string(line), err
		}
	}
}

// passphrase is the file store's passphrase: SENDERPOOL_PASSPHRASE, else
// a masked prompt (twice when creating the file). Either way it is taken
// as typed, only the line ending removed, so that one with spaces around
// it opens the file both ways. A nil prompter never prompts: the
// dashboard owns the terminal.
func (p *prompter) passphrase(a *app) func(context.Context, bool) (string, error) {
	return func(ctx context.Context, confirm bool) (string, error) {
		if v := keystore.TrimLineEnding(a.getenv("SENDERPOOL_PASSPHRASE")); v != "" {
			return v, nil
		}
		if p == nil || !p.interactive() {
			return "", fmt.Errorf("%w: stdin is not a terminal to ask on, so set SENDERPOOL_PASSPHRASE", keystore.ErrNoPassphrase)
		}
		first, err := p.hidden(ctx, "Passphrase for the encrypted secret file: ")
		if err != nil || !confirm {
			return first, err
		}
		second, err := p.hidden(ctx, "Same passphrase again: ")
		if err != nil {
			return "", err
		}
		if first != second {
			return "", fmt.Errorf("%w: the two passphrases differ", keystore.ErrNoPassphrase)
		}
		return first, nil
	}
}
