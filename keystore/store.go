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
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/senderpool/senderpool/internal/safefile"
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
	open        safefile.OpenFunc                     // safefile.OpenNoBlock; tests make it block

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
		open:       safefile.OpenNoBlock,
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
