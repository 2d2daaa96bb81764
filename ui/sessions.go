package ui

import (
	"context"
	"errors"
)

// Sessions lets the dashboard log in and switch profiles. Its methods do
// I/O (keyring, config file, one API call) and run only inside commands.
type Sessions interface {
	Login(ctx context.Context, req LoginRequest) (Connection, error)
	Switch(ctx context.Context, req SwitchRequest) (Connection, error)
	Profiles(ctx context.Context) ([]ProfileEntry, error)
}

// Errors a Sessions implementation wraps so the dashboard can ask the
// person instead of failing.
var (
	// ErrProfileExists: Login was asked to save a profile that exists,
	// and LoginRequest.Overwrite was not set. Nothing was sent or saved.
	ErrProfileExists = errors.New("a profile of that name exists")
	// ErrNeedPassphrase: the profile's secret is in the encrypted file
	// and the passphrase given was empty or wrong.
	ErrNeedPassphrase = errors.New("the encrypted file needs its passphrase")
)

// LoginRequest is what the login screen collected.
type LoginRequest struct {
	Profile    string
	AccountSID string
	APIKeySID  string // empty: Secret is the auth token
	Secret     string
	Storage    string // "keyring" or "file"
	Passphrase string // for "file"
	Overwrite  bool   // the person agreed to replace an existing profile
}

// SwitchRequest opens a stored profile.
type SwitchRequest struct {
	Profile    string
	Passphrase string // for a profile in the encrypted file; "" tries without
}

// Connection is a usable client and what the header says about it.
type Connection struct {
	Client         Client
	Identity       Identity
	DefaultService string
	Where          string // where the secret was stored, after a login
}

// ProfileEntry is one row of the profile switcher.
type ProfileEntry struct {
	Name, AccountSID, Auth, Storage string
	Default                         bool
	Problem                         string // why its secret cannot be read now; "" when it can
}
