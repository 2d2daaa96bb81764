package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/internal/testfixture"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/ui"
)

// TestLoginChecksTheConfigFirst: a login that replaces a profile (so it
// need not look the name up) still reads and checks the config before
// the secret is sent, from the command line and from the dashboard: a
// corrupt, oversized, unsafe or non-regular config is a set-up error and
// the fake gets no request.
func TestLoginChecksTheConfigFirst(t *testing.T) {
	valid := `{"version":1,"profiles":[{"name":"work","account_sid":"` + twiliotest.DemoAccountSID + `","storage":"file"}]}`
	tests := []struct {
		name  string
		unix  bool
		setup func(t *testing.T, path string)
		want  error
	}{
		{"corrupt", false, func(t *testing.T, path string) { writeFile(t, filepath.Dir(path), filepath.Base(path), `{"version":`) }, keystore.ErrConfigCorrupt},
		{"larger than 1 MiB", false, func(t *testing.T, path string) {
			writeFile(t, filepath.Dir(path), filepath.Base(path), valid+strings.Repeat(" ", keystore.MaxConfigSize))
		}, keystore.ErrConfigCorrupt},
		{"writable by others", true, func(t *testing.T, path string) {
			writeFile(t, filepath.Dir(path), filepath.Base(path), valid)
			if err := os.Chmod(path, 0o666); err != nil {
				t.Fatal(err)
			}
		}, keystore.ErrConfigUnsafe},
		{"a directory", false, func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, keystore.ErrConfigUnsafe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.unix && runtime.GOOS == "windows" {
				t.Skip("Unix permissions")
			}
			f := newLoginFixture(t)
			tt.setup(t, filepath.Join(f.Dir, keystore.ConfigFileName))

			code, _, stderr := runWithStdin(t, f.Env, canary+"\n", "login", "--force", "--profile", "work",
				"--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", testfixture.CanaryKeySID, "--storage", "file")
			if code != exitSetup || !strings.Contains(stderr, f.Dir) {
				t.Errorf("login --force: exit %d, %q; want 2 naming the config", code, stderr)
			}

			d := dashboardFixture(t, f, f.Env)
			_, err := d.Login(t.Context(), ui.LoginRequest{Profile: "work", AccountSID: twiliotest.DemoAccountSID,
				APIKeySID: testfixture.CanaryKeySID, Secret: canary, Storage: "file", Passphrase: "pw", Overwrite: true})
			if !errors.Is(err, tt.want) || !isSetup(err) {
				t.Errorf("the dashboard's login = %v, want %v", err, tt.want)
			}
			if n := f.Fake.TotalRequests(); n != 0 {
				t.Errorf("%d requests before the config was found unusable", n)
			}
		})
	}
}

