package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/internal/testfixture"
)

// The login fixture and its canary secret, shared with the other test package.
const canary = testfixture.Canary

type loginFixture = testfixture.Login

func newLoginFixture(t *testing.T) loginFixture { t.Helper(); return testfixture.NewLogin(t) }

func checkNoCanary(t *testing.T, dir string, texts ...string) {
	t.Helper()
	testfixture.CheckNoCanary(t, dir, texts...)
}

func TestLoginFileStoreScripted(t *testing.T) {
	f := newLoginFixture(t)
	key := "SK" + strings.Repeat("5", 32)
	code, out, errOut := runWithStdin(t, f.Env, canary+"\n", "login", "--profile", "ci", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", key, "--storage", "file")
	if code != exitOK {
		t.Fatalf("login exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "encrypted") || !strings.Contains(out, "ci.age") {
		t.Errorf("login does not say where the secret went: %q", out)
	}
	for name, mode := range map[string]os.FileMode{"config.json": 0o600, "ci.age": 0o600} {
		fi, err := os.Stat(filepath.Join(f.Dir, name))
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v mode %v, want %v", name, err, fi.Mode().Perm(), mode)
		}
	}
	code, out2, errOut2 := runWithStdin(t, f.Env, "", "list", "--profile", "ci", "--service", "MG"+strings.Repeat("6", 32))
	if code != exitOK {
		t.Fatalf("list with the stored profile: exit %d %s", code, errOut2)
	}
	code, out3, errOut3 := runWithStdin(t, f.Env, "", "profiles")
	if code != exitOK || !strings.Contains(out3, "ci") || !strings.Contains(out3, "file") || !strings.Contains(out3, "yes") {
		t.Fatalf("profiles: exit %d\n%s%s", code, out3, errOut3)
	}
	// Wrong passphrase: a clear error, nothing overwritten.
	before, _ := os.ReadFile(filepath.Join(f.Dir, "ci.age"))
	env := map[string]string{}
	for k, v := range f.Env {
		env[k] = v
	}
	env["SENDERPOOL_PASSPHRASE"] = "wrong"
	code, _, errOut4 := runWithStdin(t, env, "", "services", "--profile", "ci")
	if code != exitSetup || !strings.Contains(strings.ToLower(errOut4), "passphrase") {
		t.Fatalf("wrong passphrase: exit %d %q", code, errOut4)
	}
	after, _ := os.ReadFile(filepath.Join(f.Dir, "ci.age"))
	if !bytes.Equal(before, after) {
		t.Fatal("a wrong passphrase changed the secret file")
	}
	code, out5, errOut5 := runWithStdin(t, f.Env, "", "logout", "--profile", "ci")
	if code != exitOK {
		t.Fatalf("logout: %d %s", code, errOut5)
	}
	if _, err := os.Stat(filepath.Join(f.Dir, "ci.age")); !os.IsNotExist(err) {
		t.Error("logout left the secret file")
	}
	checkNoCanary(t, f.Dir, out, errOut, out2, errOut2, out3, errOut3, errOut4, out5, errOut5)
	for _, r := range f.Fake.Records() {
		if strings.Contains(r.Path+r.RawQuery+r.Body, canary) {
			t.Fatal("the secret went into a URL or body")
		}
	}
}

func TestLoginWrongSecretSavesNothing(t *testing.T) {
	f := newLoginFixture(t)
	code, out, errOut := runWithStdin(t, f.Env, "not-the-token\n", "login", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file")
	if code != exitAPI || !strings.Contains(errOut, "nothing was saved") || !strings.Contains(errOut, "20003") {
		t.Fatalf("wrong secret: exit %d\n%s%s", code, out, errOut)
	}
	if entries, _ := os.ReadDir(f.Dir); len(entries) != 0 {
		t.Fatalf("a failed login left files: %v", entries)
	}
}

func TestLoginUsage(t *testing.T) {
	f := newLoginFixture(t)
	for _, tt := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"login"}, canary + "\n", "--account-sid"},
		{[]string{"login", "--account-sid", "AC123"}, canary + "\n", "expected AC followed by 32 hex digits"},
		{[]string{"login", "--account-sid", twiliotest.DemoAccountSID, "--api-key-sid", "SKxyz"}, canary + "\n", "expected SK"},
		{[]string{"login", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"}, "", "nothing was saved"},
		{[]string{"login", "--profile", "bad name!", "--account-sid", twiliotest.DemoAccountSID}, canary + "\n", "profile"},
		{[]string{"login", "--storage", "plaintext", "--account-sid", twiliotest.DemoAccountSID}, canary + "\n", "storage"},
		{[]string{"login", canary}, "", "never given on the command line"},
	} {
		code, out, errOut := runWithStdin(t, f.Env, tt.stdin, tt.args...)
		if code != exitSetup || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q (want %q)", tt.args, code, errOut, tt.want)
		}
		if tt.args[len(tt.args)-1] != canary {
			checkNoCanary(t, f.Dir, out, errOut)
		}
	}
}

func TestNoKeyringIsFastAndSpawnsNothing(t *testing.T) {
	f := newLoginFixture(t)
	// No session bus at all: the keyring is not even tried.
	start := time.Now()
	code, _, errOut := runWithStdin(t, f.Env, canary+"-token\n", "login", "--account-sid", twiliotest.DemoAccountSID)
	elapsed := time.Since(start)
	if code != exitSetup {
		t.Fatalf("login without a keyring: exit %d %s", code, errOut)
	}
	for _, want := range []string{"keyring", "TWILIO_ACCOUNT_SID", "dbus-run-session", "--storage file"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the no-keyring error lacks the way out %q:\n%s", want, errOut)
		}
	}
	if elapsed > time.Second {
		t.Errorf("the no-keyring answer took %v", elapsed)
	}
	if entries, _ := os.ReadDir(f.Dir); len(entries) != 0 {
		t.Errorf("nothing may be saved without a keyring: %v", entries)
	}
	if out, _ := exec.Command("pgrep", "-x", "dbus-launch").Output(); len(out) > 0 {
		t.Errorf("a dbus-launch process is running: %s", out)
	}
	checkNoCanary(t, f.Dir, errOut)

	// The dashboard's connect step reports the same at once.
	code, _, errOut = runWithStdin(t, map[string]string{"SENDERPOOL_CONFIG_DIR": f.Dir}, "", "services")
	if code != exitSetup || !strings.Contains(errOut, "senderpool login") {
		t.Fatalf("no credentials: exit %d %q", code, errOut)
	}
}

func TestProfilesJSON(t *testing.T) {
	f := newLoginFixture(t)
	if code, _, errOut := runWithStdin(t, f.Env, canary+"-token\n", "login", "--profile", "a", "--account-sid", twiliotest.DemoAccountSID, "--storage", "file"); code != exitOK {
		t.Fatal(errOut)
	}
	code, out, _ := runWithStdin(t, f.Env, "", "profiles", "--json")
	var rows []map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["name"] != "a" || rows[0]["default"] != true {
		t.Fatalf("profiles --json: %d %s", code, out)
	}
	checkNoCanary(t, f.Dir, out)
}
