package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/internal/testfixture"
)

// TestConcurrentLoginLogout: logins and logouts run at once by separate
// processes on one config dir lose nothing: every login's profile is
// kept, every logout's is gone, and each profile left has its encrypted
// file and no file is left without its profile.
func TestConcurrentLoginLogout(t *testing.T) {
	const n = 6
	f := newLoginFixture(t)
	bin := binary(t)
	name := func(i int) string { return fmt.Sprintf("p%d", i) }
	login := func(i int) *exec.Cmd {
		return exec.Command(bin, "login", "--profile", name(i), "--account-sid", twiliotest.DemoAccountSID,
			"--api-key-sid", testfixture.CanaryKeySID, "--storage", "file")
	}
	logout := func(i int) *exec.Cmd { return exec.Command(bin, "logout", "--profile", name(i)) }

	// Round 1: n logins at once.
	var first []*exec.Cmd
	for i := range n {
		first = append(first, login(i))
	}
	runAll(t, f, first)
	checkProfiles(t, f.Dir, names(name, 0, n))
	if t.Failed() {
		return
	}

	// Round 2: half of them log out while as many new ones log in.
	var second []*exec.Cmd
	for i := range n / 2 {
		second = append(second, logout(i), login(n+i))
	}
	runAll(t, f, second)
	checkProfiles(t, f.Dir, names(name, n/2, n+n/2))
}

func names(name func(int) string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, name(i))
	}
	slices.Sort(out)
	return out
}

// runAll starts every command before waiting for any, each with the
// fixture's environment and the canary on stdin; all must succeed.
func runAll(t *testing.T, f loginFixture, cmds []*exec.Cmd) {
	t.Helper()
	outs := make([]bytes.Buffer, len(cmds))
	for i, cmd := range cmds {
		cmd.Env = append(cleanEnv(t), envList(f.Env)...)
		cmd.Stdin = strings.NewReader(canary + "\n")
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(cmds))
	for i, cmd := range cmds {
		wg.Go(func() { errs[i] = cmd.Wait() })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(cmds[i].Args[1:], " "), err, outs[i].String())
		}
		checkNoCanary(t, f.Dir, outs[i].String())
	}
}

// checkProfiles fails unless the config holds exactly want and the dir
// holds exactly their encrypted files, the config and the lock.
func checkProfiles(t *testing.T, dir string, want []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, profileFile))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Profiles []struct {
			Name string `json:"name"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("config: %v\n%s", err, b)
	}
	var got []string
	for _, p := range c.Profiles {
		got = append(got, p.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("profiles %v, want %v", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files, wantFiles []string
	for _, e := range entries {
		if n := e.Name(); n != profileFile && !strings.HasSuffix(n, ".lock") {
			files = append(files, n)
		}
	}
	for _, n := range want {
		wantFiles = append(wantFiles, n+".age")
	}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("files besides the config: %v, want %v (an encrypted file without its profile, or a temporary file, was left)", files, wantFiles)
	}
}

// TestConcurrentLoginsOfOneProfile: logins of one new profile at once
// store it once. Without --force exactly one succeeds and the others say
// it exists (exit 2), even those that found it missing when they started;
// with --force every one succeeds, the last replacing the others. Either
// way one profile and one encrypted file are left, and it opens.
func TestConcurrentLoginsOfOneProfile(t *testing.T) {
	const n = 4
	bin := binary(t)
	for _, force := range []bool{false, true} {
		t.Run(fmt.Sprintf("force=%v", force), func(t *testing.T) {
			f := newLoginFixture(t)
			args := []string{"login", "--profile", "same", "--account-sid", twiliotest.DemoAccountSID,
				"--api-key-sid", testfixture.CanaryKeySID, "--storage", "file"}
			if force {
				args = append(args, "--force")
			}
			cmds := make([]*exec.Cmd, n)
			outs := make([]bytes.Buffer, n)
			for i := range cmds {
				cmds[i] = exec.Command(bin, args...)
				cmds[i].Env = append(cleanEnv(t), envList(f.Env)...)
				cmds[i].Stdin = strings.NewReader(canary + "\n")
				cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
				if err := cmds[i].Start(); err != nil {
					t.Fatal(err)
				}
			}
			ok := 0
			for i, cmd := range cmds {
				code := shellStatusOf(t, cmd.Wait())
				switch {
				case code == 0:
					ok++
				case code == 2 && !force && strings.Contains(outs[i].String(), `"same"`):
				default:
					t.Errorf("login %d: exit %d: %s", i, code, outs[i].String())
				}
				checkNoCanary(t, f.Dir, outs[i].String())
			}
			if want := map[bool]int{false: 1, true: n}[force]; ok != want {
				t.Errorf("%d logins succeeded, want %d", ok, want)
			}
			checkProfiles(t, f.Dir, []string{"same"})
			if code, stdout, stderr := runBin(t, envList(f.Env), nil, "services", "--profile", "same"); code != 0 || !strings.Contains(stdout, "Canary Service") {
				t.Errorf("the profile left does not open: exit %d: %s%s", code, stdout, stderr)
			}
		})
	}
}

// shellStatusOf is the exit code of a finished command.
func shellStatusOf(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatal(err)
	return -1
}
