package e2e

import (
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/internal/testfixture"
)

// TestPassphraseOneRule: a passphrase is taken as typed, at the prompt
// and from SENDERPOOL_PASSPHRASE alike, with only the line ending removed:
// one with spaces around it, set either way, opens the file either way,
// and the same words without the spaces do not.
func TestPassphraseOneRule(t *testing.T) {
	const spaced = "  two words  "
	login := []string{"login", "--profile", "vault", "--account-sid", twiliotest.DemoAccountSID,
		"--api-key-sid", testfixture.CanaryKeySID, "--storage", "file"}
	services := []string{"services", "--profile", "vault"}
	fromEnv := func(t *testing.T, f loginFixture, pass string, args ...string) (int, string) {
		t.Helper()
		env := append(envList(f.Env, "SENDERPOOL_PASSPHRASE"), "SENDERPOOL_PASSPHRASE="+pass)
		code, stdout, stderr := runBin(t, env, strings.NewReader(canary+"\n"), args...)
		checkNoCanary(t, f.Dir, stdout, stderr)
		return code, stdout + stderr
	}
	typed := func(t *testing.T, f loginFixture, pass string, args ...string) (int, string) {
		t.Helper()
		p := startPty(t, binary(t), 100, 30, envList(f.Env, "SENDERPOOL_PASSPHRASE"), args...)
		if args[0] == "login" {
			p.waitText("(input hidden): ")
			p.send(canary + "\r")
		}
		p.waitText("Passphrase for the encrypted secret file: ")
		p.send(pass + "\r")
		if args[0] == "login" {
			p.waitText("Same passphrase again: ")
			p.send(pass + "\r")
		}
		code := p.exitCode()
		checkNoCanary(t, f.Dir, string(p.output()))
		return code, string(p.output())
	}
	type way func(t *testing.T, f loginFixture, pass string, args ...string) (int, string)
	tests := []struct {
		name        string
		save, open  way
		openWith    string
		wantOpenErr bool
	}{
		{name: "typed, then from the environment", save: typed, open: fromEnv, openWith: spaced},
		{name: "typed, then from the environment with a newline", save: typed, open: fromEnv, openWith: spaced + "\n"},
		{name: "from the environment, then typed", save: fromEnv, open: typed, openWith: spaced},
		{name: "from the environment with CRLF, then typed", save: fromEnv, open: typed, openWith: spaced},
		{name: "typed, then trimmed from the environment", save: typed, open: fromEnv, openWith: "two words", wantOpenErr: true},
		{name: "from the environment, then typed trimmed", save: fromEnv, open: typed, openWith: "two words", wantOpenErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newLoginFixture(t)
			savePass := spaced
			if strings.Contains(tt.name, "CRLF") {
				savePass = spaced + "\r\n"
			}
			if code, out := tt.save(t, f, savePass, login...); code != 0 {
				t.Fatalf("login: exit %d: %q", code, tail([]byte(out), 400))
			}
			code, out := tt.open(t, f, tt.openWith, services...)
			switch {
			case tt.wantOpenErr && (code != 2 || !strings.Contains(out, "wrong passphrase")):
				t.Errorf("services with %q: exit %d, %q; want 2, wrong passphrase", tt.openWith, code, tail([]byte(out), 400))
			case !tt.wantOpenErr && (code != 0 || !strings.Contains(out, "Canary Service")):
				t.Errorf("services with %q: exit %d, %q; want the service listed", tt.openWith, code, tail([]byte(out), 400))
			}
		})
	}
}
