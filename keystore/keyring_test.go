package keystore

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// TestGoKeyringMock drives the real go-keyring API through its MockInit
// provider. MockInit swaps a go-keyring package global: not parallel.
func TestGoKeyringMock(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	s := newStore(t, Options{Keyring: GoKeyring{}})
	p := keyringProfile("mock-profile")
	mustSave(t, s, p, canary)

	// One item, service "senderpool", user = profile name.
	if got, err := keyring.Get("senderpool", "mock-profile"); err != nil || got != canary {
		t.Fatalf("keyring.Get(senderpool, mock-profile) = %q, %v", got, err)
	}
	got, err := s.Secret(ctx, p)
	if err != nil || got != canary {
		t.Fatalf("Secret = %q, %v", got, err)
	}
	r, err := s.Resolve(ctx, "")
	if err != nil || r.Source != SourceKeyring || r.Credentials.Secret != canary || r.Credentials.AccountSID != acctA {
		t.Fatalf("Resolve = %v, %v", r, err)
	}
	if err := s.Reachable(ctx, p); err != nil {
		t.Errorf("Reachable = %v", err)
	}
	if err := s.Delete(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get("senderpool", "mock-profile"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("after Delete, keyring.Get = %v, want ErrNotFound", err)
	}
	if _, err := s.Secret(ctx, p); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("after Delete, Secret = %v, want ErrSecretNotFound", err)
	}
	if err := s.Reachable(ctx, p); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("after Delete, Reachable = %v, want ErrSecretNotFound", err)
	}
}

// TestGoKeyringMockError: a keyring that fails leaves nothing half-saved.
// Not parallel (MockInitWithError swaps a go-keyring global).
func TestGoKeyringMockError(t *testing.T) {
	keyring.MockInitWithError(errors.New("the name org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)
	s := newStore(t, Options{Keyring: GoKeyring{}})
	err := s.Save(context.Background(), keyringProfile("a"), canary)
	if !errors.Is(err, ErrNoKeyring) || !strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Fatalf("Save = %v, want ErrNoKeyring with the cause", err)
	}
	if _, err := os.Stat(s.ConfigFile()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile written although its secret was not: %v", err)
	}
}

func TestKeyringErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom: secret service said no")
	tests := []struct {
		name    string
		backend Keyring
		want    []error
		notWant []error
		text    []string
	}{
		{"not found maps", &failingKeyring{err: keyring.ErrNotFound}, []error{ErrSecretNotFound}, []error{ErrNoKeyring}, []string{`service "senderpool"`, "senderpool login --profile a"}},
		{"our not found passes", &failingKeyring{err: ErrSecretNotFound}, []error{ErrSecretNotFound}, []error{ErrNoKeyring}, nil},
		{"backend failure", &failingKeyring{err: boom}, []error{ErrNoKeyring, boom}, []error{ErrKeyringTimeout, ErrSecretNotFound}, []string{"boom", "ways out"}},
		{"no bus", &failingKeyring{err: CheckSessionBus("linux", env{}.get, os.Stat)}, []error{ErrNoKeyring}, []error{ErrKeyringTimeout}, []string{"no D-Bus session bus", "ways out"}},
		{"too big", &failingKeyring{err: keyring.ErrSetDataTooBig}, []error{keyring.ErrSetDataTooBig}, []error{ErrNoKeyring}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t, Options{Keyring: tt.backend})
			_, err := s.Secret(context.Background(), keyringProfile("a"))
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want errors.Is %v", err, w)
				}
			}
			for _, w := range tt.notWant {
				if errors.Is(err, w) {
					t.Errorf("err = %v, should not match %v", err, w)
				}
			}
			for _, w := range tt.text {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestKeyringWaysOut: an unreachable keyring fails closed with the three ways
// out, for reading and for writing, and nothing is written.
func TestKeyringWaysOut(t *testing.T) {
	t.Parallel()
	fk := &failingKeyring{err: errors.New("dbus: connection refused")}
	s := newStore(t, Options{Keyring: fk})
	ctx := context.Background()
	saveErr := s.Save(ctx, keyringProfile("a"), canary)
	_, readErr := s.Secret(ctx, keyringProfile("a"))
	for _, err := range []error{saveErr, readErr} {
		if !errors.Is(err, ErrNoKeyring) {
			t.Fatalf("err = %v, want ErrNoKeyring", err)
		}
		for _, want := range []string{
			"TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_AUTH_TOKEN",
			"dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets; senderpool …'",
			"senderpool login --storage file",
		} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q:\n%v", want, err)
			}
		}
	}
	if entries, _ := os.ReadDir(s.Dir()); len(entries) > 1 || len(entries) == 1 && entries[0].Name() != LockFileName {
		t.Errorf("something was written after a failed keyring write: %v", entries)
	}
	// On macOS and Windows the advice is not about D-Bus.
	s.goos = "darwin"
	_, err := s.Secret(ctx, keyringProfile("a"))
	if strings.Contains(err.Error(), "dbus-run-session") || !strings.Contains(err.Error(), "--storage file") {
		t.Errorf("darwin advice: %v", err)
	}
}

