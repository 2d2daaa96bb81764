package keystore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name of every keyring item senderpool
// writes; the item's user is the profile name.
const KeyringService = "senderpool"

// DefaultKeyringTimeout bounds every keyring call unless Options.Timeout or
// SENDERPOOL_KEYRING_TIMEOUT says otherwise.
const DefaultKeyringTimeout = 3 * time.Second

// Keyring is the part of an OS keyring senderpool uses. Get reports a
// missing item with go-keyring's keyring.ErrNotFound or ErrSecretNotFound.
// Implementations may block: the Store calls them in a goroutine under a
// timeout.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// GoKeyring is the OS keyring through github.com/zalando/go-keyring, with no
// checks of its own: it may block forever, and on Linux with no session bus
// it may spawn dbus-launch. Use SystemKeyring (the default) unless a test
// has called keyring.MockInit.
type GoKeyring struct{}

func (GoKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (GoKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (GoKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// SystemKeyring is the default backend: GoKeyring behind the session-bus
// check (CheckSessionBus with runtime.GOOS, getenv and os.Stat), so that on a
// bus-less Linux host no call reaches go-keyring and every call fails at once
// with ErrNoKeyring. A nil getenv means os.Getenv.
func SystemKeyring(getenv func(string) string) Keyring {
	if getenv == nil {
		getenv = os.Getenv
	}
	return busGuard{
		inner: GoKeyring{},
		check: func() error { return CheckSessionBus(runtime.GOOS, getenv, os.Stat) },
	}
}

// CheckSessionBus returns nil when go-keyring can reach a D-Bus session bus
// without starting one, or when goos does not use D-Bus for its keyring
// (darwin, windows). Otherwise (Linux and the BSDs with
// DBUS_SESSION_BUS_ADDRESS unset, empty or "autolaunch:", and no socket at
// $XDG_RUNTIME_DIR/bus) it returns an error wrapping ErrNoKeyring, without
// touching D-Bus. It is a pure function of its arguments.
func CheckSessionBus(goos string, getenv func(string) string, stat func(string) (fs.FileInfo, error)) error {
	if !unixKeyringOS(goos) {
		return nil
	}
	if addr := getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && !strings.HasPrefix(addr, "autolaunch:") {
		return nil
	}
	runtimeDir := getenv("XDG_RUNTIME_DIR")
	if runtimeDir != "" {
		// Join with "/" whatever the host: goos is a unix here.
		bus := strings.TrimRight(runtimeDir, "/") + "/bus"
		if fi, err := stat(bus); err == nil && fi.Mode()&fs.ModeSocket != 0 {
			return nil
		}
		return fmt.Errorf("%w: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no socket at %s), so no Secret Service",
			ErrNoKeyring, bus)
	}
	return fmt.Errorf("%w: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are unset), so no Secret Service", ErrNoKeyring)
}

// KeyringUnreachable says at once, without touching D-Bus, when the OS
// keyring certainly cannot be used here (a Linux host with no session bus):
// an error wrapping ErrNoKeyring. nil means it may work; only a call tells.
func (s *Store) KeyringUnreachable() error {
	if g, ok := s.keyring.(busGuard); ok {
		return g.check()
	}
	return nil
}

// CheckSave says at once, touching neither D-Bus nor any file, when Save
// certainly could not keep p's secret here: for a keyring profile on a host
// with no session bus, an error wrapping ErrNoKeyring that lists the ways
// out. A login calls it before the secret is sent anywhere. nil means Save
// may work; only Save tells.
func (s *Store) CheckSave(p Profile) error {
	if p.Storage == StorageFile {
		return nil
	}
	if err := s.KeyringUnreachable(); err != nil {
		return fmt.Errorf("the secret of profile %q cannot be saved: %w\n%s", p.Name, err, waysOut(s.goos))
	}
	return nil
}

// Preflight runs, changing nothing, every check of Save that does not need
// the secret: the config dir and file can be trusted and parse, and p's
// secret has somewhere to go. For the keyring that is CheckSave, then a
// read of p's item under the timeout (a missing item is fine): a keyring
// that is locked, wedged or absent says so now. A login calls it before
// it sends the secret anywhere; only Save can tell the rest.
func (s *Store) Preflight(ctx context.Context, p Profile) error {
	if _, err := s.load(ctx); err != nil {
		return err
	}
	if p.Storage == StorageFile {
		return nil
	}
	if err := s.CheckSave(p); err != nil {
		return err
	}
	_, err := s.keyringGet(ctx, p.Name)
	if err == nil || errors.Is(err, ErrSecretNotFound) {
		return nil
	}
	return fmt.Errorf("the secret of profile %q cannot be saved: %w", p.Name, err)
}

// busGuard refuses every call while check fails, without calling inner.
type busGuard struct {
	inner Keyring
	check func() error
}

func (g busGuard) Get(service, user string) (string, error) {
	if err := g.check(); err != nil {
		return "", err
	}
	return g.inner.Get(service, user)
}

func (g busGuard) Set(service, user, secret string) error {
	if err := g.check(); err != nil {
		return err
	}
	return g.inner.Set(service, user, secret)
}

func (g busGuard) Delete(service, user string) error {
	if err := g.check(); err != nil {
		return err
	}
	return g.inner.Delete(service, user)
}

// keyringOp names a keyring call in errors.
type keyringOp string

const (
	opRead   keyringOp = "reading"
	opWrite  keyringOp = "writing"
	opDelete keyringOp = "deleting"
)

// keyringCall runs f in a goroutine and waits for it, the timeout or ctx,
// whichever comes first. On timeout the goroutine is abandoned (it ends
// when the backend answers; its result is dropped): a wedged Secret Service
// cannot hang senderpool.
func (s *Store) keyringCall(ctx context.Context, op keyringOp, profile string, secret string, f func() (string, error)) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	tctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", s.keyringError(op, profile, redact(r.err, secret))
		}
		return r.v, nil
	case <-tctx.Done():
		if err := ctx.Err(); err != nil {
			return "", fmt.Errorf("%s the keyring item for profile %q: %w", op, profile, err)
		}
		return "", fmt.Errorf("%s the keyring item for profile %q: %w: no answer within %s (is the keyring locked or its daemon stuck? SENDERPOOL_KEYRING_TIMEOUT changes the limit): %w\n%s",
			op, profile, ErrKeyringTimeout, s.timeout, ErrNoKeyring, waysOut(s.goos))
	}
}

