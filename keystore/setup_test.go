package keystore

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestErrorsAreSetupErrors: every sentinel is a set-up problem, so a
// command line can tell them from the API's with one errors.As.
func TestErrorsAreSetupErrors(t *testing.T) {
	for _, err := range []error{
		ErrNoKeyring, ErrKeyringTimeout, ErrSecretNotFound, ErrWrongPassphrase, ErrNoPassphrase,
		ErrNoCredentials, ErrProfileNotFound, ErrInvalidProfileName, ErrInvalidProfile,
		ErrConfigCorrupt, ErrSecretFileCorrupt, ErrIncompleteEnv, ErrInvalidOptions,
	} {
		var setup interface{ SetupError() bool }
		wrapped := errors.Join(errors.New("context"), err)
		if !errors.As(wrapped, &setup) || !setup.SetupError() {
			t.Errorf("%v is not a set-up error", err)
		}
	}
}

// TestCheckSave: a keyring profile on a host with no session bus is
// refused at once, with the ways out; a file profile, or a keyring that
// may work, is not judged in advance.
func TestCheckSave(t *testing.T) {
	t.Parallel()
	e := env{"XDG_RUNTIME_DIR": t.TempDir()} // exists, holds no bus
	h := newHangingKeyring(t)
	guard := busGuard{inner: h, check: func() error { return CheckSessionBus("linux", e.get, os.Stat) }}
	noBus := newStore(t, Options{Keyring: guard, Getenv: e.get})
	err := noBus.CheckSave(keyringProfile("a"))
	if !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("CheckSave = %v, want ErrNoKeyring", err)
	}
	for _, w := range []string{`"a"`, "dbus-run-session", "--storage file", EnvAccountSID} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("CheckSave's error lacks %q: %v", w, err)
		}
	}
	if err := noBus.CheckSave(fileProfile("a")); err != nil {
		t.Errorf("CheckSave of a file profile = %v", err)
	}
	if err := newStore(t, Options{}).CheckSave(keyringProfile("a")); err != nil {
		t.Errorf("CheckSave with an injected keyring = %v", err)
	}
	if n := h.calls.Load(); n != 0 {
		t.Errorf("the backend was called %d times", n)
	}
}

// TestNewPassphrase asks the callback with confirm, and names the profile
// when there is none.
func TestNewPassphrase(t *testing.T) {
	t.Parallel()
	var confirmed bool
	s := newStore(t, Options{Passphrase: func(_ context.Context, confirm bool) (string, error) {
		confirmed = confirm
		return passCanary, nil
	}})
	if p, err := s.NewPassphrase(context.Background(), "vault"); err != nil || p != passCanary || !confirmed {
		t.Errorf("NewPassphrase = %q, %v (confirm %v)", p, err, confirmed)
	}
	empty := newStore(t, Options{Passphrase: fixedPass("")})
	if _, err := empty.NewPassphrase(context.Background(), "vault"); !errors.Is(err, ErrNoPassphrase) || !strings.Contains(err.Error(), `"vault"`) {
		t.Errorf("NewPassphrase with none = %v, want ErrNoPassphrase naming the profile", err)
	}
	if _, err := s.NewPassphrase(context.Background(), "bad name"); !errors.Is(err, ErrInvalidProfileName) {
		t.Errorf("NewPassphrase of a bad name = %v", err)
	}
}
