package cli

import (
	"bytes"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a command leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// runCLI runs the command line in-process with the given environment, a
// private config dir and state dir (unless env names them) and no session bus: tests never touch the user's
// profiles or keyring.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	dir, state := t.TempDir(), t.TempDir()
	lookup := func(k string) (string, bool) {
		if v, ok := env[k]; ok {
			return v, true
		}
		switch k {
		case "SENDERPOOL_CONFIG_DIR":
			return dir, true
		case "SENDERPOOL_STATE_DIR":
			return state, true
		}
		return "", false
	}
	return runWith(t, lookup, "", args...)
}

// runWithStdin runs the command line in-process with stdin text and only
// the environment given.
func runWithStdin(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return runWith(t, lookup, stdin, args...)
}

func runWith(t *testing.T, lookup func(string) (string, bool), stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), testApp(System{In: strings.NewReader(stdin), Out: &out, Err: &errb, LookupEnv: lookup}), args)
	return code, out.String(), errb.String()
}

// testApp is an app for sys with a cheap scrypt: the encrypted files the
// tests make open in milliseconds, not a second (ten under -race).
func testApp(sys System) *app { return &app{sys: sys, scrypt: 10} }
