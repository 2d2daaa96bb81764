package api

import (
	"fmt"
	"io"
)

// Credentials authenticate requests: the account SID with its auth token,
// or an API key SID with its secret (Twilio recommends API keys).
//
// Every way of printing Credentials (String, GoString, any fmt verb) masks
// the secret.
type Credentials struct {
	AccountSID string // AC…
	APIKeySID  string // SK…; empty means auth-token auth
	Secret     string // auth token, or API key secret
}

// ErrNoSecret is returned by Validate when the secret is empty.
var ErrNoSecret error = &setupError{"no secret"}

// Validate checks the SIDs' shapes and that a secret is present. A bad SID
// is a *SIDError (errors.Is(err, ErrInvalidSID)).
func (c Credentials) Validate() error {
	if err := ValidateAccountSID(c.AccountSID); err != nil {
		return err
	}
	if c.APIKeySID != "" {
		if err := ValidateAPIKeySID(c.APIKeySID); err != nil {
			return err
		}
	}
	if c.Secret == "" {
		if c.APIKeySID != "" {
			return fmt.Errorf("API key %s: %w (the API key secret is missing)", c.APIKeySID, ErrNoSecret)
		}
		return fmt.Errorf("account %s: %w (the auth token is missing)", c.AccountSID, ErrNoSecret)
	}
	return nil
}

// username is the Basic auth user: the API key when there is one.
func (c Credentials) username() string {
	if c.APIKeySID != "" {
		return c.APIKeySID
	}
	return c.AccountSID
}

// String never shows the secret, e.g. "AC… (API key SK…, secret ****)".
func (c Credentials) String() string {
	secret := "none"
	if c.Secret != "" {
		secret = "****"
	}
	if c.APIKeySID != "" {
		return fmt.Sprintf("%s (API key %s, secret %s)", c.AccountSID, c.APIKeySID, secret)
	}
	return fmt.Sprintf("%s (auth token %s)", c.AccountSID, secret)
}

// GoString keeps %#v from printing the secret too.
func (c Credentials) GoString() string { return "api.Credentials{" + c.String() + "}" }

// Format routes every verb through String (GoString for %#v): without it
// %d or %x would print the fields, secret included, by reflection.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, c.GoString())
		return
	}
	_, _ = io.WriteString(f, c.String())
}
