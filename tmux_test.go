package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The journeys in this file drive the real binary inside tmux, as a person
// would: keys in, screen text out. They skip when tmux is missing, unless
// SENDERPOOL_REQUIRE_TMUX=1 (as in CI) makes that a failure.

// buildBinary compiles senderpool once per test binary run.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "senderpool")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func requireTool(t testing.TB, name, env string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv(env) == "1" {
			t.Fatalf("%s is required (%s=1) but not installed", name, env)
		}
		t.Skipf("%s not installed; set %s=1 to make this a failure", name, env)
	}
}

// tmuxPane is a detached tmux session with a private socket running one
// command; the command's exit code is written to a file by a wrapper,
// because tmux's own pane status is unreliable once the pane is gone.
type tmuxPane struct {
	t        *testing.T
	socket   string
	exitFile string
}

func startTmux(t *testing.T, w, h int, env []string, command string) *tmuxPane {
	t.Helper()
	requireTool(t, "tmux", "SENDERPOOL_REQUIRE_TMUX")
	dir, err := os.MkdirTemp("", "sp") // short: socket paths are limited to ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	p := &tmuxPane{t: t, socket: filepath.Join(dir, "s"), exitFile: filepath.Join(dir, "exit")}
	// env's own options (-u NAME) must come before its assignments.
	args := []string{"-S", p.socket, "-f", "/dev/null", "new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"env", "-u", "CI", "-u", "NO_COLOR"}
	var assign []string
	for i := 0; i < len(env); i++ {
		if env[i] == "-u" && i+1 < len(env) {
			args = append(args, "-u", env[i+1])
			i++
			continue
		}
		assign = append(assign, env[i])
	}
	args = append(args, "TERM=xterm-256color", "COLORTERM=truecolor")
	args = append(args, assign...)
	args = append(args, "sh", "-c", command+"; echo $? > "+p.exitFile+"; sleep 30")
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-S", p.socket, "kill-server").Run()
		_ = os.RemoveAll(dir)
	})
	return p
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends tmux key names (e.g. "j", "Enter", "Escape").
func (p *tmuxPane) keys(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// text types literal text.
func (p *tmuxPane) text(s string) {
	p.t.Helper()
	p.tmux("send-keys", "-t", "0", "-l", s)
}

func (p *tmuxPane) capture() string {
	p.t.Helper()
	return p.tmux("capture-pane", "-p", "-t", "0")
}

// waitFor polls the screen until every wanted text is on it.
func (p *tmuxPane) waitFor(want ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := p.capture()
		missing := ""
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %q; screen:\n%s", missing, screen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitGone polls until text is no longer on the screen.
func (p *tmuxPane) waitGone(text string) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := p.capture()
		if !strings.Contains(screen, text) {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %q to go; screen:\n%s", text, screen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *tmuxPane) resize(w, h int) {
	p.t.Helper()
	p.tmux("resize-window", "-t", "0", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
}

// exitCode waits for the program to end and returns its exit code.
func (p *tmuxPane) exitCode() string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if b, err := os.ReadFile(p.exitFile); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("program did not exit; screen:\n%s", p.capture())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkWidths fails if any screen line is wider than the pane.
func checkScreenFits(t *testing.T, screen string, w int) {
	t.Helper()
	for i, l := range strings.Split(screen, "\n") {
		if n := len([]rune(l)); n > w {
			t.Fatalf("line %d has %d cells in a %d-wide pane: %q", i, n, w, l)
		}
	}
}

func TestTmuxJourney(t *testing.T) {
	requireTool(t, "tmux", "SENDERPOOL_REQUIRE_TMUX")
	bin := buildBinary(t)
	p := startTmux(t, 100, 30, nil, bin+" --demo")

	// Filter the services, then pick one: its senders not ONLINE are flagged.
	p.waitFor("Acme Notifications", "Acme Marketing", "DEMO")
	p.keys("/")
	p.text("market")
	p.waitFor("1 of 3")
	p.keys("Escape") // the cursor stays on Acme Marketing
	p.waitFor("3 Messaging Services")
	p.keys("g", "Enter")
	screen := p.waitFor("WhatsApp (", "Messenger (", "Details", "senders in", "OFFLINE", "2 not ONLINE")
	checkScreenFits(t, screen, 100)

	// Walk the groups and open the details.
	p.keys("G")
	p.waitFor("› rcs:")
	p.keys("g", "Tab")
	p.waitFor("Details (↑/↓ scroll, esc back)")
	p.keys("Escape")
	p.waitGone("esc back)")

	// Attach the first sender the picker offers.
	p.keys("a")
	p.waitFor("Attach a sender to", "not in this service")
	p.keys("Down", "Enter")
	p.waitFor("✓ attached")

	// Detach the selected one, confirmed.
	p.keys("d")
	p.waitFor("Detach this sender?", "› Cancel ‹")
	p.keys("y")
	p.waitFor("✓ detached")

	// Filter.
	p.keys("/")
	p.text("rcs")
	p.waitFor("RCS (", "of")
	p.keys("Escape")
	p.waitGone("/rcs")

	// Help.
	p.keys("?")
	p.waitFor("Keys", "page down")
	p.keys("?")
	p.waitGone("page down")

	// Resize to 80×24 (detail stacks under the list) and 60×20.
	p.resize(80, 24)
	screen = p.waitFor("────────")
	checkScreenFits(t, screen, 80)
	p.resize(60, 20)
	screen = p.waitFor("senders in")
	checkScreenFits(t, screen, 60)
	p.resize(30, 8)
	p.waitFor("terminal too small")
	p.resize(100, 30)
	p.waitFor("Details")

	p.keys("q")
	if code := p.exitCode(); code != "0" {
		t.Fatalf("exit code %s, want 0", code)
	}
	// The alternate screen is gone: the dashboard is no longer shown.
	if screen := p.capture(); strings.Contains(screen, "senders in") {
		t.Fatalf("the dashboard is still on screen after quitting:\n%s", screen)
	}
}

// TestTmuxFaults shows scripted API failures as a person sees them: a
// services list that fails (503 through every retry) and comes back with r, an attach refused
// with Twilio's error (the form comes back), a detach that fails and
// leaves the row in place.
func TestTmuxFaults(t *testing.T) {
	requireTool(t, "tmux", "SENDERPOOL_REQUIRE_TMUX")
	bin := buildBinary(t)
	p := startTmux(t, 100, 30, []string{"SENDERPOOL_DEMO_FAULTS=services=503*4,attach=409*,detach=500*"}, bin+" --demo")

	p.waitFor("✗ Service Unavailable", "20503", "r retry")
	p.keys("r")
	p.waitFor("Acme Notifications", "3 Messaging Services")
	p.waitGone("20503")

	p.keys("Enter")
	p.waitFor("senders in")
	p.keys("a")
	p.waitFor("not in this service")
	p.keys("Down", "Enter")
	p.waitFor("Attach a sender to", "20409") // the form is back, the error above it
	p.keys("Escape")
	p.waitGone("Attach a sender to")
	p.waitFor("esc dismiss") // the error stays until dismissed
	p.keys("Escape")
	p.waitGone("20409")

	p.keys("d", "y")
	screen := p.waitFor("20500")
	if strings.Contains(screen, "detaching…") || strings.Contains(screen, "✓ detached") {
		t.Fatalf("a failed detach looks done or pending:\n%s", screen)
	}
	p.keys("q")
	if code := p.exitCode(); code != "0" {
		t.Fatalf("exit code %s", code)
	}
}

// TestTmuxNoKeyring starts the dashboard on a host with no session bus and
// a profile whose secret is in the keyring: the login screen explains the
// ways out at once instead of hanging or failing.
func TestTmuxNoKeyring(t *testing.T) {
	requireTool(t, "tmux", "SENDERPOOL_REQUIRE_TMUX")
	bin := buildBinary(t)
	dir := t.TempDir()
	config := `{"version":1,"default_profile":"work","profiles":[{"name":"work","account_sid":"AC` + strings.Repeat("1", 32) + `","storage":"keyring"}]}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startTmux(t, 100, 30, []string{"-u", "DBUS_SESSION_BUS_ADDRESS", "-u", "XDG_RUNTIME_DIR", "-u", "TWILIO_ACCOUNT_SID", "SENDERPOOL_CONFIG_DIR=" + dir}, bin)
	start := time.Now()
	p.waitFor("Log in to Twilio", "keyring", "dbus-run-session", "(•) encrypted file")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the no-keyring explanation took %v", d)
	}
	p.keys("C-c")
	if code := p.exitCode(); code != "0" {
		t.Fatalf("exit code %s", code)
	}
}
