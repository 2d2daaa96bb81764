//go:build linux || darwin

package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalWhileConfigIsAFIFO: with config.json replaced by a named pipe
// that nobody writes, `profiles` and `services` end at once: they refuse
// it (exit 2) without blocking on it, and a signal that arrives while they
// run ends them with 128+N. Neither may hang, whatever the order.
//
// The test opens the pipe for writing itself, which returns once the
// program has opened it: a program that reads it as a file is then
// blocked in that read (nothing is ever written) when the signal comes.
func TestSignalWhileConfigIsAFIFO(t *testing.T) {
	bin := binary(t)
	for _, args := range [][]string{{"profiles"}, {"services"}} {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			t.Run(strings.Join(args, " ")+"/"+sig.String(), func(t *testing.T) {
				dir := t.TempDir()
				fifo := filepath.Join(dir, profileFile)
				if err := syscall.Mkfifo(fifo, 0o600); err != nil {
					t.Fatal(err)
				}
				opened := make(chan *os.File, 1)
				go func() {
					w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
					if err != nil {
						t.Error(err)
						w = nil
					}
					opened <- w
				}()
				t.Cleanup(func() {
					// A writer still waiting for a reader gets one and lets go.
					if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
						defer r.Close()
					}
					if w := <-opened; w != nil {
						w.Close()
					}
				})

				cmd := exec.Command(bin, args...)
				cmd.Env = append(cleanEnv(t), "SENDERPOOL_CONFIG_DIR="+dir)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				exited := make(chan error, 1)
				go func() { exited <- cmd.Wait() }()
				t.Cleanup(func() { _ = cmd.Process.Kill() })

				var err error
				select {
				case w := <-opened:
					opened <- w // for the cleanup
					_ = cmd.Process.Signal(sig)
					select {
					case err = <-exited:
					case <-time.After(5 * time.Second):
						t.Fatalf("still running 5 s after %v; stderr %q", sig, stderr.String())
					}
				case err = <-exited:
				case <-time.After(10 * time.Second):
					t.Fatalf("neither refused the pipe nor opened it in 10 s; stderr %q", stderr.String())
				}
				code := shellStatus(t, err)
				refused := code == 2 && strings.Contains(stderr.String(), "not a regular file")
				if !refused && code != 128+int(sig) {
					t.Errorf("status %d, stderr %q; want 2 refusing the pipe, or %d for %v", code, stderr.String(), 128+int(sig), sig)
				}
			})
		}
	}
}

// shellStatus is the status a shell reports: the exit code, or 128+N for
// a process killed by signal N.
func shellStatus(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	t.Fatal(err)
	return -1
}
