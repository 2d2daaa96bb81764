// Package keystore keeps senderpool's profiles and their secrets.
//
// Profiles (account SID, API key SID, region, edge, read-only flag, default
// service, API URL override, where the secret lives) are in config.json in
// the config dir (os.UserConfigDir()/senderpool, or SENDERPOOL_CONFIG_DIR;
// dir 0700, file 0600, written atomically; every change of it, and of the
// secret it pairs with, holds a lock across processes). That file never
// holds a secret, and it is not trusted blindly: it must be a regular file
// of at most 1 MiB that only its user can write (see Store.Profiles).
//
// Secrets (auth token or API key secret) live in the OS keyring through
// github.com/zalando/go-keyring (service "senderpool", user = profile name),
// or, opt-in, in <config dir>/<profile>.age encrypted with a passphrase
// (age scrypt). Every keyring call runs under a timeout and returns
// ErrKeyringTimeout rather than hang; on Linux with no D-Bus session bus
// go-keyring is not called at all (ErrNoKeyring at once), so no dbus-launch
// daemon is spawned. Nothing falls back to plain text.
//
// Resolve picks the credentials in use: TWILIO_* environment variables
// override the stored profile's, as twilio-cli does.
//
// The package has no mutable package-level state: the environment, the
// keyring backend and the passphrase prompt come in through Options.
package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// Options configure a Store. The zero value is the real thing.
type Options struct {
	// Dir is the config dir. "" means SENDERPOOL_CONFIG_DIR (through
	// Getenv), else os.UserConfigDir()/senderpool.
	Dir string
	// Getenv looks up environment variables. nil means os.Getenv.
	Getenv func(string) string
	// Keyring is the secret backend. nil means SystemKeyring(Getenv): the
	// OS keyring through go-keyring behind the session-bus check.
	Keyring Keyring
	// Timeout bounds every keyring call. 0 means SENDERPOOL_KEYRING_TIMEOUT
	// (a Go duration such as 500ms or 5s) if set, else 3 s.
	Timeout time.Duration
	// Passphrase supplies the passphrase of the encrypted file store;
	// confirm is true when a file is being created (ask twice). nil means
	// SENDERPOOL_PASSPHRASE (through Getenv).
	Passphrase func(ctx context.Context, confirm bool) (string, error)
	// ScryptWorkFactor is log2 of the scrypt cost for new encrypted files,
	// 1–22. 0 means age's default, 18 (about 1 s). Tests use ~10.
	ScryptWorkFactor int
	// LockTimeout bounds the wait for another process's change of the
	// config. 0 means DefaultLockTimeout (10 s).
	LockTimeout time.Duration
}

// Store reads and writes profiles and secrets. Its methods are safe for
// concurrent use, within one process and across processes: each change
// reads, changes and writes the config under a lock (see locked), and a
// reader sees the file before a change or after it, never a torn one.
type Store struct {
	dir         string
	getenv      func(string) string
	keyring     Keyring
	timeout     time.Duration
	lockTimeout time.Duration
	passFn      func(ctx context.Context, confirm bool) (string, error)
	workFactor  int
	goos        string
	saveConfig  func(dir string, c *configFile) error // saveConfig; tests make it fail
	open        openFunc                              // openNoBlock; tests make it block

	mu sync.Mutex // this process's part of the config lock
}

// Open checks opts and returns a Store. It touches no file and no keyring.
func Open(opts Options) (*Store, error) {
	s := &Store{
		getenv:     opts.Getenv,
		keyring:    opts.Keyring,
		timeout:    opts.Timeout,
		passFn:     opts.Passphrase,
		workFactor: opts.ScryptWorkFactor,
		goos:       runtime.GOOS,
		saveConfig: saveConfig,
		open:       openNoBlock,
	}
	if s.getenv == nil {
		s.getenv = os.Getenv
	}
	if s.keyring == nil {
		s.keyring = SystemKeyring(s.getenv)
	}
	switch {
	case s.timeout < 0:
		return nil, fmt.Errorf("%w: negative keyring timeout %s", ErrInvalidOptions, s.timeout)
	case s.timeout == 0:
		s.timeout = DefaultKeyringTimeout
		if v := s.getenv("SENDERPOOL_KEYRING_TIMEOUT"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("%w: SENDERPOOL_KEYRING_TIMEOUT=%q: want a positive Go duration such as 500ms or 5s", ErrInvalidOptions, v)
			}
			s.timeout = d
		}
	}
	switch s.lockTimeout = opts.LockTimeout; {
	case s.lockTimeout < 0:
		return nil, fmt.Errorf("%w: negative lock timeout %s", ErrInvalidOptions, s.lockTimeout)
	case s.lockTimeout == 0:
		s.lockTimeout = DefaultLockTimeout
	}
	switch {
	case s.workFactor == 0:
		s.workFactor = DefaultScryptWorkFactor
	case s.workFactor < 1 || s.workFactor > maxScryptWorkFactor:
		return nil, fmt.Errorf("%w: scrypt work factor %d: want 1–%d (0 for the default, %d)",
			ErrInvalidOptions, s.workFactor, maxScryptWorkFactor, DefaultScryptWorkFactor)
	}
	s.dir = opts.Dir
	if s.dir == "" {
		d, err := defaultConfigDir(s.getenv)
		if err != nil {
			return nil, err
		}
		s.dir = d
	}
	return s, nil
}

