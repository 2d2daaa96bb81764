package cli

import (
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// TestSetupFaultsExitTwo: every set-up fault is exit 2 for every command
// it concerns, says what is wrong, and sends nothing. One mechanism
// decides (an error that says SetupError), so a corrupt config is 2 for
// profiles, logout and login as much as for services.
func TestSetupFaultsExitTwo(t *testing.T) {
	const (
		service  = twiliotest.DemoServiceNotifications
		free     = twiliotest.DemoFreeWhatsAppUS
		attached = twiliotest.DemoSenderWhatsAppUS
	)
	commands := []struct {
		name  string
		args  []string
		stdin string
	}{
		{"services", []string{"services"}, ""},
		{"list", []string{"list", "--service", service}, ""},
		{"attach", []string{"attach", "--service", service, free}, ""},
		{"detach", []string{"detach", "--service", service, attached, "--yes"}, ""},
		{"login", []string{"login", "--account-sid", twiliotest.DemoAccountSID}, twiliotest.DemoAuthToken + "\n"},
		{"logout", []string{"logout"}, ""},
		{"profiles", []string{"profiles"}, ""},
	}
	envCreds := map[string]string{"TWILIO_ACCOUNT_SID": twiliotest.DemoAccountSID, "TWILIO_AUTH_TOKEN": twiliotest.DemoAuthToken}
	keyringProfile := `{"version":1,"default_profile":"work","profiles":[{"name":"work","account_sid":"` + twiliotest.DemoAccountSID + `","storage":"keyring"}]}`
	type setup struct {
		t   *testing.T
		dir string
		env map[string]string
	}
	faults := []struct {
		name      string
		prepare   func(s setup)
		args      []string // added to every command's
		loginArgs []string // added to login's
		only      []string // the commands it concerns; nil: all
		want      string   // in stderr
		linux     bool     // needs Linux's session-bus check
	}{
		{name: "corrupt config", want: "config file is corrupt",
			prepare: func(s setup) { writeFile(s.t, s.dir, "config.json", "{") }},
		{name: "malformed TWILIO_REGION", want: `"a.b"`, only: []string{"services", "list", "attach", "detach", "login"},
			prepare: func(s setup) { maps.Copy(s.env, envCreds); s.env["TWILIO_REGION"] = "a.b" }},
		{name: "malformed --edge", args: []string{"--edge", "x_y"}, want: `"x_y"`, only: []string{"services", "list", "attach", "detach", "login"},
			prepare: func(s setup) { maps.Copy(s.env, envCreds) }},
		{name: "plain http to a remote host", args: []string{"--api-url", "http://example.com"}, want: "loopback", only: []string{"services", "list", "attach", "detach", "login"},
			prepare: func(s setup) { maps.Copy(s.env, envCreds) }},
		{name: "no credentials", want: "no Twilio credentials", only: []string{"services", "list", "attach", "detach"}},
		{name: "incomplete environment", want: "TWILIO_API_SECRET", only: []string{"services", "list", "attach", "detach"},
			prepare: func(s setup) {
				s.env["TWILIO_ACCOUNT_SID"], s.env["TWILIO_API_KEY"] = twiliotest.DemoAccountSID, twiliotest.DemoAPIKeySID
			}},
		{name: "no keyring", want: "no OS keyring", linux: true, only: []string{"services", "list", "attach", "detach", "login", "logout"},
			prepare: func(s setup) { writeFile(s.t, s.dir, "config.json", keyringProfile) }},
		{name: "no passphrase off a terminal", want: "SENDERPOOL_PASSPHRASE", loginArgs: []string{"--profile", "new", "--storage", "file"},
			only:    []string{"services", "list", "attach", "detach", "login"},
			prepare: func(s setup) { storeVault(s.t, s.env); delete(s.env, "SENDERPOOL_PASSPHRASE") }},
		{name: "wrong passphrase", want: "wrong passphrase", only: []string{"services", "list", "attach", "detach"},
			prepare: func(s setup) { storeVault(s.t, s.env); s.env["SENDERPOOL_PASSPHRASE"] = "wrong" }},
		{name: "profile not found", args: []string{"--profile", "nosuch"}, want: "profile not found", only: []string{"services", "list", "attach", "detach", "logout"}},
		{name: "invalid profile name", args: []string{"--profile", "bad name!"}, want: "invalid profile name", only: []string{"services", "list", "attach", "detach", "login", "logout"}},
		{name: "malformed --service", args: []string{"--service", "MG123"}, want: "expected MG followed by 32 hex digits"},
		{name: "malformed --timeout", args: []string{"--timeout", "0"}, want: "--timeout must be positive"},
		{name: "unknown flag", args: []string{"--frob"}, want: "does not take --frob"},
		{name: "read-only", args: []string{"--read-only"}, want: "--read-only", only: []string{"attach", "detach"},
			prepare: func(s setup) { maps.Copy(s.env, envCreds) }},
		{name: "--demo with profiles", args: []string{"--demo"}, want: "--demo", only: []string{"login", "logout", "profiles"}},
	}
	for _, f := range faults {
		for _, c := range commands {
			t.Run(f.name+"/"+c.name, func(t *testing.T) {
				if f.only != nil && !slices.Contains(f.only, c.name) {
					t.Skipf("%s does not concern %s", f.name, c.name)
				}
				if f.linux && runtime.GOOS != "linux" {
					t.Skip("the session-bus check is Linux's")
				}
				fake := twiliotest.Demo(twiliotest.DemoOptions{})
				dir := t.TempDir()
				env := map[string]string{
					"SENDERPOOL_CONFIG_DIR": dir, "SENDERPOOL_PASSPHRASE": "correct horse",
					"SENDERPOOL_API_URL": twiliotest.Serve(t, fake).URL,
				}
				if f.prepare != nil {
					f.prepare(setup{t: t, dir: dir, env: env})
				}
				before := fake.TotalRequests()
				args := append(slices.Clone(c.args), f.args...)
				if c.name == "login" {
					args = append(args, f.loginArgs...)
				}
				code, stdout, stderr := runWithStdin(t, env, c.stdin, args...)
				if code != exitSetup {
					t.Errorf("senderpool %s: exit %d, want %d (stdout %q, stderr %q)", strings.Join(args, " "), code, exitSetup, stdout, stderr)
				}
				if !strings.Contains(stderr, f.want) {
					t.Errorf("stderr %q does not say %q", stderr, f.want)
				}
				if n := fake.TotalRequests() - before; n != 0 {
					t.Errorf("%d requests were sent", n)
				}
			})
		}
	}
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// storeVault logs in the default profile "vault", its secret (the demo's
// auth token) in the encrypted file.
func storeVault(t *testing.T, env map[string]string) {
	t.Helper()
	code, _, stderr := runWithStdin(t, env, twiliotest.DemoAuthToken+"\n", "login", "--profile", "vault", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file")
	if code != exitOK {
		t.Fatalf("storing the vault profile: exit %d: %s", code, stderr)
	}
}
