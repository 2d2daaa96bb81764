package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyTerm runs the real binary on a pseudo-terminal and plays the terminal:
// it records every byte the program writes and answers the queries a real
// terminal answers (background colour: dark; synchronized output: supported,
// so every frame ends with a recognisable marker). It keeps the terminal
// side open until the program has exited, to read the mode (echo) the
// program left it in.
type ptyTerm struct {
	t    testing.TB
	cmd  *exec.Cmd
	tty  *os.File // the terminal side, the program's stdin, stdout and stderr
	pty  *os.File // our side
	mu   sync.Mutex
	out  bytes.Buffer
	cond *sync.Cond
	done chan struct{}
	err  error     // from Wait
	eof  bool      // the reader saw the end of the output
	echo echoState // the terminal's echo once the program had exited
}

// Escape sequences the harness looks for.
const (
	querySync     = "\x1b[?2026$p"
	frameEnd      = "\x1b[?2026l"
	queryBg       = "\x1b]11;?"
	altScreenOn   = "\x1b[?1049h"
	altScreenOff  = "\x1b[?1049l"
	cursorHidden  = "\x1b[?25l"
	cursorShown   = "\x1b[?25h"
	modifyKeysOff = "\x1b[>4m"
)

func startPty(t testing.TB, bin string, cols, rows int, env []string, args ...string) *ptyTerm {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cleanEnv(t), env...)
	ptmx, tty, err := pty.Open()
	if errors.Is(err, pty.ErrUnsupported) {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		t.Fatal(err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = controllingTerminal()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &ptyTerm{t: t, cmd: cmd, tty: tty, pty: ptmx, done: make(chan struct{})}
	p.cond = sync.NewCond(&p.mu)
	go p.read()
	go func() {
		err := cmd.Wait()
		echo := echoOf(tty)
		tty.Close() // the last terminal-side file: the reader now sees the end
		p.mu.Lock()
		p.err, p.echo = err, echo
		p.mu.Unlock()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		ptmx.Close()
	})
	return p
}

// cleanEnv is the environment without what changes rendering (CI and
// NO_COLOR turn colour off; SSH_TTY turns synchronized output off), with a
// private config dir and nothing of the machine's credentials.
func cleanEnv(t testing.TB) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "CI", k == "NO_COLOR", k == "SSH_TTY", k == "TERM", k == "TERM_PROGRAM", k == "COLORTERM",
			strings.HasPrefix(k, "TWILIO_"), strings.HasPrefix(k, "SENDERPOOL_"):
			continue
		}
		env = append(env, kv)
	}
	// The config and state dirs are the test's own: a change made here
	// never reaches the real record of changes.
	return append(env, "TERM=xterm-256color", "COLORTERM=truecolor", "SENDERPOOL_CONFIG_DIR="+t.TempDir(), "SENDERPOOL_STATE_DIR="+t.TempDir())
}

func (p *ptyTerm) read() {
	buf := make([]byte, 32<<10)
	for {
		n, err := p.pty.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if bytes.Contains(chunk, []byte(querySync)) {
				_, _ = p.pty.WriteString("\x1b[?2026;2$y") // supported, currently reset
			}
			if bytes.Contains(chunk, []byte(queryBg)) {
				_, _ = p.pty.WriteString("\x1b]11;rgb:1a1a/1a1a/1a1a\x1b\\")
			}
			p.mu.Lock()
			p.out.Write(chunk)
			p.cond.Broadcast()
			p.mu.Unlock()
		}
		if err != nil {
			p.mu.Lock()
			p.eof = true
			p.cond.Broadcast()
			p.mu.Unlock()
			return
		}
	}
}

// waitUntil blocks until cond holds for the output so far, or fails.
func (p *ptyTerm) waitUntil(what string, cond func(out []byte) bool) {
	p.t.Helper()
	p.wait(what, func() bool { return cond(p.out.Bytes()) }, true)
}

// drained blocks until the reader has seen the end of the output: the
// process may exit before its last bytes (the terminal restore, the crash
// report) have been read from the pty.
func (p *ptyTerm) drained() {
	p.t.Helper()
	p.wait("end of the output", func() bool { return p.eof }, false)
}

