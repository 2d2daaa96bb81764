package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestTmuxMoveKilledAndResumed is the dashboard's move as a person lives
// it: twenty senders marked and moved to another service with a progress
// bar, the program killed half-way, the cut-off moves offered at the next
// start and finished, and all of it in the log.
func TestTmuxMoveKilledAndResumed(t *testing.T) {
	bin := binary(t)
	state := t.TempDir()
	pidFile := filepath.Join(t.TempDir(), "pid")
	env := []string{"SENDERPOOL_STATE_DIR=" + state, "SENDERPOOL_DEMO_SENDERS=60", "SENDERPOOL_DEMO_LATENCY=700ms"}
	// exec keeps the shell's pid: the one written is the dashboard's.
	p := startTmux(t, 110, 32, env, "echo $$ > "+pidFile+"; exec "+bin+" --demo")
	p.waitFor("Acme Notifications", "29 WhatsApp")
	p.keys("Enter")
	p.waitFor("· pool ")
	for range 20 {
		p.keys("Space")
	}
	p.waitFor("20 marked: 20 WhatsApp")
	p.keys("m")
	p.waitFor("Move 20 senders to which service?", "Acme Marketing")
	p.keys("Enter")
	p.waitFor("Move 20 senders to Acme Marketing?", "if the attach fails, the sender")
	p.keys("y")
	p.waitFor("moving ", "in flight", "esc stop")
	journal := filepath.Join(state, "demo", "moves.jsonl")
	p.waitUntil("a move journaled as detached", func(string) bool {
		b, _ := os.ReadFile(journal)
		return strings.Contains(string(b), `"step":"detached"`)
	})
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}

	// The next start offers what was cut off: every move in flight at
	// the kill, and no other.
	q := startTmux(t, 110, 32, []string{"SENDERPOOL_STATE_DIR=" + state, "SENDERPOOL_DEMO_SENDERS=60"}, bin+" --demo")
	screen := q.waitFor("cut off half-way", "from Acme Notifications to Acme Marketing", "f finishes the move")
	if strings.Count(screen, " from Acme Notifications to Acme Marketing · ") == 0 {
		t.Fatalf("no cut-off move listed:\n%s", screen)
	}
	for done := 1; done <= 4; done++ { // at most 4 were in flight
		if strings.Contains(q.capture(), "Every cut-off move is resolved") {
			break
		}
		q.keys("f")
		q.waitUntil("one more move finished", func(s string) bool { return strings.Count(s, "is in Acme Marketing") >= done })
	}
	q.waitFor("Every cut-off move is resolved")
	q.keys("Escape")
	q.waitGone("Every cut-off move is resolved") // an esc and an L at once read as alt+L
	q.keys("L")
	log := q.waitFor("Changes", "move whatsapp:", "from Acme Notifications to Acme Marketing", "✓ done")
	if strings.Contains(log, "\x1b") {
		t.Errorf("an escape reached the screen:\n%s", log)
	}
	q.keys("q")
	if code := q.exitCode(); code != "0" {
		t.Errorf("exit %s after q", code)
	}
}
