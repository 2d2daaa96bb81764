package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The journeys in this file drive the real binary inside tmux, as a person
// would: keys in, screen text out. They skip when tmux is missing, unless
// SENDERPOOL_REQUIRE_TMUX=1 (as in CI) makes that a failure.

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
	// The record of changes is the test's own (an env assignment may still
	// name another).
	args = append(args, "TERM=xterm-256color", "COLORTERM=truecolor", "SENDERPOOL_STATE_DIR="+filepath.Join(dir, "state"))
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

// waitUntil polls the screen until cond holds for it. Every wait of a
// journey is on something only the state the last keys lead to shows, so
// it cannot pass on the screen before them: the next keys (an esc above
// all, which the terminal reads as alt with a key that follows it too
// closely) go only to the state they are meant for.
func (p *tmuxPane) waitUntil(what string, cond func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := p.capture()
		if cond(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %s; screen:\n%s", what, screen)
		}
		time.Sleep(20 * time.Millisecond) // polling interval: tmux has no change notification
	}
}

// waitFor waits until every wanted text is on the screen.
func (p *tmuxPane) waitFor(want ...string) string {
	p.t.Helper()
	return p.waitUntil(fmt.Sprintf("%q", want), func(screen string) bool {
		for _, w := range want {
			if !strings.Contains(screen, w) {
				return false
			}
		}
		return true
	})
}

// waitGone waits until text is no longer on the screen. Only for text
// that was on it: the caller waited for it first.
func (p *tmuxPane) waitGone(text string) string {
	p.t.Helper()
	return p.waitUntil(fmt.Sprintf("%q to go", text), func(screen string) bool { return !strings.Contains(screen, text) })
}

// lines are the screen's lines without trailing blanks.
func lines(screen string) []string {
	ls := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " ")
	}
	return ls
}

// drawnAt reports whether the screen is a frame drawn for width w with
// the detail pane stacked under the list: a rule exactly w wide, and a
// footer that ends whole (the frame before a resize, cut to the new
// width, has neither).
func drawnAt(w int) func(screen string) bool {
	return func(screen string) bool {
		ls := lines(screen)
		return slices.Contains(ls, strings.Repeat("─", w)) && strings.HasSuffix(ls[len(ls)-1], "? help")
	}
}

// filteredGroup reports whether a group header says it is filtered:
// "RCS (2 of 2)".
func filteredGroup(group string) func(screen string) bool {
	return func(screen string) bool {
		for _, l := range lines(screen) {
			if rest, ok := strings.CutPrefix(l, group+" ("); ok && strings.Contains(rest, " of ") {
				return true
			}
		}
		return false
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
	bin := binary(t)
	p := startTmux(t, 100, 30, nil, bin+" --demo")

	// Filter the services, then pick one: its senders not ONLINE are flagged.
	p.waitFor("Acme Notifications", "Acme Marketing", "DEMO")
	p.keys("/")
	p.text("market")
	p.waitFor("/market", "1 of 3")
	p.keys("Escape")
	p.waitUntil("the filter cleared", func(s string) bool {
		return !strings.Contains(s, "/market") && strings.Contains(s, "3 Messaging Services")
	})
	p.keys("g", "Enter")
	screen := p.waitFor("WhatsApp (", "Messenger (", "Details", "· pool ", "OFFLINE", "2 not ONLINE")
	checkScreenFits(t, screen, 100)

	// Walk the groups (the last one: the alpha senders) and open the details.
	p.keys("G")
	p.waitFor("› Acme GmbH", "Alpha senders (")
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

	// Filter: only the RCS group is left, and says so.
	p.keys("/")
	p.text("rcs")
	p.waitUntil("the RCS group filtered, the others gone", func(s string) bool {
		return strings.Contains(s, "/rcs") && filteredGroup("RCS")(s) && !strings.Contains(s, "WhatsApp (")
	})
	p.keys("Escape")
	p.waitUntil("every group back, unfiltered", func(s string) bool {
		return !strings.Contains(s, "/rcs") && !filteredGroup("RCS")(s) && strings.Contains(s, "WhatsApp (") && strings.Contains(s, "· pool ")
	})

	// Help.
	p.keys("?")
	p.waitFor("Keys", "page down")
	p.keys("?")
	p.waitGone("page down")

	// Resize to 80×24 (detail stacks under the list) and 60×20.
	p.resize(80, 24)
	screen = p.waitUntil("a frame drawn at 80 columns", drawnAt(80))
	checkScreenFits(t, screen, 80)
	p.resize(60, 20)
	screen = p.waitUntil("a frame drawn at 60 columns", drawnAt(60))
	checkScreenFits(t, screen, 60)
	p.resize(30, 8)
	p.waitFor("terminal too small")
	p.resize(100, 30)
	p.waitFor("│ Details") // the detail pane beside the list again

	p.keys("q")
	if code := p.exitCode(); code != "0" {
		t.Fatalf("exit code %s, want 0", code)
	}
	// The alternate screen is gone: the dashboard is no longer shown.
	if screen := p.capture(); strings.Contains(screen, "· pool ") {
		t.Fatalf("the dashboard is still on screen after quitting:\n%s", screen)
	}
}

// TestTmuxFaults shows scripted API failures as a person sees them: a
// services list that fails (503 through every retry) and comes back with r, an attach refused
// with Twilio's error (the form comes back), a detach that fails and
// leaves the row in place.
func TestTmuxFaults(t *testing.T) {
	requireTool(t, "tmux", "SENDERPOOL_REQUIRE_TMUX")
	bin := binary(t)
	p := startTmux(t, 100, 30, []string{"SENDERPOOL_DEMO_FAULTS=services=503*4,attach=409*,detach=500*"}, bin+" --demo")

	p.waitFor("✗ Service Unavailable", "20503", "r retry")
	p.keys("r")
	p.waitFor("Acme Notifications", "3 Messaging Services")
	p.waitGone("20503")

	p.keys("Enter")
	p.waitFor("· pool ")
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
	bin := binary(t)
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