// wait blocks until cond, called under p.mu, holds; it fails after 15 s,
// or at the end of the output when endFails is set.
func (p *ptyTerm) wait(what string, cond func() bool, endFails bool) {
	p.t.Helper()
	expired := false
	timer := time.AfterFunc(15*time.Second, func() {
		p.mu.Lock()
		expired = true
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer timer.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for !cond() {
		if expired || (endFails && p.eof) {
			p.t.Fatalf("no %s (timed out: %v, output ended: %v); last output: %q", what, expired, p.eof, tail(p.out.Bytes(), 600))
		}
		p.cond.Wait()
	}
}

func (p *ptyTerm) waitText(s string) {
	p.t.Helper()
	p.waitUntil(strings.TrimSpace(s), func(out []byte) bool { return bytes.Contains(out, []byte(s)) })
}

// frames counts completed frames so far.
func (p *ptyTerm) frames() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Count(p.out.Bytes(), []byte(frameEnd))
}

func (p *ptyTerm) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Len()
}

func (p *ptyTerm) send(s string) {
	p.t.Helper()
	if _, err := p.pty.WriteString(s); err != nil {
		p.t.Fatal(err)
	}
}

// exitCode waits for the program to end.
func (p *ptyTerm) exitCode() int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.t.Fatalf("program did not exit; output: %q", tail(p.output(), 400))
	}
	p.drained()
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	return 0
}

func (p *ptyTerm) output() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.out.Bytes())
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// restored reports what the terminal was left with: alt screen left,
// cursor shown, modifyOtherKeys reset, each after its last opposite.
func restored(out []byte) []string {
	var problems []string
	check := func(on, off, what string) {
		if bytes.LastIndex(out, []byte(off)) < bytes.LastIndex(out, []byte(on)) {
			problems = append(problems, what)
		}
	}
	check(altScreenOn, altScreenOff, "still in the alternate screen")
	check(cursorHidden, cursorShown, "cursor still hidden")
	if !bytes.Contains(out, []byte(modifyKeysOff)) {
		problems = append(problems, "keyboard mode (modifyOtherKeys) not reset")
	}
	return problems
}

func TestTerminalRestored(t *testing.T) {
	bin := crashBinary(t)
	tests := []struct {
		name   string
		end    func(p *ptyTerm)
		code   int
		stderr string
	}{
		{"q", func(p *ptyTerm) { p.send("q") }, 0, ""},
		{"ctrl+c", func(p *ptyTerm) { p.send("\x03") }, 0, ""},
		{"SIGTERM", func(p *ptyTerm) { _ = p.cmd.Process.Signal(syscall.SIGTERM) }, 128 + 15, ""},
		{"SIGHUP", func(p *ptyTerm) { _ = p.cmd.Process.Signal(syscall.SIGHUP) }, 128 + 1, ""},
		{"panic in Update", func(p *ptyTerm) { p.send("\x1b[23~") }, 1, "senderpool crashed: test panic in Update"},
		{"panic in View", func(p *ptyTerm) { p.send("\x1b[24~") }, 1, "senderpool crashed: test panic in View"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The crash report goes to the user's state dir, never the
			// temp dir: both this test's own.
			tmp, home, state := t.TempDir(), t.TempDir(), t.TempDir()
			p := startPty(t, bin, 100, 30, []string{"TMPDIR=" + tmp, "HOME=" + home, "XDG_STATE_HOME=" + state}, "--demo")
			p.waitText("Acme Notifications")
			tt.end(p)
			if code := p.exitCode(); code != tt.code {
				t.Errorf("exit code %d, want %d; output tail %q", code, tt.code, tail(p.output(), 300))
			}
			out := p.output()
			if problems := restored(out); len(problems) > 0 {
				t.Errorf("terminal not restored: %v", problems)
			}
			reports, _ := filepath.Glob(filepath.Join(state, "senderpool", "senderpool-crash-*.txt"))
			if stray, _ := filepath.Glob(filepath.Join(tmp, "*")); len(stray) > 0 {
				t.Errorf("files left in the temp dir: %v", stray)
			}
			if tt.stderr == "" {
				if len(reports) > 0 {
					t.Errorf("crash reports without a crash: %v", reports)
				}
				return
			}
			if !bytes.Contains(out, []byte(tt.stderr)) {
				t.Errorf("no short crash report %q in %q", tt.stderr, tail(out, 400))
			}
			if bytes.Contains(out, []byte("goroutine ")) {
				t.Error("a raw stack trace was printed instead of a short report")
			}
			if len(reports) != 1 || !bytes.Contains(out, []byte(filepath.Base(reports[0]))) {
				t.Errorf("want one full report in the state dir, named in the output; got %v", reports)
			} else if b, err := os.ReadFile(reports[0]); err != nil || !bytes.Contains(b, []byte("goroutine ")) {
				t.Errorf("the full report holds no stack (%v): %.200q", err, b)
			} else if fi, dir := statMode(t, reports[0]), statMode(t, filepath.Dir(reports[0])); fi != 0o600 || dir != 0o700 {
				t.Errorf("report mode %o in a dir of mode %o, want 600 in 700", fi, dir)
			}
		})
	}
}

