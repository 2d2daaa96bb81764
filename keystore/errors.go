package keystore

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns wraps one of these (or an
// api SID error), so callers test with errors.Is. No error string ever
// contains a secret or a passphrase. Each is a set-up problem (see
// setupError): the person fixes it where they are, nothing was sent.
var (
	// ErrNoKeyring: no OS keyring can be reached right now: on Linux and
	// the BSDs there is no D-Bus session bus, or the keyring backend failed
	// (no Secret Service on the bus, a locked keychain, an unsupported
	// platform). Errors matching ErrKeyringTimeout match ErrNoKeyring too.
	// The message lists the ways out (environment variables, an unlocked
	// keyring, the encrypted file store).
	ErrNoKeyring = setup("no OS keyring reachable")

	// ErrKeyringTimeout: a keyring call did not answer within the timeout
	// (3 s, or SENDERPOOL_KEYRING_TIMEOUT). It also matches ErrNoKeyring.
	ErrKeyringTimeout = setup("keyring did not answer in time")

	// ErrSecretNotFound: the profile exists but its secret is not in the
	// keyring (or its encrypted file is missing).
	ErrSecretNotFound = setup("secret not found")

	// ErrWrongPassphrase: the passphrase does not open the encrypted file.
	ErrWrongPassphrase = setup("wrong passphrase")

	// ErrNoPassphrase: the file store needs a passphrase and none was given
	// (no Options.Passphrase callback and SENDERPOOL_PASSPHRASE unset or
	// empty, or the callback returned an empty string).
	ErrNoPassphrase = setup("no passphrase")

	// ErrNoCredentials: no environment credentials and no profile to use.
	ErrNoCredentials = setup("no Twilio credentials")

	// ErrProfileNotFound: no profile of that name in the config file.
	ErrProfileNotFound = setup("profile not found")

	// ErrInvalidProfileName: a profile name is not 1–64 characters of
	// [A-Za-z0-9._-].
	ErrInvalidProfileName = setup("invalid profile name")

	// ErrInvalidProfile: a profile field (storage, region, edge, API URL)
	// or the secret is malformed. Malformed SIDs wrap api.ErrInvalidSID
	// instead.
	ErrInvalidProfile = setup("invalid profile")

	// ErrConfigCorrupt: the config file cannot be parsed. The message names
	// the file; the file is left as it is (never reset).
	ErrConfigCorrupt = setup("config file is corrupt")

	// ErrConfigUnsafe: the config file or dir cannot be trusted: the file
	// is not a regular file (a named pipe, a device, a directory), or the
	// file or dir belongs to another user or may be written by group or
	// others (Unix). The message names the command that fixes it.
	ErrConfigUnsafe = setup("unsafe config")

	// ErrConfigLocked: another process held the config's lock for longer
	// than the lock timeout (10 s); nothing was changed.
	ErrConfigLocked = setup("config is locked")

	// ErrProfileExists: SaveNew found a profile of that name stored.
	ErrProfileExists = setup("profile exists")

	// ErrSecretFileCorrupt: a profile's encrypted file exists but is not a
	// passphrase-encrypted age file, or is damaged.
	ErrSecretFileCorrupt = setup("encrypted secret file is corrupt")

	// ErrIncompleteEnv: some TWILIO_* credential variables are set but not
	// a usable combination (e.g. TWILIO_API_KEY without TWILIO_API_SECRET).
	ErrIncompleteEnv = setup("incomplete Twilio credentials in the environment")

	// ErrInvalidOptions: an Options field or SENDERPOOL_KEYRING_TIMEOUT is
	// malformed.
	ErrInvalidOptions = setup("invalid keystore options")
)

// setupError is the type of the sentinels above. SetupError tells a
// command line, with one errors.As across packages, that the problem is
// the set-up's (config, keyring, passphrase, a flag) and not the API's.
type setupError struct{ msg string }

func (e *setupError) Error() string    { return e.msg }
func (e *setupError) SetupError() bool { return true }

func setup(msg string) error { return &setupError{msg: msg} }

// unixKeyringOS reports whether go-keyring talks to the Secret Service over
// D-Bus on goos (see go-keyring's keyring_unix.go build tags).
func unixKeyringOS(goos string) bool {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// waysOut is the advice appended to errors about an unreachable keyring.
func waysOut(goos string) string {
	var b strings.Builder
	b.WriteString("ways out:\n")
	b.WriteString("  - use environment variables: TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET (or TWILIO_AUTH_TOKEN)\n")
	if unixKeyringOS(goos) {
		b.WriteString("  - run under an unlocked keyring: dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets; senderpool …'\n")
	} else {
		b.WriteString("  - unlock the system keychain / credential store and try again\n")
	}
	b.WriteString("  - keep the secret in a passphrase-encrypted file instead: senderpool login --storage file")
	return b.String()
}

// redactedError hides a message that (unexpectedly) contained a secret. It
// still answers errors.Is for what it hides, but does not Unwrap, so the
// hidden text cannot be reached by walking the chain.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// redact returns err, or a stand-in without its text when the text contains
// one of the secrets (a backend echoing its input, say).
func redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			return &redactedError{msg: fmt.Sprintf("%T (message withheld: it contained the secret)", err), err: err}
		}
	}
	return err
}