// TestProfilesAPIHostColumn: the table and --json name each profile's
// API host, and say when no client would use its endpoint.
func TestProfilesAPIHostColumn(t *testing.T) {
	dir := t.TempDir()
	acct := twiliotest.DemoAccountSID
	writeFile(t, dir, keystore.ConfigFileName, `{"version":1,"profiles":[
	  {"name":"eu","account_sid":"`+acct+`","region":"ie1","edge":"dublin","storage":"file"},
	  {"name":"odd","account_sid":"`+acct+`","api_url":"http://example.com","storage":"file"}]}`)
	env := map[string]string{"SENDERPOOL_CONFIG_DIR": dir}
	code, stdout, stderr := runWithStdin(t, env, "", "profiles")
	if code != exitOK {
		t.Fatal(stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.Contains(lines[0], "API HOST") || !strings.Contains(stdout, " messaging.dublin.ie1.twilio.com ") || !strings.Contains(stdout, " unusable: ") {
		t.Errorf("table:\n%s", stdout)
	}
	code, stdout, stderr = runWithStdin(t, env, "", "profiles", "--json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0]["api_host"] != "messaging.dublin.ie1.twilio.com" || rows[0]["api_host_problem"] != nil ||
		rows[1]["api_host"] != nil || !strings.Contains(rows[1]["api_host_problem"].(string), "loopback") {
		t.Errorf("--json: %s", stdout)
	}
}

// TestPassphraseFromEnvironment: SENDERPOOL_PASSPHRASE is taken as set,
// only its line ending removed.
func TestPassphraseFromEnvironment(t *testing.T) {
	for in, want := range map[string]string{
		"  two words  ":     "  two words  ",
		"  two words  \n":   "  two words  ",
		"  two words  \r\n": "  two words  ",
	} {
		a := testApp(System{LookupEnv: func(k string) (string, bool) { return in, k == "SENDERPOOL_PASSPHRASE" }})
		got, err := (*prompter)(nil).passphrase(a)(t.Context(), true)
		if err != nil || got != want {
			t.Errorf("SENDERPOOL_PASSPHRASE=%q: %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestCrashDir(t *testing.T) {
	cache := func() (string, error) { return "/cache", nil }
	noCache := func() (string, error) { return "", errors.New("no cache dir") }
	tests := []struct {
		goos  string
		env   map[string]string
		cache func() (string, error)
		want  string // "" for an error
	}{
		{"linux", map[string]string{"XDG_STATE_HOME": "/state", "HOME": "/home/u"}, noCache, "/state/senderpool"},
		{"linux", map[string]string{"HOME": "/home/u"}, noCache, "/home/u/.local/state/senderpool"},
		{"linux", map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/home/u"}, noCache, "/home/u/.local/state/senderpool"},
		{"linux", map[string]string{}, cache, ""},
		{"darwin", map[string]string{"XDG_STATE_HOME": "/state", "HOME": "/home/u"}, cache, "/cache/senderpool"},
		{"windows", map[string]string{}, cache, "/cache/senderpool"},
		{"windows", map[string]string{}, noCache, ""},
	}
	for _, tt := range tests {
		got, err := crashDir(tt.goos, func(k string) string { return tt.env[k] }, tt.cache)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s %v: %q, want an error", tt.goos, tt.env, got)
			}
			continue
		}
		if err != nil || got != filepath.FromSlash(tt.want) {
			t.Errorf("%s %v: %q, %v; want %q", tt.goos, tt.env, got, err, tt.want)
		}
	}
}

// TestCrashReport: the full trace goes to a new 0600 file in a 0700
// state dir, named in the short report; the temp dir stays empty.
func TestCrashReport(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the state dir is Linux's")
	}
	state, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	a := testApp(System{LookupEnv: func(k string) (string, bool) {
		return state, k == "XDG_STATE_HOME"
	}})
	err := a.crashed(&ui.Crash{Value: "boom", Where: "ui.go:1", Stack: "goroutine 1 [running]:"})
	reports, _ := filepath.Glob(filepath.Join(state, "senderpool", "senderpool-crash-*.txt"))
	if len(reports) != 1 || !strings.Contains(err.Error(), reports[0]) || !strings.Contains(err.Error(), "senderpool crashed: boom") {
		t.Fatalf("reports %v; message %q", reports, err)
	}
	if b, rerr := os.ReadFile(reports[0]); rerr != nil || !strings.Contains(string(b), "goroutine 1") {
		t.Errorf("report: %q, %v", b, rerr)
	}
	for path, want := range map[string]os.FileMode{reports[0]: 0o600, filepath.Dir(reports[0]): 0o700} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, %v; want mode %o", path, fi.Mode(), err, want)
		}
	}
	if stray, _ := os.ReadDir(tmp); len(stray) > 0 {
		t.Errorf("files in the temp dir: %v", stray)
	}

	// No state dir to be had: the report says so, and writes nowhere else.
	a = testApp(System{LookupEnv: func(string) (string, bool) { return "", false }})
	if err := a.crashed(&ui.Crash{Value: "boom"}); !strings.Contains(err.Error(), "could not be saved") {
		t.Errorf("no home: %v", err)
	}
	if stray, _ := os.ReadDir(tmp); len(stray) > 0 {
		t.Errorf("files in the temp dir: %v", stray)
	}
}