// moveBytes opens the demo grown to 10,002 senders of every kind (4,500
// channel senders, 4,500 phone numbers, 1,000 short codes, 2 alpha) at
// 120×40 with the detail pane and returns the bytes written for each of n
// cursor moves.
func moveBytes(t testing.TB, bin string, n int) []int {
	t.Helper()
	p := startPty(t, bin, 120, 40, []string{"SENDERPOOL_DEMO_SENDERS=4500", "SENDERPOOL_DEMO_NUMBERS=4500", "SENDERPOOL_DEMO_SHORT_CODES=1000"}, "--demo")
	p.waitText("Acme Notifications")
	p.send("\r")
	p.waitText("/10002")
	sizes := make([]int, 0, n)
	for range n {
		before, frames := p.size(), p.frames()
		p.send("j")
		p.waitUntil("the frame after j", func(out []byte) bool { return bytes.Count(out, []byte(frameEnd)) > frames })
		sizes = append(sizes, p.size()-before)
	}
	p.send("q")
	p.exitCode()
	return sizes
}

func median(xs []int) int {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestBytesPerCursorMove measures what crosses the wire per keypress: the
// budget for slow SSH links is a median of 200 bytes per move (it was 286 before the cursor became a mark in the gutter).
func TestBytesPerCursorMove(t *testing.T) {
	bin := binary(t)
	sizes := moveBytes(t, bin, 101)
	m := median(sizes)
	t.Logf("bytes per cursor move at 120×40, 10,002 senders of every kind, detail pane: median %d, all %v", m, sizes)
	if m > 200 {
		t.Errorf("median %d bytes per move, budget 200", m)
	}
}

// BenchmarkStartupToFirstFrame is the time from exec to the first frame
// that shows the demo's services (run with -benchtime 20x).
func BenchmarkStartupToFirstFrame(b *testing.B) {
	bin := binary(b)
	for b.Loop() {
		p := startPty(b, bin, 100, 30, nil, "--demo")
		p.waitText("Acme Notifications")
		b.StopTimer()
		p.send("q")
		p.exitCode()
		b.StartTimer()
	}
}

// BenchmarkCursorMoveBytes reports the median bytes per cursor move as a
// metric (B/move) next to the time.
func BenchmarkCursorMoveBytes(b *testing.B) {
	bin := binary(b)
	for b.Loop() {
		b.ReportMetric(float64(median(moveBytes(b, bin, 21))), "B/move")
	}
}

// echoState is whether a terminal echoes what is typed.
type echoState int

const (
	echoUnknown echoState = iota // not read on this platform
	echoOn
	echoOff
)

// echoAfterExit is the terminal's echo once the program has exited.
func (p *ptyTerm) echoAfterExit() echoState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.echo
}

// TestQuitReport: quitting with a change in flight waits for it, and once
// the terminal is the shell's again says how it ended; ctrl+c does not
// wait, and says it may or may not have happened.
func TestQuitReport(t *testing.T) {
	tests := []struct {
		name string
		quit string
		want []string
	}{
		{name: "q waits", quit: "q", want: []string{"✓ ", "whatsapp:+14155550100", ": done"}},
		{name: "ctrl+c does not", quit: "\x03", want: []string{"? ", "whatsapp:+14155550100", "may or may not have happened", "senderpool list --service"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startPty(t, binary(t), 100, 30, []string{"SENDERPOOL_DEMO_LATENCY=1s"}, "--demo")
			p.waitText("Acme Notifications")
			p.send("\r")
			p.waitText("· pool ")
			p.send("d")
			p.waitText("Detach this sender?")
			p.send("y")
			p.waitText("detaching")
			p.send(tt.quit)
			if tt.quit == "q" {
				p.waitText("quitting once this ends")
			}
			if code := p.exitCode(); code != 0 {
				t.Fatalf("exit %d, want 0", code)
			}
			out := p.output()
			after := string(out[bytes.LastIndex(out, []byte(altScreenOff)):])
			for _, w := range tt.want {
				if !strings.Contains(after, w) {
					t.Errorf("after the dashboard, the output lacks %q: %q", w, after)
				}
			}
		})
	}
}
