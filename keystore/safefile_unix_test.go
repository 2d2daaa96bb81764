//go:build unix

package keystore

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConfigWritableByOthersRefused: a config file or dir that group or
// others may write, or that another user owns, is refused by every
// reader and writer, naming the command that fixes it. The checks are
// on the mode bits and the owner, so they hold for root too.
func TestConfigWritableByOthersRefused(t *testing.T) {
	t.Parallel()
	valid := `{"version":1,"default_profile":"a","profiles":[{"name":"a","account_sid":"` + acctA + `","storage":"keyring"}]}`
	tests := []struct {
		name     string
		fileMode os.FileMode
		dirMode  os.FileMode
		chown    bool // give the file to another user (root only)
		says     func(s *Store) string
	}{
		{name: "file writable by group", fileMode: 0o620, dirMode: 0o700, says: func(s *Store) string { return "chmod go-w " + s.ConfigFile() }},
		{name: "file writable by others", fileMode: 0o646, dirMode: 0o700, says: func(s *Store) string { return "chmod go-w " + s.ConfigFile() }},
		{name: "dir writable by group", fileMode: 0o600, dirMode: 0o770, says: func(s *Store) string { return "chmod 700 " + s.Dir() }},
		{name: "dir writable by all, sticky", fileMode: 0o600, dirMode: 0o1777, says: func(s *Store) string { return "chmod 700 " + s.Dir() }},
		{name: "file owned by another user", fileMode: 0o600, dirMode: 0o700, chown: true, says: func(s *Store) string { return "sudo chown " }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.chown && os.Geteuid() != 0 {
				t.Skip("only root can give a file away (TestCheckPrivate covers the rule)")
			}
			kr := newMemKeyring()
			s := newStore(t, Options{Keyring: kr})
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.ConfigFile(), []byte(valid), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(s.ConfigFile(), tt.fileMode); err != nil {
				t.Fatal(err)
			}
			if tt.chown {
				if err := os.Chown(s.ConfigFile(), 65534, 65534); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(s.Dir(), tt.dirMode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(s.Dir(), 0o700) })
			ctx := t.Context()
			_, _, perr := s.Profiles(ctx)
			_, rerr := s.Resolve(ctx, "")
			for what, err := range map[string]error{
				"Profiles":            perr,
				"Resolve":             rerr,
				"Save":                s.Save(ctx, keyringProfile("b"), canary),
				"Save to a file":      s.Save(ctx, fileProfile("b"), canary),
				"Delete":              s.Delete(ctx, "a"),
				"Forget":              s.Forget(ctx, "a"),
				"Preflight":           s.Preflight(ctx, keyringProfile("b")),
				"Preflight of a file": s.Preflight(ctx, fileProfile("b")),
			} {
				if !errors.Is(err, ErrConfigUnsafe) || !strings.Contains(err.Error(), tt.says(s)) {
					t.Errorf("%s = %v; want ErrConfigUnsafe saying %q", what, err, tt.says(s))
				}
			}
			if got := readFile(t, s.ConfigFile()); string(got) != valid {
				t.Errorf("the config was rewritten: %s", got)
			}
			if n := kr.Calls(); n != 0 {
				t.Errorf("keyring called %d times", n)
			}
			if entries, _ := os.ReadDir(s.Dir()); len(entries) != 1 {
				t.Errorf("files written beside the config: %v", entries)
			}
		})
	}
}

// TestConfigFIFORefusedAtOnce: a named pipe nobody writes, in place of
// the config or of an encrypted file, is refused without a wait.
func TestConfigFIFORefusedAtOnce(t *testing.T) {
	t.Parallel()
	s := newStore(t, Options{})
	mustSave(t, s, fileProfile("a"), canary)
	fifo := func(path string) {
		t.Helper()
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fifo(s.SecretFile("a"))
	reach := make(chan error, 1)
	go func() { reach <- s.Reachable(t.Context(), fileProfile("a")) }()
	select {
	case err := <-reach:
		if !errors.Is(err, ErrSecretFileCorrupt) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("Reachable with a FIFO for its file = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO encrypted file blocked")
	}
	fifo(s.ConfigFile())
	done := make(chan error, 1)
	go func() { _, _, err := s.Profiles(t.Context()); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrConfigUnsafe) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("Profiles with a FIFO config = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO config blocked")
	}
}
