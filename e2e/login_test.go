package e2e

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// storedAccount is the account of profile name in the config file.
func storedAccount(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, profileFile))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Profiles []struct {
			Name       string `json:"name"`
			AccountSID string `json:"account_sid"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Profiles {
		if p.Name == name {
			return p.AccountSID
		}
	}
	return ""
}

// writeProfile stores a profile for another account, with no secret: what
// a login over it must not replace unasked.
func writeProfile(t *testing.T, dir, name, account string) {
	t.Helper()
	config := `{"version":1,"default_profile":"` + name + `","profiles":[{"name":"` + name + `","account_sid":"` + account + `","storage":"file"}]}`
	if err := os.WriteFile(filepath.Join(dir, profileFile), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLoginAsksBeforeReplacing: a login over a stored profile asks first
// on a terminal, naming it and its account; no (or nothing) keeps it and
// sends nothing, yes goes on to the secret. Off a terminal it takes
// --force.
func TestLoginAsksBeforeReplacing(t *testing.T) {
	args := []string{"login", "--profile", "work", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", keySID, "--storage", "file"}
	question := "profile work exists (account " + otherAcct + "): replace it? [y/N] "
	t.Run("no, on a terminal", func(t *testing.T) {
		f := newLoginFixture(t)
		writeProfile(t, f.Dir, "work", otherAcct)
		p := startPty(t, binary(t), 100, 30, envList(f.Env), args...)
		p.waitText(question)
		p.send("n\r")
		if code := p.exitCode(); code != 2 {
			t.Errorf("exit %d, want 2; output %q", code, tail(p.output(), 300))
		}
		if got := storedAccount(t, f.Dir, "work"); got != otherAcct || f.Fake.TotalRequests() != 0 {
			t.Errorf("profile now for %s after %d requests; want it kept, nothing sent", got, f.Fake.TotalRequests())
		}
	})
	t.Run("yes, on a terminal", func(t *testing.T) {
		f := newLoginFixture(t)
		writeProfile(t, f.Dir, "work", otherAcct)
		p := startPty(t, binary(t), 100, 30, envList(f.Env), args...)
		p.waitText(question)
		p.send("y\r")
		p.waitText("(input hidden): ")
		p.send(canary + "\r")
		if code := p.exitCode(); code != 0 {
			t.Errorf("exit %d, want 0; output %q", code, tail(p.output(), 300))
		}
		if got := storedAccount(t, f.Dir, "work"); got != twiliotest.DemoAccountSID {
			t.Errorf("profile for %s, want it replaced", got)
		}
		checkNoCanary(t, f.Dir, string(p.output()))
	})
	for _, tt := range []struct {
		name  string
		force bool
		code  int
	}{
		{"off a terminal", false, 2},
		{"off a terminal with --force", true, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newLoginFixture(t)
			writeProfile(t, f.Dir, "work", otherAcct)
			a := args
			if tt.force {
				a = append(a[:len(a):len(a)], "--force")
			}
			code, stdout, stderr := runBin(t, envList(f.Env), strings.NewReader(canary+"\n"), a...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tt.code, stdout, stderr)
			}
			if tt.force {
				return
			}
			if !strings.Contains(stderr, "--force") || storedAccount(t, f.Dir, "work") != otherAcct || f.Fake.TotalRequests() != 0 {
				t.Errorf("stderr %q, %d requests: want --force named, the profile kept, nothing sent", stderr, f.Fake.TotalRequests())
			}
		})
	}
}

// TestNothingOnStdin: a secret or passphrase needed off a terminal, from
// a stdin that gives nothing (an empty pipe, /dev/null), is a set-up error
// that says where it should come from, before anything is sent; a secret
// piped in works.
func TestNothingOnStdin(t *testing.T) {
	login := []string{"login", "--profile", "ci", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", keySID, "--storage", "file"}
	tests := []struct {
		name    string
		stored  bool // a file profile "vault" is stored first
		dropEnv []string
		stdin   func(t *testing.T) io.Reader
		args    []string
		code    int
		want    string
	}{
		{name: "secret from /dev/null", stdin: func(t *testing.T) io.Reader { return devNull(t) }, args: login, code: 2, want: "stdin"},
		{name: "secret from an empty pipe", stdin: func(*testing.T) io.Reader { return strings.NewReader("") }, args: login, code: 2, want: "stdin"},
		{name: "new passphrase, none in the environment", dropEnv: []string{"SENDERPOOL_PASSPHRASE"},
			stdin: func(*testing.T) io.Reader { return strings.NewReader(canary + "\n") }, args: login, code: 2, want: "SENDERPOOL_PASSPHRASE"},
		{name: "stored passphrase, stdin /dev/null", stored: true, dropEnv: []string{"SENDERPOOL_PASSPHRASE"},
			stdin: func(t *testing.T) io.Reader { return devNull(t) }, args: []string{"services", "--profile", "vault"}, code: 2, want: "SENDERPOOL_PASSPHRASE"},
		{name: "secret piped in", stdin: func(*testing.T) io.Reader { return strings.NewReader(canary + "\n") }, args: login, code: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newLoginFixture(t)
			if tt.stored {
				storeFileProfile(t, f, "vault")
			}
			before := f.Fake.TotalRequests()
			code, stdout, stderr := runBin(t, envList(f.Env, tt.dropEnv...), tt.stdin(t), tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d naming %q", code, stderr, tt.code, tt.want)
			}
			if tt.code != 0 && f.Fake.TotalRequests() != before {
				t.Errorf("%d requests for a run that could not succeed", f.Fake.TotalRequests()-before)
			}
			checkNoCanary(t, f.Dir, stdout, stderr)
		})
	}
}
