package e2e

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

const (
	keySID      = "SK" + "55555555555555555555555555555555" // the fixture's API key; its secret is the canary
	otherAcct   = "AC" + "0123456789abcdef0123456789abcdef"
	passphrase  = "correct horse"
	fixtureSvc  = "MG" + "66666666666666666666666666666666"
	profileFile = "config.json"
)

// envList is m as KEY=VALUE pairs, for exec.
func envList(m map[string]string, drop ...string) []string {
	var env []string
	for k, v := range m {
		if !slices.Contains(drop, k) {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// runBin runs the binary off a terminal: stdin from in, the rest captured.
func runBin(t *testing.T, env []string, in io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(cleanEnv(t), env...)
	cmd.Stdin = in
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// devNull is an empty stdin that is a character device, not a terminal.
func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// storeFileProfile logs in a profile whose secret is in the encrypted
// file, the scripted way.
func storeFileProfile(t *testing.T, f loginFixture, name string) {
	t.Helper()
	code, _, stderr := runBin(t, envList(f.Env), strings.NewReader(canary+"\n"),
		"login", "--profile", name, "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", keySID, "--storage", "file")
	if code != 0 {
		t.Fatalf("setting up profile %s: exit %d: %s", name, code, stderr)
	}
}

// dirSnapshot is every file under dir with its content.
func dirSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			files[e.Name()] = string(b)
		}
	}
	return files
}

// TestCtrlCAtPrompts: ctrl+c at any question (detach's y/N, the hidden
// secret, the passphrase, replacing a profile, the account SID) ends the
// program at once with 130, the terminal echoing again, nothing sent that
// would change anything, nothing saved.
func TestCtrlCAtPrompts(t *testing.T) {
	tests := []struct {
		name     string
		demo     bool                               // on the demo data, with its auth token in the environment
		setup    func(t *testing.T, f loginFixture) // before the run, off the terminal
		dropEnv  []string                           // fixture variables the run goes without
		env      []string
		args     []string
		answers  []string // typed before ctrl+c, each after its prompt
		prompts  []string // the prompt each answer (then ctrl+c) waits for
		requests int      // requests the fake may get (detach fetches the sender to name it)
	}{
		{
			name: "detach's question", demo: true,
			args: []string{"detach", "--service", twiliotest.DemoServiceNotifications, twiliotest.DemoSenderWhatsAppUS},
			// The sender, and what its detach changes: the service, its
			// A2P campaign and the pool's five lists.
			prompts: []string{"[y/N]"}, requests: 8,
		},
		{
			name:    "the hidden secret",
			args:    []string{"login", "--profile", "p", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", keySID, "--storage", "file"},
			prompts: []string{"(input hidden): "},
		},
		{
			name: "the new passphrase", dropEnv: []string{"SENDERPOOL_PASSPHRASE"},
			args:    []string{"login", "--profile", "p", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", keySID, "--storage", "file"},
			answers: []string{canary + "\r"},
			prompts: []string{"(input hidden): ", "Passphrase for the encrypted secret file: "},
		},
		{
			name: "the passphrase confirmed", dropEnv: []string{"SENDERPOOL_PASSPHRASE"},
			args:    []string{"login", "--profile", "p", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", keySID, "--storage", "file"},
			answers: []string{canary + "\r", passphrase + "\r"},
			prompts: []string{"(input hidden): ", "Passphrase for the encrypted secret file: ", "Same passphrase again: "},
		},
		{
			name: "the passphrase of a stored profile", dropEnv: []string{"SENDERPOOL_PASSPHRASE"},
			setup:   func(t *testing.T, f loginFixture) { storeFileProfile(t, f, "vault") },
			args:    []string{"services", "--profile", "vault"},
			prompts: []string{"Passphrase for the encrypted secret file: "},
		},
		{
			name:    "replacing a profile",
			setup:   func(t *testing.T, f loginFixture) { storeFileProfile(t, f, "work") },
			args:    []string{"login", "--profile", "work", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"},
			prompts: []string{"replace it? [y/N] "},
		},
		{
			name:    "the account SID",
			args:    []string{"login", "--profile", "p", "--storage", "file"},
			prompts: []string{"Account SID (AC…): "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newLoginFixture(t)
			if tt.demo {
				f = demoFixture(t)
			}
			if tt.setup != nil {
				tt.setup(t, f)
			}
			before, saved := f.Fake.TotalRequests(), dirSnapshot(t, f.Dir)
			attached := f.Fake.AttachedSIDs(twiliotest.DemoServiceNotifications)
			p := startPty(t, binary(t), 100, 30, append(envList(f.Env, tt.dropEnv...), tt.env...), tt.args...)
			for i, prompt := range tt.prompts {
				p.waitText(prompt)
				if i < len(tt.answers) {
					p.send(tt.answers[i])
				}
			}
			p.send("\x03")
			if code := p.exitCode(); code != 130 {
				t.Errorf("exit %d, want 130; output %q", code, tail(p.output(), 400))
			}
			switch p.echoAfterExit() {
			case echoOff:
				t.Error("the terminal was left with echo off")
			case echoUnknown:
				t.Log("the terminal's echo cannot be read on this platform")
			}
			if n := f.Fake.TotalRequests() - before; n != tt.requests {
				t.Errorf("%d requests after the prompt, want %d", n, tt.requests)
			}
			if got := f.Fake.AttachedSIDs(twiliotest.DemoServiceNotifications); !slices.Equal(got, attached) {
				t.Errorf("the pool changed: %v, then %v", attached, got)
			}
			if got := dirSnapshot(t, f.Dir); !maps(got, saved) {
				t.Errorf("the config dir changed: %v, then %v", keys(saved), keys(got))
			}
			checkNoCanary(t, f.Dir, string(p.output()))
		})
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// demoFixture is the demo data on a fake of its own, its auth token in
// the environment, and a private config dir.
func demoFixture(t *testing.T) loginFixture {
	t.Helper()
	fake := twiliotest.Demo(twiliotest.DemoOptions{})
	srv := twiliotest.Serve(t, fake)
	dir := t.TempDir()
	return loginFixture{Fake: fake, Dir: dir, Env: map[string]string{
		"SENDERPOOL_CONFIG_DIR": dir, "SENDERPOOL_API_URL": srv.URL,
		"TWILIO_ACCOUNT_SID": twiliotest.DemoAccountSID, "TWILIO_AUTH_TOKEN": twiliotest.DemoAuthToken,
	}}
}
