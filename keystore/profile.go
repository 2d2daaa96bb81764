package keystore

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/senderpool/senderpool/api"
)

// Storage says where a profile's secret lives.
type Storage string

const (
	// StorageKeyring keeps the secret in the OS keyring (service
	// "senderpool", user = profile name). The default.
	StorageKeyring Storage = "keyring"
	// StorageFile keeps the secret in <config dir>/<profile>.age, encrypted
	// with a passphrase (age scrypt). Opt-in.
	StorageFile Storage = "file"
)

// ParseStorage accepts "keyring" or "file" (the values of `login --storage`).
func ParseStorage(s string) (Storage, error) {
	switch Storage(s) {
	case StorageKeyring, StorageFile:
		return Storage(s), nil
	}
	return "", fmt.Errorf("%w: storage %q: want %q or %q", ErrInvalidProfile, s, StorageKeyring, StorageFile)
}

// Source says where the credentials in use came from.
type Source string

const (
	SourceEnv     Source = "env"     // TWILIO_* environment variables
	SourceKeyring Source = "keyring" // the OS keyring
	SourceFile    Source = "file"    // the passphrase-encrypted file store
)

// Profile is everything about a set of credentials except the secret. It is
// what the config file holds.
type Profile struct {
	Name           string  `json:"name"`
	AccountSID     string  `json:"account_sid"`               // AC…
	APIKeySID      string  `json:"api_key_sid,omitempty"`     // SK…; empty: the secret is the account's auth token
	Region         string  `json:"region,omitempty"`          // e.g. "ie1"; empty: Twilio's default (us1)
	Edge           string  `json:"edge,omitempty"`            // e.g. "dublin"
	ReadOnly       bool    `json:"read_only,omitempty"`       // refuse attach/detach
	DefaultService string  `json:"default_service,omitempty"` // MG…
	APIURL         string  `json:"api_url,omitempty"`         // base URL override (fakes, spec mocks)
	Storage        Storage `json:"storage"`                   // where the secret lives
}

// AuthKind names the kind of secret a profile uses.
type AuthKind string

const (
	AuthToken  AuthKind = "auth_token" // HTTP Basic AC…:auth token
	AuthAPIKey AuthKind = "api_key"    // HTTP Basic SK…:API key secret
)

// AuthKind is AuthAPIKey when the profile has an API key SID, else AuthToken.
func (p Profile) AuthKind() AuthKind {
	if p.APIKeySID != "" {
		return AuthAPIKey
	}
	return AuthToken
}

// Validate checks every field. SID errors wrap api.ErrInvalidSID; the others
// wrap ErrInvalidProfileName or ErrInvalidProfile.
func (p Profile) Validate() error {
	if err := ValidateProfileName(p.Name); err != nil {
		return err
	}
	if err := api.ValidateAccountSID(p.AccountSID); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if p.APIKeySID != "" {
		if err := api.ValidateAPIKeySID(p.APIKeySID); err != nil {
			return fmt.Errorf("profile %q: %w", p.Name, err)
		}
	}
	if p.DefaultService != "" {
		if err := api.ValidateServiceSID(p.DefaultService); err != nil {
			return fmt.Errorf("profile %q: default service: %w", p.Name, err)
		}
	}
	if _, err := ParseStorage(string(p.Storage)); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if err := validateHostLabel("region", p.Region); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if err := validateHostLabel("edge", p.Edge); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	if err := validateAPIURL(p.APIURL); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	return nil
}

// MaxProfileNameLen is the longest profile name accepted.
const MaxProfileNameLen = 64

// ValidateProfileName accepts 1–64 characters of [A-Za-z0-9._-]. The error
// wraps ErrInvalidProfileName.
func ValidateProfileName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: the name is empty: use 1–%d characters of A-Z a-z 0-9 . _ -", ErrInvalidProfileName, MaxProfileNameLen)
	}
	if len(name) > MaxProfileNameLen {
		return fmt.Errorf("%w: %q is %d characters long: use at most %d of A-Z a-z 0-9 . _ -",
			ErrInvalidProfileName, truncate(name, 20), len(name), MaxProfileNameLen)
	}
	for i := 0; i < len(name); i++ {
		if !nameByte(name[i]) {
			return fmt.Errorf("%w: %q: use only A-Z a-z 0-9 . _ - (1–%d characters)", ErrInvalidProfileName, name, MaxProfileNameLen)
		}
	}
	return nil
}

func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ValidateHostLabel accepts "" or a DNS label, the shape of a region or an
// edge (what names the value in the error: "region", "--edge", …). The
// error wraps ErrInvalidProfile.
func ValidateHostLabel(what, v string) error { return validateHostLabel(what, v) }

// validateHostLabel accepts "" or a DNS label: region and edge end up in the
// host name messaging.{edge}.{region}.twilio.com.
func validateHostLabel(what, v string) error {
	if v == "" {
		return nil
	}
	ok := len(v) <= 63 && v[0] != '-' && v[len(v)-1] != '-'
	for i := 0; ok && i < len(v); i++ {
		c := v[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("%w: %s %q: want letters, digits and inner hyphens (e.g. ie1, dublin)", ErrInvalidProfile, what, truncate(v, 40))
	}
	return nil
}

// validateAPIURL accepts "" or an absolute http(s) URL with a host. Whether
// plain http is allowed (loopback only) is the api package's call.
func validateAPIURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%w: API URL %q: want an absolute http:// or https:// URL without user info", ErrInvalidProfile, truncate(v, 80))
	}
	return nil
}

// validateSecret refuses an empty secret or one with control characters (a
// pasted newline). The secret itself never goes into the message.
func validateSecret(secret string) error {
	if secret == "" {
		return fmt.Errorf("%w: the secret is empty", ErrInvalidProfile)
	}
	if strings.ContainsFunc(secret, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("%w: the secret contains a control character (a pasted newline?)", ErrInvalidProfile)
	}
	return nil
}

// secretFileName is the encrypted file of a profile. Names are validated
// already; the mapping still replaces anything outside [A-Za-z0-9._-] so no
// name can leave the directory, and never yields "." or "..".
func secretFileName(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !nameByte(c) {
			b[i] = '_'
		}
	}
	return string(b) + ".age"
}
