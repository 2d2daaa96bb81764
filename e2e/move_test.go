package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/journal"
)

// TestMoveKilledAfterDetachIsFinished: a move killed (SIGKILL) while its
// attach is in flight, its sender detached from the source, is named by
// the next command and finished by move --resume; the sender ends in
// the target. The fake holds the attach, so nothing waits on the clock.
func TestMoveKilledAfterDetachIsFinished(t *testing.T) {
	f := demoFixture(t)
	state, configDir := t.TempDir(), t.TempDir()
	f.Env["SENDERPOOL_STATE_DIR"], f.Env["SENDERPOOL_CONFIG_DIR"] = state, configDir
	env := append(cleanEnv(t), envList(f.Env)...)
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	sender := twiliotest.DemoSenderWhatsAppUS

	gate := f.Fake.Hold(twiliotest.AttachRoutes()...)
	cmd := exec.Command(binary(t), "move", "--from", notif, "--to", mkt, "--yes", sender)
	cmd.Env = env
	cmd.Stdin = devNull(t)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// The attach is held: the journal has the detached step, written
	// before the attach was sent.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := gate.WaitHeld(ctx, 1); err != nil {
		t.Fatalf("the attach never came: %v", err)
	}
	j, err := journal.Open(configDir, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	moves, _, err := j.Pending(ctx)
	if err != nil || len(moves) != 1 || moves[0].Step != journal.StepDetached || moves[0].Sender.SID != sender {
		t.Fatalf("the journal before the kill: %+v %v", moves, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil {
		t.Fatal("the killed move exited 0")
	}
	gate.Open()
	if slices.Contains(f.Fake.PoolSIDs(notif), sender) {
		t.Fatal("the sender is still in the source: the detach did not happen")
	}

	// The next command names the pending move and how to end it.
	code, out, errOut := runBin(t, envList(f.Env), devNull(t), "list", "--service", mkt)
	if code != 0 || !strings.HasPrefix(out, "SID") {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"cut off half-way", "move --resume", "whatsapp:+14155550100", "detached, not yet attached: in no service, or already in the second"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("list's warning %q lacks %q", errOut, want)
		}
	}
	code, out, errOut = runBin(t, envList(f.Env), devNull(t), "move", "--resume", "--finish", "--yes")
	if code != 0 || !strings.Contains(out, "finished, in Acme Marketing") {
		t.Fatalf("move --resume --finish: exit %d\n%s%s", code, out, errOut)
	}
	if !slices.Contains(f.Fake.PoolSIDs(mkt), sender) || slices.Contains(f.Fake.PoolSIDs(notif), sender) {
		t.Fatalf("the sender is not in the target alone: %v / %v", f.Fake.PoolSIDs(mkt), f.Fake.PoolSIDs(notif))
	}
	if moves, _, err := j.Pending(ctx); err != nil || len(moves) != 0 {
		t.Fatalf("still pending: %+v %v", moves, err)
	}

	// The record has the move's intent, and the log shows it.
	code, out, _ = runBin(t, envList(f.Env), devNull(t), "log", "--service", mkt)
	if code != 0 || !strings.Contains(out, "move to Acme Marketing") {
		t.Errorf("log after the resumed move: exit %d\n%s", code, out)
	}
	// Both files are private and hold no secret.
	for _, path := range []string{filepath.Join(state, "audit.jsonl"), j.Path()} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", filepath.Base(path), fi, err)
			continue
		}
		if b, _ := os.ReadFile(path); strings.Contains(string(b), twiliotest.DemoAuthToken) {
			t.Errorf("%s holds the auth token", filepath.Base(path))
		}
	}
}
