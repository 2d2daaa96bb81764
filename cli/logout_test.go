package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/keystore"
)

// sentences matches text made of sentences: each starts with a capital
// and ends with a full stop.
var sentences = regexp.MustCompile(`^([A-Z][^\n]*\.)( [A-Z][^\n]*\.)*\n$`)

// TestLogoutSays: what logout prints reads as sentences and names where
// the secret was (or still is).
func TestLogoutSays(t *testing.T) {
	t.Run("encrypted file", func(t *testing.T) {
		f := newLoginFixture(t)
		if code, _, errOut := runWithStdin(t, f.Env, canary+"-token\n", "login", "--profile", "a", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"); code != exitOK {
			t.Fatal(errOut)
		}
		code, out, errOut := runWithStdin(t, f.Env, "", "logout")
		want := `Logged out: removed profile "a" and deleted its secret from ` + filepath.Join(f.Dir, "a.age") + ".\n"
		if code != exitOK || out != want || errOut != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
		}
	})
	t.Run("keyring out of reach", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("the session-bus check is Linux's")
		}
		dir := t.TempDir()
		config := `{"version":1,"default_profile":"work","profiles":[{"name":"work","account_sid":"` + twiliotest.DemoAccountSID + `","storage":"keyring"}]}`
		if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"SENDERPOOL_CONFIG_DIR": dir}
		code, out, errOut := runWithStdin(t, env, "", "logout")
		if code != exitSetup || out != "" || !strings.Contains(errOut, "The profile was kept. With --force, logout removes it and leaves the secret in the OS keyring") {
			t.Errorf("without --force: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		code, out, errOut = runWithStdin(t, env, "", "logout", "--force")
		if code != exitOK || !sentences.MatchString(out) || !strings.Contains(out, `Removed profile "work".`) || !strings.Contains(out, "remove it by hand") {
			t.Errorf("with --force: exit %d, stdout %q (not sentences?)", code, out)
		}
		if !strings.HasPrefix(errOut, "senderpool: why: ") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("with --force the reason is not one line on stderr: %q", errOut)
		}
		code, _, errOut = runWithStdin(t, env, "", "logout")
		if code != exitSetup || !strings.Contains(errOut, "there is no default profile") {
			t.Errorf("with no profile left: exit %d, stderr %q", code, errOut)
		}
	})
}

// TestSecretStuck: --force and its hint are for a secret that cannot be
// deleted, not for a config that is locked or unusable, nor a signal.
func TestSecretStuck(t *testing.T) {
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"keyring out of reach", t.Context(), fmt.Errorf("deleting profile: %w", keystore.ErrNoKeyring), true},
		{"keyring timeout", t.Context(), fmt.Errorf("deleting profile: %w", keystore.ErrKeyringTimeout), true},
		{"config locked", t.Context(), fmt.Errorf("x: %w", keystore.ErrConfigLocked), false},
		{"config unsafe", t.Context(), fmt.Errorf("x: %w", keystore.ErrConfigUnsafe), false},
		{"config corrupt", t.Context(), fmt.Errorf("x: %w", keystore.ErrConfigCorrupt), false},
		{"profile gone meanwhile", t.Context(), fmt.Errorf("x: %w", keystore.ErrProfileNotFound), false},
		{"interrupted", cancelled, fmt.Errorf("x: %w", context.Canceled), false},
	}
	for _, tt := range tests {
		if got := secretStuck(tt.ctx, tt.err); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
