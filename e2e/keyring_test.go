package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// TestRealKeyringLogin drives the real binary against the real Secret
// Service: login stores the secret there, secret-tool sees it, list uses
// it, logout removes it. It needs a session bus with an unlocked keyring
// (CI runs it under dbus-run-session with gnome-keyring-daemon); it skips
// otherwise, unless SENDERPOOL_REQUIRE_KEYRING=1.
func TestRealKeyringLogin(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("SENDERPOOL_REQUIRE_KEYRING") == "1" {
			t.Fatal("SENDERPOOL_REQUIRE_KEYRING=1 but there is no session bus (DBUS_SESSION_BUS_ADDRESS is unset)")
		}
		t.Skip("no session bus: run under dbus-run-session with an unlocked gnome-keyring, or set SENDERPOOL_REQUIRE_KEYRING=1 to require it")
	}
	requireTool(t, "secret-tool", "SENDERPOOL_REQUIRE_KEYRING")
	bin := binary(t)
	f := newLoginFixture(t)
	profile := "it-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	env := append(os.Environ(), "SENDERPOOL_CONFIG_DIR="+f.Dir, "SENDERPOOL_STATE_DIR="+t.TempDir(), "SENDERPOOL_API_URL="+f.Env["SENDERPOOL_API_URL"])
	runBin := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		checkNoCanary(t, f.Dir, string(out))
		return string(out), err
	}
	lookup := func() string {
		out, _ := exec.Command("secret-tool", "lookup", "service", "senderpool", "username", profile).Output()
		return string(out)
	}
	t.Cleanup(func() { _ = exec.Command("secret-tool", "clear", "service", "senderpool", "username", profile).Run() })

	out, err := runBin(canary+"\n", "login", "--profile", profile, "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", "SK"+strings.Repeat("5", 32))
	if err != nil {
		t.Fatalf("login: %v\n%s", err, out)
	}
	if !strings.Contains(out, "OS keyring") {
		t.Errorf("login does not say the secret is in the keyring: %s", out)
	}
	if got := lookup(); got != canary {
		t.Fatalf("secret-tool sees %d bytes under service=senderpool username=%s, want the secret", len(got), profile)
	}
	out, err = runBin("", "list", "--profile", profile, "--service", "MG"+strings.Repeat("6", 32))
	if err != nil {
		t.Fatalf("list with the keyring profile: %v\n%s", err, out)
	}
	out, err = runBin("", "profiles")
	if err != nil || !strings.Contains(out, profile) || !strings.Contains(out, "yes") {
		t.Fatalf("profiles: %v\n%s", err, out)
	}
	out, err = runBin("", "logout", "--profile", profile)
	if err != nil {
		t.Fatalf("logout: %v\n%s", err, out)
	}
	if got := lookup(); got != "" {
		t.Fatal("the keyring item is still there after logout")
	}
}
