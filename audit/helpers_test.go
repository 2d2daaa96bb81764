package audit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// A child process of the test binary appends N entries to the log in
// envChildDir, then exits (TestMain runs it before any test).
const (
	envChildDir = "AUDIT_TEST_CHILD_DIR"
	envChildN   = "AUDIT_TEST_CHILD_N"
	envChildTag = "AUDIT_TEST_CHILD_TAG"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(envChildDir); dir != "" {
		n, _ := strconv.Atoi(os.Getenv(envChildN))
		if err := appendMany(context.Background(), dir, os.Getenv(envChildTag), n); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// appendMany appends n entries with change IDs ch-TAG-0… to the log in dir.
func appendMany(ctx context.Context, dir, tag string, n int) error {
	l, err := Open(Options{Dir: dir, LockTimeout: time.Minute})
	if err != nil {
		return err
	}
	for i := range n {
		e := detachEntry(fmt.Sprintf("ch-%s-%d", tag, i), PhaseIntent, "")
		e.Service.Name = fmt.Sprintf("a long name to make the line long %0200d", i)
		if err := l.Append(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func startChild(t *testing.T, dir, tag string, n int) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildDir+"="+dir, envChildTag+"="+tag, envChildN+"="+strconv.Itoa(n))
	return cmd
}

const (
	acct  = "AC0123456789abcdef0123456789abcdef"
	svcA  = "MG0123456789abcdef0123456789abcdef"
	svcB  = "MGfedcba9876543210fedcba9876543210"
	numPN = "PN0123456789abcdef0123456789abcdef"
	numSC = "SC0123456789abcdef0123456789abcdef"
	alpha = "AI0123456789abcdef0123456789abcdef"
	chXE  = "XE0123456789abcdef0123456789abcdef"
)

func detachEntry(change string, phase Phase, outcome Outcome) Entry {
	return Entry{
		Change: change, Profile: "prod", Account: acct,
		Service: Service{SID: svcA, Name: "Alerts"},
		Action:  ActionDetach,
		Sender:  &Sender{SID: numPN, Text: "+14155550100", Kind: "Phone numbers"},
		Phase:   phase, Outcome: outcome,
	}
}

func newLog(t *testing.T) *Log {
	t.Helper()
	l, err := Open(Options{Dir: filepath.Join(t.TempDir(), "state", "senderpool")})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, l *Log, f Filter) Result {
	t.Helper()
	r, err := l.Read(t.Context(), f)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return r
}

func appendRaw(t *testing.T, l *Log, s string) {
	t.Helper()
	f, err := os.OpenFile(l.Path(), os.O_WRONLY|os.O_APPEND, 0)
	mustDo(t, err)
	_, err = f.WriteString(s)
	mustDo(t, err)
	mustDo(t, f.Close())
}