// Dir is the config dir in use.
func (s *Store) Dir() string { return s.dir }

// ConfigFile is the path of config.json.
func (s *Store) ConfigFile() string { return filepath.Join(s.dir, ConfigFileName) }

// Timeout is the limit on each keyring call.
func (s *Store) Timeout() time.Duration { return s.timeout }

// Profiles lists the profiles sorted by name, and the default profile's
// name ("" when there is none). No config file means no profiles. A config
// that cannot be trusted is ErrConfigUnsafe, one that does not parse
// ErrConfigCorrupt; ctx ends the read.
func (s *Store) Profiles(ctx context.Context) (profiles []Profile, defaultName string, err error) {
	c, err := s.load(ctx)
	if err != nil {
		return nil, "", err
	}
	return c.Profiles, c.DefaultProfile, nil
}

// Profile returns the named profile: ErrInvalidProfileName or
// ErrProfileNotFound when it cannot.
func (s *Store) Profile(ctx context.Context, name string) (Profile, error) {
	if err := ValidateProfileName(name); err != nil {
		return Profile{}, err
	}
	c, err := s.load(ctx)
	if err != nil {
		return Profile{}, err
	}
	return c.profile(name, s.ConfigFile())
}

func (c *configFile) profile(name, path string) (Profile, error) {
	i := c.index(name)
	if i < 0 {
		return Profile{}, fmt.Errorf("%w: no profile %q in %s: `senderpool profiles` lists them, `senderpool login --profile %s` creates it",
			ErrProfileNotFound, name, path, name)
	}
	return c.Profiles[i], nil
}

// Save stores secret (auth token or API key secret) where p.Storage says
// ("" means StorageKeyring), then writes p to the config file, replacing a
// profile of the same name. The first profile becomes the default. If any
// step fails, what was there before is put back: no profile without its
// secret, no secret without its profile (except that a keyring write which
// timed out may still land later). When an existing profile moves from one
// storage to the other, its old secret is removed afterwards (best
// effort). A new encrypted file's passphrase is asked for, and the file
// sealed, before the config lock is taken, so that no other process waits
// on a person or on scrypt.
func (s *Store) Save(ctx context.Context, p Profile, secret string) error {
	return s.save(ctx, p, secret, true)
}

// SaveNew is Save, except that a profile of that name already stored
// (by another process meanwhile, say) is ErrProfileExists, and kept.
func (s *Store) SaveNew(ctx context.Context, p Profile, secret string) error {
	return s.save(ctx, p, secret, false)
}