// TestKeyringTimeout: a wedged backend costs the timeout, not a hang.
func TestKeyringTimeout(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name string
		call func(*Store) error
	}{
		{"Secret", func(s *Store) error { _, err := s.Secret(context.Background(), keyringProfile("a")); return err }},
		{"Reachable", func(s *Store) error { return s.Reachable(context.Background(), keyringProfile("a")) }},
		{"Save", func(s *Store) error { return s.Save(context.Background(), keyringProfile("a"), canary) }},
		{"Resolve", func(s *Store) error {
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				return err
			}
			if err := saveConfig(s.Dir(), &configFile{DefaultProfile: "a", Profiles: []Profile{keyringProfile("a")}}); err != nil {
				return err
			}
			_, err := s.Resolve(context.Background(), "")
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			h := newHangingKeyring(t)
			s := newStore(t, Options{Keyring: h, Timeout: 50 * time.Millisecond})
			err := op.call(s)
			if !errors.Is(err, ErrKeyringTimeout) || !errors.Is(err, ErrNoKeyring) {
				t.Fatalf("err = %v, want ErrKeyringTimeout (and ErrNoKeyring)", err)
			}
			if !strings.Contains(err.Error(), "50ms") || !strings.Contains(err.Error(), "SENDERPOOL_KEYRING_TIMEOUT") || !strings.Contains(err.Error(), "ways out") {
				t.Errorf("timeout error should give the limit, the knob and the ways out: %v", err)
			}
			if h.calls.Load() != 1 {
				t.Errorf("backend called %d times, want 1", h.calls.Load())
			}
			if op.name == "Save" {
				if _, err := os.Stat(s.ConfigFile()); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("profile written after a timed-out keyring: %v", err)
				}
			}
		})
	}
}

func TestKeyringTimeoutFromEnv(t *testing.T) {
	t.Parallel()
	h := newHangingKeyring(t)
	s, err := Open(Options{Dir: t.TempDir(), Keyring: h, Getenv: env{"SENDERPOOL_KEYRING_TIMEOUT": "40ms"}.get})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Secret(context.Background(), keyringProfile("a"))
	if !errors.Is(err, ErrKeyringTimeout) || !strings.Contains(err.Error(), "40ms") {
		t.Fatalf("err = %v, want a 40ms ErrKeyringTimeout", err)
	}
}

