//go:build linux

package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// Peak memory budgets against a server whose pages never end (the demo's
// fake, in the same process, serving them), with the listing's ceiling of
// api.MaxListItems. Measured on Linux/amd64 (peak RSS, the fake included):
// list --json 26 MiB and services --json 29 MiB (they were 58 and 107 MiB
// when --json collected the list before printing it), the tables 58–86
// MiB, the dashboard 130–155 MiB. The budgets leave room for other
// machines and stay far below the gigabyte the process must stay under.
const (
	budgetJSON      = 48 << 20  // streamed page by page: a page's worth, not the list's
	budgetTable     = 400 << 20 // sorted and aligned, so held whole: bounded by the ceiling
	budgetDashboard = 400 << 20
)

// countingWriter keeps the size and the last bytes of what it is given.
type countingWriter struct {
	n    int
	tail []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	w.tail = append(w.tail, p...)
	if len(w.tail) > 4096 {
		w.tail = append(w.tail[:0], w.tail[len(w.tail)-4096:]...)
	}
	return len(p), nil
}

// TestEndlessPagesBoundedMemory: a list whose pages never end stops at
// the ceiling with exit 1 and an error naming it, whatever the command
// and form; the peak resident memory of the process stays within budget,
// and --json, which streams, stays within a page's worth.
func TestEndlessPagesBoundedMemory(t *testing.T) {
	if raceBuild {
		t.Skip("the race detector multiplies memory use: these budgets are for the real build")
	}
	ceiling := strconv.Itoa(api.MaxListItems)
	tests := []struct {
		name   string
		faults string
		args   []string
		budget int64
	}{
		{"list --json", "list=endless*", []string{"list", "--service", twiliotest.DemoServiceNotifications, "--json"}, budgetJSON},
		{"list", "list=endless*", []string{"list", "--service", twiliotest.DemoServiceNotifications}, budgetTable},
		{"list --status", "list=endless*", []string{"list", "--service", twiliotest.DemoServiceNotifications, "--status"}, budgetTable},
		{"services --json", "services=endless*", []string{"services", "--json"}, budgetJSON},
		{"services", "services=endless*", []string{"services"}, budgetTable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(binary(t), append([]string{"--demo"}, tt.args...)...)
			cmd.Env = append(cleanEnv(t), "SENDERPOOL_DEMO_FAULTS="+tt.faults)
			var stdout countingWriter
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("ended with %v, want exit 1; stderr %q", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), ceiling) {
				t.Errorf("the error does not name the ceiling (%s items): %q", ceiling, stderr.String())
			}
			peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			t.Logf("%s: peak RSS %.1f MiB (budget %d MiB), %d bytes printed before the error",
				tt.name, float64(peak)/(1<<20), tt.budget>>20, stdout.n)
			if peak > tt.budget {
				t.Errorf("peak RSS %.1f MiB, budget %d MiB", float64(peak)/(1<<20), tt.budget>>20)
			}
			if strings.HasSuffix(tt.name, "--json") {
				// Streamed: what came before the ceiling was printed, and
				// the array is left open.
				if stdout.n < 1<<20 || bytes.HasSuffix(bytes.TrimSpace(stdout.tail), []byte("]")) {
					t.Errorf("--json printed %d bytes ending %q; want the items before the ceiling, the array left open", stdout.n, tail(stdout.tail, 80))
				}
			} else if stdout.n != 0 {
				t.Errorf("a table printed %d bytes of a list cut short", stdout.n)
			}
		})
	}
}

// vmHWM is the peak resident memory of process pid, from /proc.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM: %q: %v", v, err)
			}
			return kib << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// TestDashboardEndlessPagesBoundedMemory: the dashboard opening a service
// whose pages never end shows the ceiling's error, within its memory
// budget, and quits.
func TestDashboardEndlessPagesBoundedMemory(t *testing.T) {
	if raceBuild {
		t.Skip("the race detector multiplies memory use: these budgets are for the real build")
	}
	p := startPty(t, binary(t), 120, 40, []string{"SENDERPOOL_DEMO_FAULTS=list=endless*"}, "--demo")
	p.waitText("Acme Notifications")
	p.send("\r")
	// The error as the api words it (a bare number would match the
	// senders' own numbers).
	p.waitText("more than " + strconv.Itoa(api.MaxListItems) + " items")
	peak := vmHWM(t, p.cmd.Process.Pid)
	t.Logf("dashboard: peak RSS (VmHWM) %.1f MiB at the ceiling's error (budget %d MiB)", float64(peak)/(1<<20), budgetDashboard>>20)
	if peak > budgetDashboard {
		t.Errorf("peak RSS %.1f MiB, budget %d MiB", float64(peak)/(1<<20), budgetDashboard>>20)
	}
	p.send("q")
	if code := p.exitCode(); code != 0 {
		t.Errorf("exit %d after q", code)
	}
}
