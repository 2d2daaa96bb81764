package keystore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestConfigMustBeRegularAndSmall: what is not a regular file of at most
// 1 MiB is refused by everything that reads the config, at once, with the
// file named; nothing is rewritten and no keyring is called.
func TestConfigMustBeRegularAndSmall(t *testing.T) {
	t.Parallel()
	valid := `{"version":1,"profiles":[{"name":"a","account_sid":"` + acctA + `","storage":"keyring"}]}`
	tests := []struct {
		name  string
		unix  bool
		setup func(t *testing.T, path string)
		want  error
		says  string
	}{
		{"a directory", false, func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, ErrConfigUnsafe, "is a directory, not a regular file"},
		{"a link to a device", true, func(t *testing.T, path string) {
			if err := os.Symlink(os.DevNull, path); err != nil {
				t.Fatal(err)
			}
		}, ErrConfigUnsafe, "is a device (it links to " + os.DevNull + "), not a regular file"},
		{"larger than 1 MiB", false, func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(valid+strings.Repeat(" ", MaxConfigSize)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrConfigCorrupt, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.unix && runtime.GOOS == "windows" {
				t.Skip("Unix devices")
			}
			kr := newMemKeyring()
			s := newStore(t, Options{Keyring: kr})
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, s.ConfigFile())
			ctx := t.Context()
			_, _, perr := s.Profiles(ctx)
			_, rerr := s.Resolve(ctx, "")
			for what, err := range map[string]error{
				"Profiles":   perr,
				"Resolve":    rerr,
				"Save":       s.Save(ctx, keyringProfile("b"), canary),
				"Delete":     s.Delete(ctx, "a"),
				"SetDefault": s.SetDefault(ctx, "a"),
				"Preflight":  s.Preflight(ctx, keyringProfile("b")),
			} {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), s.ConfigFile()) || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("%s = %v; want %v naming the file and saying %q", what, err, tt.want, tt.says)
				}
			}
			if n := kr.Calls(); n != 0 {
				t.Errorf("keyring called %d times", n)
			}
		})
	}
}

// TestReadEndsWithContext: a read the file system does not answer (an
// open that blocks) ends when ctx does, with ctx's error.
func TestReadEndsWithContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s := newStore(t, Options{})
	if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.ConfigFile(), []byte(`{"version":1,"profiles":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s.open = func(path string) (*os.File, error) {
		<-release
		return nil, errors.New("released")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := s.Profiles(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), s.ConfigFile()) {
		t.Errorf("Profiles = %v, want the deadline, naming the file", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s", took)
	}
}

// TestSecretFileMustBeRegular: an encrypted file that is not a regular
// file is corrupt, not read.
func TestSecretFileMustBeRegular(t *testing.T) {
	t.Parallel()
	s := newStore(t, Options{})
	mustSave(t, s, fileProfile("a"), canary)
	if err := os.Remove(s.SecretFile("a")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(s.SecretFile("a"), 0o700); err != nil {
		t.Fatal(err)
	}
	for what, err := range map[string]error{
		"Reachable": s.Reachable(t.Context(), fileProfile("a")),
		"Secret":    func() error { _, err := s.Secret(t.Context(), fileProfile("a")); return err }(),
	} {
		if !errors.Is(err, ErrSecretFileCorrupt) || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s = %v, want ErrSecretFileCorrupt: not a regular file", what, err)
		}
	}
}

func TestTrimLineEnding(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"pw":            "pw",
		"pw\n":          "pw",
		"pw\r\n":        "pw",
		"pw\r":          "pw",
		"  two words  ": "  two words  ",
		" pw \n":        " pw ",
		"pw\n\n":        "pw\n",
		"\tpw\t":        "\tpw\t",
		"\n":            "",
		"":              "",
	} {
		if got := TrimLineEnding(in); got != want {
			t.Errorf("TrimLineEnding(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPassphraseFromEnvironmentKeepsSpaces: SENDERPOOL_PASSPHRASE loses
// its line ending, nothing else.
func TestPassphraseFromEnvironmentKeepsSpaces(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "senderpool")
	withEnv := func(pass string) *Store {
		s, err := Open(Options{Dir: dir, Getenv: env{"SENDERPOOL_PASSPHRASE": pass}.get, Keyring: newMemKeyring(), ScryptWorkFactor: 10})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mustSave(t, withEnv("  spaced  \n"), fileProfile("a"), canary)
	if got, err := withEnv("  spaced  ").Secret(t.Context(), fileProfile("a")); err != nil || got != canary {
		t.Errorf("with the same passphrase: %q, %v", got, err)
	}
	if _, err := withEnv("spaced").Secret(t.Context(), fileProfile("a")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("trimmed: %v, want ErrWrongPassphrase", err)
	}
}
