package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Environment variables of the real Secret Service test.
const (
	// envRequireKeyring=1 turns the test's skips into failures (.ci/run).
	envRequireKeyring = "SENDERPOOL_REQUIRE_KEYRING"
	// envRealChild marks the child process that does the work (see below).
	envRealChild = "SENDERPOOL_REAL_KEYRING_CHILD"
)

// TestRealSecretService stores, reads and deletes a secret in the real
// Secret Service through go-keyring, and checks with secret-tool what
// landed there. It needs a session bus with an unlocked Secret Service and
// secret-tool (Debian: gnome-keyring libsecret-tools); without them it skips,
// unless SENDERPOOL_REQUIRE_KEYRING=1, when it fails. To run it:
//
//	HOME=$(mktemp -d) dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; SENDERPOOL_REQUIRE_KEYRING=1 go test -run RealSecretService -v ./keystore'
//
// The work runs in a child process of the test binary: other tests call
// go-keyring's MockInit, which replaces the real provider for the rest of
// the process and cannot be undone.
func TestRealSecretService(t *testing.T) {
	if os.Getenv(envRealChild) == "1" {
		realSecretServiceChild(t)
		return
	}
	required := os.Getenv(envRequireKeyring) == "1"
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if required {
			t.Fatalf("%s=1 but the real Secret Service test cannot run: %s", envRequireKeyring, msg)
		}
		t.Skipf("skipping the real Secret Service test: %s (run it under dbus-run-session with gnome-keyring unlocked; %s=1 makes this a failure)", msg, envRequireKeyring)
	}
	if !unixKeyringOS(runtime.GOOS) {
		unavailable("%s has no Secret Service", runtime.GOOS)
	}
	if err := CheckSessionBus(runtime.GOOS, os.Getenv, os.Stat); err != nil {
		unavailable("%v", err)
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		unavailable("secret-tool not found (Debian package libsecret-tools)")
	}

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestRealSecretService$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), envRealChild+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child test process:\n%s", out)
	if err != nil {
		t.Fatalf("real Secret Service test failed: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: TestRealSecretService") {
		t.Fatal("the child process did not pass TestRealSecretService")
	}
}

func realSecretServiceChild(t *testing.T) {
	ctx := context.Background()
	name := fmt.Sprintf("sp-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	secret := "SECRET-canary-real-" + name
	s, err := Open(Options{
		Dir:     filepath.Join(t.TempDir(), "senderpool"),
		Getenv:  os.Getenv,
		Timeout: 10 * time.Second,
	}) // Keyring: the default, real one
	if err != nil {
		t.Fatal(err)
	}
	p := keyringProfile(name)
	lookup := func() (string, error) {
		out, err := exec.Command("secret-tool", "lookup", "service", KeyringService, "username", name).Output()
		return string(out), err
	}
	t.Cleanup(func() { _ = exec.Command("secret-tool", "clear", "service", KeyringService, "username", name).Run() })

	if err := s.Save(ctx, p, secret); err != nil {
		t.Fatalf("Save with the real keyring: %v", err)
	}
	got, err := s.Secret(ctx, p)
	if err != nil || got != secret {
		t.Fatalf("Secret = %q, %v", got, err)
	}
	r, err := s.Resolve(ctx, name)
	if err != nil || r.Source != SourceKeyring || r.Credentials.Secret != secret {
		t.Fatalf("Resolve = %v, %v", r, err)
	}
	out, err := lookup()
	if err != nil || strings.TrimSpace(out) != secret {
		t.Fatalf("secret-tool lookup service %s username %s = %q, %v; want the saved secret", KeyringService, name, out, err)
	}
	// Saving again replaces the item rather than adding a second one.
	if err := s.Save(ctx, p, secret+"-2"); err != nil {
		t.Fatal(err)
	}
	if out, _ := lookup(); strings.TrimSpace(out) != secret+"-2" {
		t.Fatalf("after a second Save, secret-tool sees %q", out)
	}

	if err := s.Delete(ctx, name); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if out, err := lookup(); err == nil || strings.TrimSpace(out) != "" {
		t.Fatalf("after Delete, secret-tool still finds %q (%v)", out, err)
	}
	if _, err := s.Secret(ctx, p); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("after Delete, Secret = %v, want ErrSecretNotFound", err)
	}
}
