package keystore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/senderpool/senderpool/keystore/keystoretest"
)

const (
	canary     = "SECRET-canary-123"
	passCanary = "PASS-canary-456"
	acctA      = "AC0123456789abcdef0123456789abcdef"
	acctB      = "ACfedcba9876543210fedcba9876543210"
	keyA       = "SK0123456789abcdef0123456789abcdef"
	keyB       = "SKfedcba9876543210fedcba9876543210"
	svcA       = "MG0123456789abcdef0123456789abcdef"
)

// env is an injected environment.
type env map[string]string

func (e env) get(k string) string { return e[k] }

func newMemKeyring() *keystoretest.MemKeyring { return keystoretest.NewMemKeyring() }

// failingKeyring fails every call with err.
type failingKeyring struct {
	err   error
	calls atomic.Int32
}

func (f *failingKeyring) Get(string, string) (string, error) { f.calls.Add(1); return "", f.err }
func (f *failingKeyring) Set(string, string, string) error   { f.calls.Add(1); return f.err }
func (f *failingKeyring) Delete(string, string) error        { f.calls.Add(1); return f.err }

// hangingKeyring blocks every call until release is closed (at cleanup), as
// a wedged Secret Service does.
type hangingKeyring struct {
	release chan struct{}
	calls   atomic.Int32
}

func newHangingKeyring(t *testing.T) *hangingKeyring {
	h := &hangingKeyring{release: make(chan struct{})}
	t.Cleanup(func() { close(h.release) })
	return h
}

func (h *hangingKeyring) Get(string, string) (string, error) {
	h.calls.Add(1)
	<-h.release
	return "", errors.New("released")
}

func (h *hangingKeyring) Set(string, string, string) error {
	h.calls.Add(1)
	<-h.release
	return errors.New("released")
}

func (h *hangingKeyring) Delete(string, string) error {
	h.calls.Add(1)
	<-h.release
	return errors.New("released")
}

// newStore opens a Store on a fresh dir with test defaults: an empty
// environment, an in-memory keyring, a fixed passphrase and a cheap scrypt.
func newStore(t *testing.T, opts Options) *Store {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = filepath.Join(t.TempDir(), "senderpool")
	}
	if opts.Getenv == nil {
		opts.Getenv = env{}.get
	}
	if opts.Keyring == nil {
		opts.Keyring = newMemKeyring()
	}
	if opts.ScryptWorkFactor == 0 {
		opts.ScryptWorkFactor = 10
	}
	if opts.Passphrase == nil {
		opts.Passphrase = fixedPass(passCanary)
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.goos = "linux" // the ways-out text is the Linux one whatever the host
	return s
}

func fixedPass(p string) func(context.Context, bool) (string, error) {
	return func(context.Context, bool) (string, error) { return p, nil }
}

func keyringProfile(name string) Profile {
	return Profile{Name: name, AccountSID: acctA, Storage: StorageKeyring}
}

func fileProfile(name string) Profile {
	return Profile{Name: name, AccountSID: acctA, APIKeySID: keyA, Storage: StorageFile}
}

func mustSave(t *testing.T, s *Store, p Profile, secret string) {
	t.Helper()
	if err := s.Save(context.Background(), p, secret); err != nil {
		t.Fatalf("Save(%s): %v", p.Name, err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}
