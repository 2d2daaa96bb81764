package keystore

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/senderpool/senderpool/api"
)

// Resolved is the outcome of Resolve: the profile in use, the credentials
// and where they came from. Its String, GoString and Format never show the
// secret, whatever the verb.
type Resolved struct {
	// Profile is the profile in use, with Region and Edge as overridden by
	// TWILIO_REGION / TWILIO_EDGE. With environment credentials it is the
	// named or default profile (if any) carrying the environment's account
	// and API key SIDs, or a profile with an empty Name when none exists.
	Profile     Profile
	Credentials api.Credentials
	Source      Source
}

const redacted = "[redacted]"

func maskSecret(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// String is a one-line summary without the secret.
func (r Resolved) String() string {
	name := r.Profile.Name
	if name == "" {
		name = "(none)"
	}
	s := fmt.Sprintf("profile %s, source %s, account %s", name, r.Source, r.Credentials.AccountSID)
	if r.Credentials.APIKeySID != "" {
		s += ", API key " + r.Credentials.APIKeySID
	} else {
		s += ", auth token"
	}
	return s + ", secret " + maskSecret(r.Credentials.Secret)
}

// GoString is %#v, with the secret masked.
func (r Resolved) GoString() string {
	return fmt.Sprintf("keystore.Resolved{Profile:%#v, Credentials:api.Credentials{AccountSID:%q, APIKeySID:%q, Secret:%q}, Source:%q}",
		r.Profile, r.Credentials.AccountSID, r.Credentials.APIKeySID, maskSecret(r.Credentials.Secret), r.Source)
}

// Format makes every verb (%d and %x included, which would otherwise print
// the fields raw) go through String or GoString.
func (r Resolved) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, r.GoString())
		return
	}
	_, _ = io.WriteString(f, r.String())
}

// Environment variables read by Resolve (the names twilio-cli and Twilio's
// helper libraries use), plus SENDERPOOL_PROFILE.
const (
	EnvAccountSID = "TWILIO_ACCOUNT_SID"
	EnvAPIKey     = "TWILIO_API_KEY"
	EnvAPISecret  = "TWILIO_API_SECRET"
	EnvAuthToken  = "TWILIO_AUTH_TOKEN"
	EnvRegion     = "TWILIO_REGION"
	EnvEdge       = "TWILIO_EDGE"
	EnvProfile    = "SENDERPOOL_PROFILE"
)

// envCredentials reads TWILIO_* credentials. ok is false when none of the
// secret-bearing variables is set (TWILIO_ACCOUNT_SID alone is ignored). An
// API key pair wins over an auth token. A partial set (a key without its
// secret, a secret without TWILIO_ACCOUNT_SID) is ErrIncompleteEnv rather
// than a silent fall back to stored credentials.
func envCredentials(getenv func(string) string) (c api.Credentials, ok bool, err error) {
	acct, key, ksec, tok := getenv(EnvAccountSID), getenv(EnvAPIKey), getenv(EnvAPISecret), getenv(EnvAuthToken)
	if key == "" && ksec == "" && tok == "" {
		return api.Credentials{}, false, nil
	}
	if acct == "" {
		return api.Credentials{}, false, fmt.Errorf("%w: %s is not set (needed with %s)", ErrIncompleteEnv, EnvAccountSID, setNames(getenv, EnvAPIKey, EnvAPISecret, EnvAuthToken))
	}
	if err := api.ValidateAccountSID(acct); err != nil {
		return api.Credentials{}, false, fmt.Errorf("%s: %w", EnvAccountSID, err)
	}
	switch {
	case key != "" && ksec != "":
		if err := api.ValidateAPIKeySID(key); err != nil {
			return api.Credentials{}, false, fmt.Errorf("%s: %w", EnvAPIKey, err)
		}
		return api.Credentials{AccountSID: acct, APIKeySID: key, Secret: ksec}, true, nil
	case key != "":
		return api.Credentials{}, false, fmt.Errorf("%w: %s is set but %s is not", ErrIncompleteEnv, EnvAPIKey, EnvAPISecret)
	case ksec != "":
		return api.Credentials{}, false, fmt.Errorf("%w: %s is set but %s is not", ErrIncompleteEnv, EnvAPISecret, EnvAPIKey)
	}
	return api.Credentials{AccountSID: acct, Secret: tok}, true, nil
}