// TestKeyringContextCancel: the caller's cancellation is reported as such,
// not as a keyring timeout.
func TestKeyringContextCancel(t *testing.T) {
	t.Parallel()
	h := newHangingKeyring(t)
	s := newStore(t, Options{Keyring: h, Timeout: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Secret(ctx, keyringProfile("a"))
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// fakeInfo is an fs.FileInfo with a given mode.
type fakeInfo struct{ mode fs.FileMode }

func (f fakeInfo) Name() string       { return "bus" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any           { return nil }

func TestCheckSessionBus(t *testing.T) {
	t.Parallel()
	socketAt := func(want string) func(string) (fs.FileInfo, error) {
		return func(p string) (fs.FileInfo, error) {
			if p == want {
				return fakeInfo{fs.ModeSocket | 0o600}, nil
			}
			return nil, fs.ErrNotExist
		}
	}
	regularAt := func(string) (fs.FileInfo, error) { return fakeInfo{0o600}, nil }
	nothing := func(string) (fs.FileInfo, error) { return nil, fs.ErrNotExist }
	statNever := func(p string) (fs.FileInfo, error) {
		t.Errorf("stat(%q) called", p)
		return nil, fs.ErrNotExist
	}
	tests := []struct {
		name string
		goos string
		env  env
		stat func(string) (fs.FileInfo, error)
		bus  bool
	}{
		{"darwin never checks", "darwin", env{}, statNever, true},
		{"windows never checks", "windows", env{}, statNever, true},
		{"linux address set", "linux", env{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}, statNever, true},
		{"linux nothing", "linux", env{}, statNever, false},
		{"linux autolaunch is no bus", "linux", env{"DBUS_SESSION_BUS_ADDRESS": "autolaunch:"}, nothing, false},
		{"linux runtime dir without bus", "linux", env{"XDG_RUNTIME_DIR": "/run/user/1000"}, nothing, false},
		{"linux runtime dir with socket", "linux", env{"XDG_RUNTIME_DIR": "/run/user/1000"}, socketAt("/run/user/1000/bus"), true},
		{"linux runtime dir trailing slash", "linux", env{"XDG_RUNTIME_DIR": "/run/user/1000/"}, socketAt("/run/user/1000/bus"), true},
		{"linux bus is a regular file", "linux", env{"XDG_RUNTIME_DIR": "/run/user/1000"}, regularAt, false},
		{"freebsd nothing", "freebsd", env{}, nothing, false},
		{"openbsd socket", "openbsd", env{"XDG_RUNTIME_DIR": "/tmp/x"}, socketAt("/tmp/x/bus"), true},
	}
	for _, tt := range tests {
		err := CheckSessionBus(tt.goos, tt.env.get, tt.stat)
		if tt.bus && err != nil || !tt.bus && !errors.Is(err, ErrNoKeyring) {
			t.Errorf("%s: CheckSessionBus = %v, want bus=%v", tt.name, err, tt.bus)
		}
		if err != nil && !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS") {
			t.Errorf("%s: error should say what was looked at: %v", tt.name, err)
		}
	}
}

// TestNoBusNeverCallsBackend: with no session bus the backend (here one that
// would hang) is never called and the error comes at once, not after the
// timeout.
func TestNoBusNeverCallsBackend(t *testing.T) {
	t.Parallel()
	h := newHangingKeyring(t)
	e := env{"XDG_RUNTIME_DIR": t.TempDir()} // exists, holds no bus
	guard := busGuard{inner: h, check: func() error { return CheckSessionBus("linux", e.get, os.Stat) }}
	s := newStore(t, Options{Keyring: guard, Timeout: time.Hour, Getenv: e.get})
	ctx := context.Background()
	_, err := s.Secret(ctx, keyringProfile("a"))
	if !errors.Is(err, ErrNoKeyring) || errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("Secret = %v, want ErrNoKeyring at once", err)
	}
	if err := s.Save(ctx, keyringProfile("a"), canary); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Save = %v, want ErrNoKeyring", err)
	}
	if n := h.calls.Load(); n != 0 {
		t.Fatalf("backend called %d times with no bus", n)
	}
	if _, err := os.Stat(s.ConfigFile()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile written with no keyring: %v", err)
	}
}

// TestBusSocketCallsBackend: with a real socket at $XDG_RUNTIME_DIR/bus the
// backend is called.
func TestBusSocketCallsBackend(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no unix sockets for this check on windows")
	}
	dir, err := os.MkdirTemp("", "spbus") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	l, err := net.Listen("unix", filepath.Join(dir, "bus"))
	if err != nil {
		t.Skipf("cannot make a unix socket: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	e := env{"XDG_RUNTIME_DIR": dir}
	kr := newMemKeyring()
	guard := busGuard{inner: kr, check: func() error { return CheckSessionBus("linux", e.get, os.Stat) }}
	s := newStore(t, Options{Keyring: guard, Getenv: e.get})
	mustSave(t, s, keyringProfile("a"), canary)
	if got, err := s.Secret(context.Background(), keyringProfile("a")); err != nil || got != canary {
		t.Fatalf("Secret = %q, %v", got, err)
	}
	if kr.Calls() == 0 {
		t.Fatal("backend not called although the bus socket exists")
	}
}

// TestSystemKeyringNoBus: the default backend on a bus-less Linux host fails
// with ErrNoKeyring without going near go-keyring (so no dbus-launch).
func TestSystemKeyringNoBus(t *testing.T) {
	t.Parallel()
	if !unixKeyringOS(runtime.GOOS) {
		t.Skipf("%s keyrings do not use D-Bus", runtime.GOOS)
	}
	e := env{"XDG_RUNTIME_DIR": t.TempDir()}
	s, err := Open(Options{Dir: t.TempDir(), Getenv: e.get}) // default Keyring
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Secret(context.Background(), keyringProfile("a"))
	if !errors.Is(err, ErrNoKeyring) || errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("Secret = %v, want ErrNoKeyring", err)
	}
	if err := s.KeyringUnreachable(); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("KeyringUnreachable = %v, want ErrNoKeyring", err)
	}
	// An injected backend is never judged in advance.
	injected, err := Open(Options{Dir: t.TempDir(), Getenv: e.get, Keyring: newMemKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	if err := injected.KeyringUnreachable(); err != nil {
		t.Fatalf("KeyringUnreachable with an injected keyring = %v", err)
	}
}

// BenchmarkNoBusError measures how long the no-bus refusal takes.
func BenchmarkNoBusError(b *testing.B) {
	e := env{"XDG_RUNTIME_DIR": b.TempDir()}
	s, err := Open(Options{Dir: b.TempDir(), Getenv: e.get, Keyring: busGuard{
		inner: &failingKeyring{err: errors.New("must not be called")},
		check: func() error { return CheckSessionBus("linux", e.get, os.Stat) },
	}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Secret(ctx, keyringProfile("a")); !errors.Is(err, ErrNoKeyring) {
			b.Fatal(err)
		}
	}
}
