package ui

import "context"

// Sessions lets the dashboard log in and switch profiles. Its methods do
// I/O (keyring, config file, one API call) and run only inside commands.
type Sessions interface {
	Login(ctx context.Context, req LoginRequest) (Connection, error)
	Switch(ctx context.Context, profile string) (Connection, error)
	Profiles(ctx context.Context) ([]ProfileEntry, error)
}

// LoginRequest is what the login screen collected.
type LoginRequest struct {
	Profile    string
	AccountSID string
	APIKeySID  string // empty: Secret is the auth token
	Secret     string
	Storage    string // "keyring" or "file"
	Passphrase string // for "file"
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
