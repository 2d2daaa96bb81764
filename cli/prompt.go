package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
// of a piped stdin.
func (p *prompter) secret(ctx context.Context, question string) (string, error) {
	f, ok := p.in.(*os.File)
	if !ok || !p.interactive() {
		return p.line(ctx, question)
	}
	fmt.Fprint(p.errOut, question)
	s, err := p.readHidden(ctx, f.Fd())
	fmt.Fprintln(p.errOut) // the Enter (or ctrl+c) was not echoed
	if err != nil {
		return "", fmt.Errorf("reading the answer to %q: %w", strings.TrimSpace(question), err)
	}
	return strings.TrimSpace(s), nil
}

// readHidden is term.ReadPassword that ends with ctx. ReadPassword turns
// echo off and puts it back only when its read returns, which it never
// does once abandoned: on cancel the state saved first is put back here.
func (p *prompter) readHidden(ctx context.Context, fd uintptr) (string, error) {
	if p.stuck {
		return "", context.Cause(ctx)
	}
	saved, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return string(r.b), r.err
	case <-ctx.Done():
		p.stuck = true
		_ = term.Restore(fd, saved)
		return "", ctx.Err()
	}
}

// passphrase is the file store's passphrase: SENDERPOOL_PASSPHRASE, else
// a masked prompt (twice when creating the file). A nil prompter never
// prompts: the dashboard owns the terminal.
func (p *prompter) passphrase(a *app) func(context.Context, bool) (string, error) {
	return func(ctx context.Context, confirm bool) (string, error) {
		if v := a.getenv("SENDERPOOL_PASSPHRASE"); v != "" {
			return v, nil
		}
		if p == nil || !p.interactive() {
			return "", fmt.Errorf("%w: stdin is not a terminal to ask on, so set SENDERPOOL_PASSPHRASE", keystore.ErrNoPassphrase)
		}
		first, err := p.secret(ctx, "Passphrase for the encrypted secret file: ")
		if err != nil || !confirm {
			return first, err
		}
		second, err := p.secret(ctx, "Same passphrase again: ")
		if err != nil {
			return "", err
		}
		if first != second {
			return "", fmt.Errorf("%w: the two passphrases differ", keystore.ErrNoPassphrase)
		}
		return first, nil
	}
}
