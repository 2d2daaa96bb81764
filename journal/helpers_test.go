package journal

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A child process of the test binary, told what to do by environment
// variables: it runs before any test (TestMain) and exits.
const (
	envChildDir  = "JOURNAL_TEST_CHILD_DIR"
	envChildMode = "JOURNAL_TEST_CHILD_MODE" // "moves" or "stop"
	envChildN    = "JOURNAL_TEST_CHILD_N"
	envChildTag  = "JOURNAL_TEST_CHILD_TAG"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(envChildDir); dir != "" {
		if err := child(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child runs moves in dir: in mode "moves", N moves each begun, detached
// and attached, every other one left detached; in mode "stop", one move
// begun and detached, then "ready" on stdout and a wait to be killed.
func child(dir string) error {
	ctx := context.Background()
	j, err := Open(dir, Options{LockTimeout: time.Minute})
	if err != nil {
		return err
	}
	tag := os.Getenv(envChildTag)
	switch os.Getenv(envChildMode) {
	case "moves":
		n, _ := strconv.Atoi(os.Getenv(envChildN))
		for i := range n {
			if err := runMove(ctx, j, moveID(tag, i), i%2 == 0); err != nil {
				return err
			}
		}
		return nil
	case "stop":
		e := entry(moveID(tag, 0))
		if err := j.Begin(ctx, e); err != nil {
			return err
		}
		if err := j.Step(ctx, e.ID, StepDetached); err != nil {
			return err
		}
		fmt.Println("ready")
		select {} // until killed
	}
	return fmt.Errorf("unknown mode %q", os.Getenv(envChildMode))
}

// runMove begins move id, detaches it and, if finish, attaches it.
func runMove(ctx context.Context, j *Journal, id string, finish bool) error {
	if err := j.Begin(ctx, entry(id)); err != nil {
		return err
	}
	if err := j.Step(ctx, id, StepDetached); err != nil {
		return err
	}
	if finish {
		return j.Step(ctx, id, StepAttached)
	}
	return nil
}

func moveID(tag string, i int) string { return fmt.Sprintf("mv-%s-%03d", tag, i) }

// startChild runs the test binary as a child in mode on dir.
func startChild(t *testing.T, dir, mode, tag string, n int) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildDir+"="+dir, envChildMode+"="+mode, envChildTag+"="+tag, envChildN+"="+strconv.Itoa(n))
	return cmd
}

// waitReady starts cmd and waits for its "ready" line.
func waitReady(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("child said %q, %v; stderr: %s", line, err, stderr.String())
	}
}

const (
	acct  = "AC0123456789abcdef0123456789abcdef"
	svcA  = "MG0123456789abcdef0123456789abcdef"
	svcB  = "MGfedcba9876543210fedcba9876543210"
	numPN = "PN0123456789abcdef0123456789abcdef"
)

func entry(id string) MoveEntry {
	return MoveEntry{
		ID: id, Profile: "prod", Account: acct,
		From: svcA, FromName: "Alerts", To: svcB, ToName: "Marketing",
		Sender: Sender{SID: numPN, Kind: "Phone numbers", Text: "+14155550100"},
	}
}

func newJournal(t *testing.T) *Journal {
	t.Helper()
	j, err := Open(filepath.Join(t.TempDir(), "senderpool"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func pending(t *testing.T, j *Journal) ([]Move, []string) {
	t.Helper()
	ms, notes, err := j.Pending(t.Context())
	if err != nil {
		t.Fatalf("Pending: %v", err)
	}
	return ms, notes
}

func ids(ms []Move) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID+":"+string(m.Step))
	}
	return out
}

func readJournal(t *testing.T, j *Journal) string {
	t.Helper()
	data, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