// setNames lists which of names are set (never their values).
func setNames(getenv func(string) string, names ...string) string {
	var set []string
	for _, n := range names {
		if getenv(n) != "" {
			set = append(set, n)
		}
	}
	return strings.Join(set, ", ")
}

// Resolve finds the credentials to use:
//
//  1. the profile: profileName (from --profile), else SENDERPOOL_PROFILE,
//     else the default profile. A name given but not stored is
//     ErrProfileNotFound, even when the environment has credentials;
//  2. TWILIO_ACCOUNT_SID with TWILIO_API_KEY + TWILIO_API_SECRET, else with
//     TWILIO_AUTH_TOKEN, override the profile's credentials (Source "env").
//     The profile still supplies read-only, API URL and, when the account
//     is the same, the default service;
//  3. otherwise the profile's secret from the keyring or the encrypted file
//     (Source "keyring" or "file").
//
// TWILIO_REGION and TWILIO_EDGE override the profile's region and edge in
// every case. No environment credentials and no profile is ErrNoCredentials.
func (s *Store) Resolve(ctx context.Context, profileName string) (Resolved, error) {
	name := profileName
	if name == "" {
		name = s.getenv(EnvProfile)
	}
	if name != "" {
		if err := ValidateProfileName(name); err != nil {
			return Resolved{}, err
		}
	}
	region, edge := s.getenv(EnvRegion), s.getenv(EnvEdge)
	if err := validateHostLabel(EnvRegion, region); err != nil {
		return Resolved{}, err
	}
	if err := validateHostLabel(EnvEdge, edge); err != nil {
		return Resolved{}, err
	}

	c, err := s.load(ctx)
	if err != nil {
		return Resolved{}, err
	}
	var (
		p    Profile
		have bool
	)
	switch {
	case name != "":
		if p, err = c.profile(name, s.ConfigFile()); err != nil {
			return Resolved{}, err
		}
		have = true
	case c.DefaultProfile != "":
		p, err = c.profile(c.DefaultProfile, s.ConfigFile())
		have = err == nil
	}
	overlay := func(p Profile) Profile {
		if region != "" {
			p.Region = region
		}
		if edge != "" {
			p.Edge = edge
		}
		return p
	}

	envCreds, fromEnv, err := envCredentials(s.getenv)
	if err != nil {
		return Resolved{}, err
	}
	if fromEnv {
		if !have {
			p = Profile{}
		}
		if p.AccountSID != envCreds.AccountSID {
			p.DefaultService = ""
		}
		p.AccountSID, p.APIKeySID = envCreds.AccountSID, envCreds.APIKeySID
		return Resolved{Profile: overlay(p), Credentials: envCreds, Source: SourceEnv}, nil
	}

	if !have {
		hint := ""
		if len(c.Profiles) > 0 {
			hint = fmt.Sprintf(" (%d profiles exist but none is the default: pick one with --profile, or see `senderpool profiles`)", len(c.Profiles))
		}
		return Resolved{}, fmt.Errorf("%w%s: log in with `senderpool login` (the secret goes to the OS keyring, or `--storage file` for an encrypted file), "+
			"or set %s with %s and %s (or %s), or try `senderpool --demo`",
			ErrNoCredentials, hint, EnvAccountSID, EnvAPIKey, EnvAPISecret, EnvAuthToken)
	}
	secret, err := s.Secret(ctx, p)
	if err != nil {
		return Resolved{}, err
	}
	src := SourceKeyring
	if p.Storage == StorageFile {
		src = SourceFile
	}
	creds := api.Credentials{AccountSID: p.AccountSID, APIKeySID: p.APIKeySID, Secret: secret}
	if err := creds.Validate(); err != nil {
		return Resolved{}, fmt.Errorf("profile %q (%s): %w: run `senderpool login --profile %s` again", p.Name, src, err, p.Name)
	}
	return Resolved{Profile: overlay(p), Credentials: creds, Source: src}, nil
}