// keyringError maps a backend error to ours.
func (s *Store) keyringError(op keyringOp, profile string, err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrSecretNotFound):
		return fmt.Errorf("%s the keyring item for profile %q: %w in the keyring (service %q, user %q): run `senderpool login --profile %s` again",
			op, profile, ErrSecretNotFound, KeyringService, profile, profile)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%s the keyring item for profile %q: %w", op, profile, err)
	case errors.Is(err, ErrNoKeyring):
		return fmt.Errorf("%s the keyring item for profile %q: %w\n%s", op, profile, err, waysOut(s.goos))
	default:
		return fmt.Errorf("%s the keyring item for profile %q: %w: %w\n%s", op, profile, ErrNoKeyring, err, waysOut(s.goos))
	}
}

// keyringGet, keyringSet and keyringDelete are the only ways the Store
// reaches the backend.
func (s *Store) keyringGet(ctx context.Context, profile string) (string, error) {
	return s.keyringCall(ctx, opRead, profile, "", func() (string, error) {
		return s.keyring.Get(KeyringService, profile)
	})
}

func (s *Store) keyringSet(ctx context.Context, profile, secret string) error {
	_, err := s.keyringCall(ctx, opWrite, profile, secret, func() (string, error) {
		return "", s.keyring.Set(KeyringService, profile, secret)
	})
	return err
}

func (s *Store) keyringDelete(ctx context.Context, profile string) error {
	_, err := s.keyringCall(ctx, opDelete, profile, "", func() (string, error) {
		return "", s.keyring.Delete(KeyringService, profile)
	})
	return err
}

// defaultConfigDir is SENDERPOOL_CONFIG_DIR, else os.UserConfigDir()/senderpool.
func defaultConfigDir(getenv func(string) string) (string, error) {
	if d := getenv("SENDERPOOL_CONFIG_DIR"); d != "" {
		return filepath.Abs(d)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config dir (set SENDERPOOL_CONFIG_DIR): %w", err)
	}
	return filepath.Join(base, "senderpool"), nil
}
