package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/internal/testfixture"
)

// runWithin runs the binary off a terminal like runBin, but gives up
// after d: a command that should refuse at once must not get to hang.
func runWithin(t *testing.T, d time.Duration, env []string, in io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(cleanEnv(t), env...)
	cmd.Stdin = in
	cmd.WaitDelay = time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s did not end within %s; stderr %q", strings.Join(args, " "), d, tail(errb.Bytes(), 300))
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// TestConfigNotTrustedBlindly: a config that is not a regular file, is
// too large, or that someone else could have written (its file or its dir
// writable by group or others, or owned by another user) is refused by
// every command with exit 2 and what fixes it, before anything is sent: its
// api_url would decide where the secret goes. A corrupt config stops a
// login (even with --force) before the secret is sent too.
func TestConfigNotTrustedBlindly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions on Windows")
	}
	valid := `{"version":1,"default_profile":"work","profiles":[{"name":"work","account_sid":"` + twiliotest.DemoAccountSID + `","storage":"file"}]}`
	write := func(t *testing.T, dir, content string, mode os.FileMode) string {
		t.Helper()
		path := filepath.Join(dir, profileFile)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) (want string)
	}{
		{"a link to /dev/zero", func(t *testing.T, dir string) string {
			if err := os.Symlink("/dev/zero", filepath.Join(dir, profileFile)); err != nil {
				t.Fatal(err)
			}
			return "not a regular file"
		}},
		{"a directory", func(t *testing.T, dir string) string {
			if err := os.Mkdir(filepath.Join(dir, profileFile), 0o700); err != nil {
				t.Fatal(err)
			}
			return "not a regular file"
		}},
		{"larger than 1 MiB", func(t *testing.T, dir string) string {
			write(t, dir, valid+strings.Repeat(" ", 1<<20), 0o600)
			return "1 MiB"
		}},
		{"writable by group", func(t *testing.T, dir string) string {
			return "chmod go-w " + write(t, dir, valid, 0o620)
		}},
		{"writable by others", func(t *testing.T, dir string) string {
			return "chmod go-w " + write(t, dir, valid, 0o602)
		}},
		{"dir writable by group", func(t *testing.T, dir string) string {
			write(t, dir, valid, 0o600)
			if err := os.Chmod(dir, 0o770); err != nil {
				t.Fatal(err)
			}
			return "chmod 700 " + dir
		}},
		{"dir writable by others", func(t *testing.T, dir string) string {
			write(t, dir, valid, 0o600)
			if err := os.Chmod(dir, 0o757); err != nil {
				t.Fatal(err)
			}
			return "chmod 700 " + dir
		}},
		{"owned by another user", func(t *testing.T, dir string) string {
			if os.Geteuid() != 0 {
				t.Skip("only root can give a file to another user")
			}
			path := write(t, dir, valid, 0o600)
			if err := os.Lchown(path, 65534, 65534); err != nil {
				t.Fatal(err)
			}
			return "chown "
		}},
		{"corrupt", func(t *testing.T, dir string) string {
			write(t, dir, `{"version":1,`, 0o600)
			return "corrupt"
		}},
	}
	commands := []struct {
		name string
		args []string
	}{
		{"profiles", []string{"profiles"}},
		{"profiles --json", []string{"profiles", "--json"}},
		{"services", []string{"services"}},
		{"logout", []string{"logout", "--profile", "work"}},
		{"login --force", []string{"login", "--force", "--profile", "work", "--account-sid", twiliotest.DemoAccountSID,
			"--api-key-sid", testfixture.CanaryKeySID, "--storage", "file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range commands {
				t.Run(c.name, func(t *testing.T) {
					f := newLoginFixture(t)
					want := tt.setup(t, f.Dir)
					t.Cleanup(func() { _ = os.Chmod(f.Dir, 0o700) })
					code, stdout, stderr := runWithin(t, 10*time.Second, envList(f.Env), strings.NewReader(canary+"\n"), c.args...)
					if code != 2 || !strings.Contains(stderr, want) {
						t.Errorf("exit %d, stderr %q; want 2, saying %q", code, stderr, want)
					}
					if n := f.Fake.TotalRequests(); n != 0 {
						t.Errorf("%d requests with a config that cannot be used", n)
					}
					if strings.Contains(stdout+stderr, canary) {
						t.Error("the secret was printed")
					}
				})
			}
		})
	}
}

// TestProfilesShowAPIHost: `profiles` names the host each profile's
// requests (and secret) go to, as its api_url, region and edge make it,
// in the table and in --json; --api-url given now overrides them all.
func TestProfilesShowAPIHost(t *testing.T) {
	acct := twiliotest.DemoAccountSID
	dir := t.TempDir()
	config := `{"version":1,"default_profile":"plain","profiles":[
	  {"name":"plain","account_sid":"` + acct + `","storage":"file"},
	  {"name":"dublin","account_sid":"` + acct + `","region":"ie1","edge":"dublin","storage":"file"},
	  {"name":"au","account_sid":"` + acct + `","region":"au1","storage":"file"},
	  {"name":"edge","account_sid":"` + acct + `","edge":"sydney","storage":"file"},
	  {"name":"mock","account_sid":"` + acct + `","api_url":"http://127.0.0.1:4010/v","storage":"file"}]}`
	if err := os.WriteFile(filepath.Join(dir, profileFile), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"plain":  "messaging.twilio.com",
		"dublin": "messaging.dublin.ie1.twilio.com",
		"au":     "messaging.au1.twilio.com",
		"edge":   "messaging.sydney.us1.twilio.com",
		"mock":   "127.0.0.1:4010",
	}
	env := []string{"SENDERPOOL_CONFIG_DIR=" + dir}
	code, stdout, stderr := runWithin(t, 20*time.Second, env, nil, "profiles")
	if code != 0 {
		t.Fatalf("profiles: exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.Contains(lines[0], "API HOST") {
		t.Errorf("no API HOST column: %q", lines[0])
	}
	for name, host := range want {
		found := false
		for _, l := range lines[1:] {
			fields := strings.Fields(l)
			if len(fields) > 1 && (fields[0] == name || fields[1] == name) {
				found = strings.Contains(l, " "+host+" ")
			}
		}
		if !found {
			t.Errorf("profile %s: no row naming %s in\n%s", name, host, stdout)
		}
	}

	for _, tt := range []struct {
		args []string
		want func(name string) string
	}{
		{[]string{"profiles", "--json"}, func(name string) string { return want[name] }},
		{[]string{"profiles", "--json", "--api-url", "https://proxy.example:8443"}, func(string) string { return "proxy.example:8443" }},
	} {
		code, stdout, stderr = runWithin(t, 20*time.Second, env, nil, tt.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		var rows []struct {
			Name    string `json:"name"`
			APIHost string `json:"api_host"`
		}
		if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
			t.Fatalf("%v: %v\n%s", tt.args, err, stdout)
		}
		if len(rows) != len(want) {
			t.Errorf("%v: %d rows, want %d", tt.args, len(rows), len(want))
		}
		for _, r := range rows {
			if r.APIHost != tt.want(r.Name) {
				t.Errorf("%v: profile %s: api_host %q, want %q", tt.args, r.Name, r.APIHost, tt.want(r.Name))
			}
		}
	}
}

// statMode is the permission bits of path.
func statMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}