func (s *Store) save(ctx context.Context, p Profile, secret string, replace bool) error {
	if p.Storage == "" {
		p.Storage = StorageKeyring
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := validateSecret(secret); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	// What would refuse the save under the lock refuses it before the
	// passphrase is asked for.
	c, err := s.load(ctx)
	if err != nil {
		return err
	}
	if err := c.refuseExisting(p.Name, replace); err != nil {
		return err
	}
	var sealed []byte
	if p.Storage == StorageFile {
		pass, err := s.passphrase(ctx, p.Name, true)
		if err != nil {
			return err
		}
		if sealed, err = s.encryptSecret(secret, pass); err != nil {
			return err
		}
	}
	return s.locked(ctx, func() error {
		c, err := s.load(ctx)
		if err != nil {
			return err
		}
		if err := c.refuseExisting(p.Name, replace); err != nil {
			return err
		}
		var old *Profile
		if i := c.index(p.Name); i >= 0 {
			o := c.Profiles[i]
			old = &o
		}
		var undo func()
		switch p.Storage {
		case StorageKeyring:
			undo, err = s.putKeyringSecret(ctx, p.Name, secret)
		case StorageFile:
			undo, err = s.putFileSecret(ctx, p.Name, sealed)
		}
		if err != nil {
			return err
		}
		c.upsert(p)
		if c.DefaultProfile == "" {
			c.DefaultProfile = p.Name
		}
		if err := s.saveConfig(s.dir, c); err != nil {
			undo()
			return fmt.Errorf("saving profile %q: %w", p.Name, err)
		}
		if old != nil && old.Storage != p.Storage {
			_ = s.removeSecret(context.WithoutCancel(ctx), *old)
		}
		return nil
	})
}

// refuseExisting is ErrProfileExists when name is stored and replacing it
// is not allowed.
func (c *configFile) refuseExisting(name string, replace bool) error {
	if i := c.index(name); i >= 0 && !replace {
		return fmt.Errorf("%w: profile %q (account %s) is stored already, and replacing it was not asked for: nothing was saved",
			ErrProfileExists, name, c.Profiles[i].AccountSID)
	}
	return nil
}

// putKeyringSecret writes the secret and returns how to put back what was
// there (the previous secret, or no item).
func (s *Store) putKeyringSecret(ctx context.Context, name, secret string) (undo func(), err error) {
	prev, err := s.keyringGet(ctx, name)
	hadPrev := err == nil
	if err != nil && !errors.Is(err, ErrSecretNotFound) {
		return nil, err
	}
	if err := s.keyringSet(ctx, name, secret); err != nil {
		return nil, err
	}
	return func() {
		uctx := context.WithoutCancel(ctx)
		if hadPrev {
			_ = s.keyringSet(uctx, name, prev)
		} else {
			_ = s.keyringDelete(uctx, name)
		}
	}, nil
}

// removeSecret deletes p's secret from where it lives; an absent secret is
// not an error.
func (s *Store) removeSecret(ctx context.Context, p Profile) error {
	switch p.Storage {
	case StorageFile:
		return s.removeFileSecret(p.Name)
	default:
		err := s.keyringDelete(ctx, p.Name)
		if errors.Is(err, ErrSecretNotFound) {
			return nil
		}
		return err
	}
}

// Delete removes the profile's secret, then the profile. If the secret
// cannot be removed (keyring unreachable) the profile is kept and the error
// says why; Forget drops the profile alone. When the default profile goes,
// the first remaining one (by name) becomes the default, or none.
func (s *Store) Delete(ctx context.Context, name string) error {
	return s.change(ctx, name, func(c *configFile, p Profile) error {
		if err := s.removeSecret(ctx, p); err != nil {
			return fmt.Errorf("deleting profile %q (kept, with its secret): %w", name, err)
		}
		c.remove(name)
		return nil
	})
}

// Forget removes the profile from the config file without touching its
// secret (for when the keyring cannot be reached: the keyring item, or the
// encrypted file, stays behind). The default moves as with Delete.
func (s *Store) Forget(ctx context.Context, name string) error {
	return s.change(ctx, name, func(c *configFile, _ Profile) error {
		c.remove(name)
		return nil
	})
}

// SetDefault makes name the default profile.
func (s *Store) SetDefault(ctx context.Context, name string) error {
	return s.change(ctx, name, func(c *configFile, _ Profile) error {
		c.DefaultProfile = name
		return nil
	})
}

// change applies fn to the stored profile name and writes the config, under
// the lock. A name that is not stored is ErrProfileNotFound, found before
// the lock so that nothing (not even the config dir) is created for it.
func (s *Store) change(ctx context.Context, name string, fn func(c *configFile, p Profile) error) error {
	if err := ValidateProfileName(name); err != nil {
		return err
	}
	c, err := s.load(ctx)
	if err != nil {
		return err
	}
	if _, err := c.profile(name, s.ConfigFile()); err != nil {
		return err
	}
	return s.locked(ctx, func() error {
		c, err := s.load(ctx)
		if err != nil {
			return err
		}
		p, err := c.profile(name, s.ConfigFile())
		if err != nil {
			return err
		}
		if err := fn(c, p); err != nil {
			return err
		}
		return s.saveConfig(s.dir, c)
	})
}

// Secret reads p's secret from the keyring or the encrypted file (asking
// for the passphrase). Errors: ErrNoKeyring, ErrKeyringTimeout,
// ErrSecretNotFound, ErrWrongPassphrase, ErrNoPassphrase,
// ErrSecretFileCorrupt.
func (s *Store) Secret(ctx context.Context, p Profile) (string, error) {
	if err := ValidateProfileName(p.Name); err != nil {
		return "", err
	}
	switch p.Storage {
	case StorageKeyring, "":
		return s.keyringGet(ctx, p.Name)
	case StorageFile:
		return s.fileSecret(ctx, p.Name)
	}
	_, err := ParseStorage(string(p.Storage))
	return "", fmt.Errorf("profile %q: %w", p.Name, err)
}

// Reachable reports whether p's secret can be had now, for `senderpool
// profiles`. For the keyring it reads the item (under the timeout). For the
// file store it checks the encrypted file is there and is a
// passphrase-encrypted age file, without asking for the passphrase.
func (s *Store) Reachable(ctx context.Context, p Profile) error {
	if p.Storage == StorageFile {
		if err := ValidateProfileName(p.Name); err != nil {
			return err
		}
		_, err := s.readSecretFile(ctx, p.Name)
		return err
	}
	_, err := s.Secret(ctx, p)
	return err
}
