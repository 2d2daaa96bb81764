package session_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/keystore/keystoretest"
	"github.com/senderpool/senderpool/session"
)

// canary is part of every secret and passphrase in these tests, so that a
// leak into an error string or a file is easy to spot.
const canary = "CANARY-s3ss10n-9f2b"

const (
	acct      = twiliotest.DemoAccountSID
	keySID    = twiliotest.DemoAPIKeySID
	token     = canary + "-token" // the account's auth token
	keySecret = canary + "-key"   // the API key's secret
	wrong     = canary + "-wrong" // a secret the fake refuses
	pass      = canary + "-pass"  // the file store's passphrase
	otherAcct = "AC" + "0123456789abcdef0123456789abcdef"
	svcSID    = "MG" + "77777777777777777777777777777777"
)

// env is an injected environment, so the real one never leaks in.
type env map[string]string

func (e env) get(k string) string { return e[k] }

func newMemKeyring() *keystoretest.MemKeyring { return keystoretest.NewMemKeyring() }

// brokenKeyring fails the way a locked Secret Service might. With emptyGet,
// Get reports no item, so a save goes on to Set, whose error echoes the
// secret it was given: redaction is put to the test.
type brokenKeyring struct{ emptyGet bool }

func (b brokenKeyring) Get(string, string) (string, error) {
	if b.emptyGet {
		return "", keystore.ErrSecretNotFound
	}
	return "", errors.New("org.freedesktop.secrets: the collection is locked")
}

func (brokenKeyring) Set(_, _, secret string) error {
	return fmt.Errorf("org.freedesktop.secrets: refused item %q", secret)
}

func (brokenKeyring) Delete(string, string) error {
	return errors.New("org.freedesktop.secrets: the collection is locked")
}

// newFake serves an account whose every secret carries the canary.
func newFake(t *testing.T) (*twiliotest.Fake, string) {
	t.Helper()
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{
		SID: acct, AuthToken: token, APIKeys: map[string]string{keySID: keySecret},
	}})
	fake.AddService(twiliotest.ServiceSeed{SID: svcSID, FriendlyName: "Canary Service"})
	return fake, twiliotest.Serve(t, fake).URL
}

type managerOpts struct {
	dir      string // "" for a fresh temp dir
	env      env
	keyring  keystore.Keyring // nil for a fresh memKeyring
	fallback func(context.Context, bool) (string, error)
	settings session.Settings
}

func newManager(t *testing.T, o managerOpts) *session.Manager {
	t.Helper()
	if o.dir == "" {
		o.dir = filepath.Join(t.TempDir(), "senderpool")
	}
	if o.keyring == nil {
		o.keyring = newMemKeyring()
	}
	if o.settings.Retry.MaxAttempts == 0 {
		o.settings.Retry.MaxAttempts = 1 // request counts stay exact
	}
	store, err := keystore.Open(keystore.Options{
		Dir:              o.dir,
		Getenv:           o.env.get,
		Keyring:          o.keyring,
		Passphrase:       session.Passphrase(o.fallback),
		ScryptWorkFactor: 10,
	})
	if err != nil {
		t.Fatalf("keystore.Open: %v", err)
	}
	return session.NewManager(store, o.settings)
}

// store saves p and its secret directly, bypassing the check.
func store(t *testing.T, m *session.Manager, p keystore.Profile, secret string) {
	t.Helper()
	ctx := session.WithPassphrase(t.Context(), pass)
	if err := m.Store().Save(ctx, p, secret); err != nil {
		t.Fatalf("Save(%s): %v", p.Name, err)
	}
}

// noCanary fails if err's text holds any secret of these tests.
func noCanary(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), canary) {
		t.Errorf("the error shows a secret: %v", err)
	}
}

// noCanaryOnDisk fails if a file under dir holds a secret in plain text.
func noCanaryOnDisk(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, rerr := os.ReadFile(path)
		if rerr != nil {
			t.Error(rerr)
			return nil
		}
		if bytes.Contains(b, []byte(canary)) {
			t.Errorf("a secret is in plain text in %s", path)
		}
		return nil
	})
}

// nothingSaved fails if m's store holds any profile or any secret.
func nothingSaved(t *testing.T, m *session.Manager, kr *keystoretest.MemKeyring) {
	t.Helper()
	profiles, def, err := m.Store().Profiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != 0 || def != "" {
		t.Errorf("profiles saved after a failed login: %+v (default %q)", profiles, def)
	}
	if _, err := os.Stat(m.Store().ConfigFile()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("config file written after a failed login (stat: %v)", err)
	}
	if kr != nil && kr.Len() != 0 {
		t.Errorf("%d keyring items left after a failed login", kr.Len())
	}
	if ages, _ := filepath.Glob(filepath.Join(m.Store().Dir(), "*.age")); len(ages) != 0 {
		t.Errorf("encrypted secret files left after a failed login: %v", ages)
	}
}

var errStop = errors.New("stop")

// listOnce proves the session's client works: one authenticated request.
func listOnce(t *testing.T, s *session.Session) {
	t.Helper()
	err := s.Client.ListServicesPages(t.Context(), func([]api.Service) error { return errStop })
	if !errors.Is(err, errStop) {
		t.Fatalf("the session's client cannot list services: %v", err)
	}
}

// lastAuthUser is the Basic-auth user of the fake's latest request.
func lastAuthUser(t *testing.T, fake *twiliotest.Fake) string {
	t.Helper()
	recs := fake.Records()
	if len(recs) == 0 {
		t.Fatal("the fake got no request")
	}
	return recs[len(recs)-1].AuthUser
}

func TestOpenCredentialSources(t *testing.T) {
	envToken := env{keystore.EnvAccountSID: acct, keystore.EnvAuthToken: token}
	envKey := env{keystore.EnvAccountSID: acct, keystore.EnvAPIKey: keySID, keystore.EnvAPISecret: keySecret, keystore.EnvAuthToken: wrong}
	tests := []struct {
		name        string
		env         env
		profile     string
		passphrase  bool // carry the passphrase in the context
		wantSource  keystore.Source
		wantProfile string
		wantUser    string // Basic-auth user the fake sees
		wantKeyring bool   // whether the keyring is read at all
	}{
		{name: "default profile from the keyring", wantSource: keystore.SourceKeyring, wantProfile: "main", wantUser: acct, wantKeyring: true},
		{name: "named profile from the keyring", profile: "main", wantSource: keystore.SourceKeyring, wantProfile: "main", wantUser: acct, wantKeyring: true},
		{name: "named profile from the file", profile: "vault", passphrase: true, wantSource: keystore.SourceFile, wantProfile: "vault", wantUser: keySID},
		{name: "SENDERPOOL_PROFILE picks the profile", env: env{keystore.EnvProfile: "vault"}, passphrase: true, wantSource: keystore.SourceFile, wantProfile: "vault", wantUser: keySID},
		{name: "environment auth token overrides the default profile", env: envToken, wantSource: keystore.SourceEnv, wantProfile: "main", wantUser: acct},
		// vault also uses keySID, but no passphrase is given: reading its
		// file would fail, so success says the environment won.
		{name: "environment API key overrides a named profile", env: envKey, profile: "vault", wantSource: keystore.SourceEnv, wantProfile: "vault", wantUser: keySID},
		{name: "environment API key wins over the auth token", env: envKey, wantSource: keystore.SourceEnv, wantProfile: "main", wantUser: keySID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, url := newFake(t)
			kr := newMemKeyring()
			// No fallback: a file read without the context's passphrase fails.
			m := newManager(t, managerOpts{env: tt.env, keyring: kr, settings: session.Settings{APIURL: url}})
			store(t, m, keystore.Profile{Name: "main", AccountSID: acct, DefaultService: svcSID, Storage: keystore.StorageKeyring}, token)
			store(t, m, keystore.Profile{Name: "vault", AccountSID: acct, APIKeySID: keySID, Storage: keystore.StorageFile}, keySecret)
			gets := kr.Gets.Load()

			ctx := t.Context()
			if tt.passphrase {
				ctx = session.WithPassphrase(ctx, pass)
			}
			s, err := m.Open(ctx, tt.profile)
			if err != nil {
				noCanary(t, err)
				t.Fatalf("Open(%q): %v", tt.profile, err)
			}
			if s.Source != tt.wantSource || s.Profile != tt.wantProfile || s.AccountSID != acct {
				t.Errorf("session: source %q, profile %q, account %s; want %q, %q, %s",
					s.Source, s.Profile, s.AccountSID, tt.wantSource, tt.wantProfile, acct)
			}
			if read := kr.Gets.Load() > gets; read != tt.wantKeyring {
				t.Errorf("keyring read: %v, want %v", read, tt.wantKeyring)
			}
			listOnce(t, s)
			if got := lastAuthUser(t, fake); got != tt.wantUser {
				t.Errorf("the fake saw user %s, want %s", got, tt.wantUser)
			}
		})
	}
}

func TestOpenEnvironmentWithoutProfile(t *testing.T) {
	fake, url := newFake(t)
	kr := newMemKeyring()
	m := newManager(t, managerOpts{
		env:      env{keystore.EnvAccountSID: acct, keystore.EnvAuthToken: token},
		keyring:  kr,
		settings: session.Settings{APIURL: url},
	})
	s, err := m.Open(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	// The environment alone: no profile name, and the keyring is never asked.
	if s.Profile != "" || s.Source != keystore.SourceEnv || s.AccountSID != acct {
		t.Errorf("session: profile %q, source %q, account %s", s.Profile, s.Source, s.AccountSID)
	}
	if n := kr.Gets.Load(); n != 0 {
		t.Errorf("%d keyring reads with environment credentials", n)
	}
	listOnce(t, s)
	if got := lastAuthUser(t, fake); got != acct {
		t.Errorf("the fake saw user %s, want %s", got, acct)
	}
}

// TestOpenSettings covers the pick rule: a command-line setting wins over
// TWILIO_REGION/TWILIO_EDGE, which win over the stored profile.
func TestOpenSettings(t *testing.T) {
	stored := keystore.Profile{Name: "main", AccountSID: acct, Region: "ie1", Edge: "dublin", Storage: keystore.StorageKeyring}
	withURL := stored
	withURL.APIURL = "http://127.0.0.1:9/stored"
	readOnly := stored
	readOnly.ReadOnly = true
	tests := []struct {
		name         string
		profile      keystore.Profile
		env          env
		settings     session.Settings
		wantBase     string
		wantRegion   string
		wantReadOnly bool
	}{
		{name: "stored region and edge", profile: stored, wantBase: "https://messaging.dublin.ie1.twilio.com", wantRegion: "ie1"},
		{name: "flag region", profile: stored, settings: session.Settings{Region: "au1"}, wantBase: "https://messaging.dublin.au1.twilio.com", wantRegion: "au1"},
		{name: "flag edge", profile: stored, settings: session.Settings{Edge: "sydney"}, wantBase: "https://messaging.sydney.ie1.twilio.com", wantRegion: "ie1"},
		{name: "environment region and edge", profile: stored, env: env{keystore.EnvRegion: "jp1", keystore.EnvEdge: "tokyo"},
			wantBase: "https://messaging.tokyo.jp1.twilio.com", wantRegion: "jp1"},
		{name: "flag over environment", profile: stored, env: env{keystore.EnvRegion: "jp1", keystore.EnvEdge: "tokyo"},
			settings: session.Settings{Region: "au1", Edge: "sydney"}, wantBase: "https://messaging.sydney.au1.twilio.com", wantRegion: "au1"},
		{name: "stored API URL", profile: withURL, wantBase: "http://127.0.0.1:9/stored", wantRegion: "ie1"},
		{name: "flag API URL over stored", profile: withURL, settings: session.Settings{APIURL: "http://127.0.0.1:9/flag"}, wantBase: "http://127.0.0.1:9/flag", wantRegion: "ie1"},
		{name: "stored read-only", profile: readOnly, wantBase: "https://messaging.dublin.ie1.twilio.com", wantRegion: "ie1", wantReadOnly: true},
		{name: "flag read-only", profile: stored, settings: session.Settings{ReadOnly: true}, wantBase: "https://messaging.dublin.ie1.twilio.com", wantRegion: "ie1", wantReadOnly: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, managerOpts{env: tt.env, settings: tt.settings})
			store(t, m, tt.profile, token)
			s, err := m.Open(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Client.BaseURL(); got != tt.wantBase {
				t.Errorf("base URL %s, want %s", got, tt.wantBase)
			}
			if s.Region != tt.wantRegion {
				t.Errorf("region %q, want %q", s.Region, tt.wantRegion)
			}
			if s.ReadOnly != tt.wantReadOnly {
				t.Errorf("read-only %v, want %v", s.ReadOnly, tt.wantReadOnly)
			}
		})
	}
}

func TestOpenDefaultService(t *testing.T) {
	tests := []struct {
		name string
		env  env
		want string
	}{
		{name: "stored", want: svcSID},
		{name: "environment, same account", env: env{keystore.EnvAccountSID: acct, keystore.EnvAuthToken: token}, want: svcSID},
		// Another account's service would be meaningless.
		{name: "environment, other account", env: env{keystore.EnvAccountSID: otherAcct, keystore.EnvAuthToken: token}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, managerOpts{env: tt.env})
			store(t, m, keystore.Profile{Name: "main", AccountSID: acct, DefaultService: svcSID, Storage: keystore.StorageKeyring}, token)
			s, err := m.Open(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			if s.DefaultService != tt.want {
				t.Errorf("default service %q, want %q", s.DefaultService, tt.want)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	main := keystore.Profile{Name: "main", AccountSID: acct, Storage: keystore.StorageKeyring}
	vault := keystore.Profile{Name: "vault", AccountSID: acct, APIKeySID: keySID, Storage: keystore.StorageFile}
	tests := []struct {
		name     string
		env      env
		keyring  keystore.Keyring
		profiles bool // store main and vault first
		dropItem bool // then remove main's keyring item
		profile  string
		ctxPass  string
		want     error
		wantText []string
	}{
		{name: "missing named profile", profiles: true, profile: "ghost", want: keystore.ErrProfileNotFound,
			wantText: []string{`"ghost"`, "senderpool login --profile ghost"}},
		{name: "missing named profile despite environment credentials", profiles: true, profile: "ghost",
			env: env{keystore.EnvAccountSID: acct, keystore.EnvAuthToken: token}, want: keystore.ErrProfileNotFound},
		{name: "SENDERPOOL_PROFILE names a missing profile", profiles: true, env: env{keystore.EnvProfile: "ghost"}, want: keystore.ErrProfileNotFound},
		{name: "no profile and no environment", want: keystore.ErrNoCredentials, wantText: []string{"senderpool login", keystore.EnvAccountSID}},
		{name: "invalid profile name", profile: "bad name!", want: keystore.ErrInvalidProfileName},
		{name: "keyring item missing", profiles: true, dropItem: true, want: keystore.ErrSecretNotFound},
		{name: "keyring unreachable", profiles: true, keyring: brokenKeyring{}, want: keystore.ErrNoKeyring},
		{name: "file without a passphrase", profiles: true, profile: "vault", want: keystore.ErrNoPassphrase},
		{name: "file with a wrong passphrase", profiles: true, profile: "vault", ctxPass: wrong, want: keystore.ErrWrongPassphrase},
		{name: "incomplete environment", env: env{keystore.EnvAccountSID: acct, keystore.EnvAPISecret: keySecret}, want: keystore.ErrIncompleteEnv},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "senderpool")
			kr := newMemKeyring()
			if tt.profiles {
				// Stored through a working keyring; the case's keyring reads.
				setup := newManager(t, managerOpts{dir: dir, keyring: kr})
				store(t, setup, main, token)
				store(t, setup, vault, keySecret)
				if tt.dropItem {
					if err := kr.Delete(keystore.KeyringService, "main"); err != nil {
						t.Fatal(err)
					}
				}
			}
			backend := tt.keyring
			if backend == nil {
				backend = kr
			}
			m := newManager(t, managerOpts{dir: dir, env: tt.env, keyring: backend})
			ctx := t.Context()
			if tt.ctxPass != "" {
				ctx = session.WithPassphrase(ctx, tt.ctxPass)
			}
			s, err := m.Open(ctx, tt.profile)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open(%q) = %v, %v; want an error matching %v", tt.profile, s, err, tt.want)
			}
			if s != nil {
				t.Errorf("a session came with the error: %+v", s)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			noCanary(t, err)
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		login      session.Login
		fault      *twiliotest.Fault
		wantErr    error  // nil: success
		wantText   string // in the error
		rejected   bool   // errors.Is ErrRejected
		wantStatus int    // the api.Error's status, 0 for none
		requests   int    // requests the fake gets
		wantSource keystore.Source
	}{
		{name: "auth token", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct}, Secret: token},
			requests: 1, wantSource: keystore.SourceKeyring},
		{name: "API key, file storage", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct, APIKeySID: keySID, Storage: keystore.StorageFile}, Secret: keySecret},
			requests: 1, wantSource: keystore.SourceFile},
		{name: "wrong auth token", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct}, Secret: wrong},
			wantErr: session.ErrRejected, rejected: true, wantStatus: http.StatusUnauthorized, requests: 1},
		{name: "wrong API key secret", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct, APIKeySID: keySID}, Secret: wrong},
			wantErr: session.ErrRejected, rejected: true, wantStatus: http.StatusUnauthorized, requests: 1},
		{name: "forbidden", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct}, Secret: token},
			fault:   &twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: http.StatusForbidden},
			wantErr: session.ErrRejected, rejected: true, wantStatus: http.StatusForbidden, requests: 1},
		// A server error says nothing about the credentials: not "rejected".
		{name: "server error", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct}, Secret: token},
			fault:   &twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: http.StatusInternalServerError},
			wantErr: errAny, wantText: "could not check the credentials", wantStatus: http.StatusInternalServerError, requests: 1},
		// Malformed input is refused before anything is sent.
		{name: "invalid profile name", login: session.Login{Profile: keystore.Profile{Name: "bad name!", AccountSID: acct}, Secret: token},
			wantErr: keystore.ErrInvalidProfileName},
		{name: "invalid account SID", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: "ACxyz"}, Secret: token},
			wantErr: api.ErrInvalidSID},
		{name: "invalid API key SID", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct, APIKeySID: "SKxyz"}, Secret: keySecret},
			wantErr: api.ErrInvalidSID},
		{name: "empty secret", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct}},
			wantErr: api.ErrNoSecret},
		{name: "plain http to a remote host", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct, APIURL: "http://example.com"}, Secret: token},
			wantErr: api.ErrBaseURL},
		// A profile Save would refuse: the secret is not sent for nothing.
		{name: "malformed default service", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct, DefaultService: "MGxyz"}, Secret: token},
			wantErr: api.ErrInvalidSID},
		{name: "unknown storage", login: session.Login{Profile: keystore.Profile{Name: "p", AccountSID: acct, Storage: "vault"}, Secret: token},
			wantErr: errAny, wantText: "storage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, url := newFake(t)
			if tt.fault != nil {
				fake.AddFault(twiliotest.RouteListServices, *tt.fault)
			}
			if tt.login.Profile.APIURL == "" {
				tt.login.Profile.APIURL = url
			}
			kr := newMemKeyring()
			m := newManager(t, managerOpts{keyring: kr})
			s, err := m.Check(t.Context(), tt.login)
			noCanary(t, err)
			if n := fake.TotalRequests(); n != tt.requests {
				t.Errorf("the fake got %d requests, want %d", n, tt.requests)
			}
			nothingSaved(t, m, kr) // Check never saves, whatever the outcome
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if s.Profile != "p" || s.AccountSID != acct || s.Source != tt.wantSource {
					t.Errorf("session: profile %q, account %s, source %q", s.Profile, s.AccountSID, s.Source)
				}
				if got := lastAuthUser(t, fake); got != cmp.Or(tt.login.Profile.APIKeySID, acct) {
					t.Errorf("checked as %s", got)
				}
				return
			}
			if err == nil || s != nil {
				t.Fatalf("Check = %v, %v; want an error", s, err)
			}
			if tt.wantErr != errAny && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not match %v", err, tt.wantErr)
			}
			if errors.Is(err, session.ErrRejected) != tt.rejected {
				t.Errorf("errors.Is(%v, ErrRejected) = %v, want %v", err, !tt.rejected, tt.rejected)
			}
			if tt.wantText != "" && !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not say %q", err, tt.wantText)
			}
			apiErr, ok := api.AsError(err)
			switch {
			case tt.wantStatus == 0 && ok:
				t.Errorf("an API error for input that should not be sent: %v", err)
			case tt.wantStatus != 0 && (!ok || apiErr.Status != tt.wantStatus):
				t.Errorf("error %v: want the API's HTTP %d wrapped", err, tt.wantStatus)
			}
		})
	}
}

// errAny marks a case where any error will do (its text is checked).
var errAny = errors.New("any error")

func TestSaveFailureSavesNothing(t *testing.T) {
	tests := []struct {
		name    string
		storage keystore.Storage
		secret  string
		fault   *twiliotest.Fault
		keyring keystore.Keyring
		want    error
	}{
		{name: "wrong secret, keyring", storage: keystore.StorageKeyring, secret: wrong, want: session.ErrRejected},
		{name: "wrong secret, default storage", secret: wrong, want: session.ErrRejected},
		{name: "wrong secret, file", storage: keystore.StorageFile, secret: wrong, want: session.ErrRejected},
		{name: "server error", storage: keystore.StorageKeyring, secret: token,
			fault: &twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: http.StatusInternalServerError}, want: errAny},
		{name: "keyring unreachable after a good check", storage: keystore.StorageKeyring, secret: token,
			keyring: brokenKeyring{}, want: keystore.ErrNoKeyring},
		{name: "keyring write refused after a good check", storage: keystore.StorageKeyring, secret: token,
			keyring: brokenKeyring{emptyGet: true}, want: keystore.ErrNoKeyring},
		{name: "unknown storage after a good check", storage: "plaintext", secret: token, want: keystore.ErrInvalidProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, url := newFake(t)
			if tt.fault != nil {
				fake.AddFault(twiliotest.RouteListServices, *tt.fault)
			}
			kr := newMemKeyring()
			backend := tt.keyring
			if backend == nil {
				backend = kr
			}
			m := newManager(t, managerOpts{keyring: backend, settings: session.Settings{APIURL: url}})
			l := session.Login{
				Profile:    keystore.Profile{Name: "p", AccountSID: acct, Storage: tt.storage},
				Secret:     tt.secret,
				Passphrase: pass,
			}
			s, where, err := m.Save(t.Context(), l)
			if err == nil || s != nil || where != "" {
				t.Fatalf("Save = %v, %q, %v; want only an error", s, where, err)
			}
			if tt.want != errAny && !errors.Is(err, tt.want) {
				t.Errorf("error %v does not match %v", err, tt.want)
			}
			noCanary(t, err)
			nothingSaved(t, m, kr)
			if n := kr.Sets.Load(); n != 0 {
				t.Errorf("%d keyring writes for a login that failed", n)
			}
		})
	}
}

func TestSaveKeyring(t *testing.T) {
	tests := []struct {
		name    string
		storage keystore.Storage
	}{
		{name: "explicit", storage: keystore.StorageKeyring},
		{name: "default storage", storage: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, url := newFake(t)
			kr := newMemKeyring()
			m := newManager(t, managerOpts{keyring: kr})
			p := keystore.Profile{Name: "work", AccountSID: acct, APIKeySID: keySID, APIURL: url, ReadOnly: true, DefaultService: svcSID, Storage: tt.storage}
			s, where, err := m.Save(t.Context(), session.Login{Profile: p, Secret: keySecret})
			if err != nil {
				t.Fatalf("Save: %v", err)
			}
			if s.Profile != "work" || s.AccountSID != acct || s.Source != keystore.SourceKeyring || !s.ReadOnly || s.DefaultService != svcSID {
				t.Errorf("session: %+v", s)
			}
			if fake.Requests(twiliotest.RouteListServices) != 1 {
				t.Errorf("the check made %d requests, want 1", fake.Requests(twiliotest.RouteListServices))
			}
			for _, w := range []string{"OS keyring", `"` + keystore.KeyringService + `"`, `"work"`} {
				if !strings.Contains(where, w) {
					t.Errorf("where %q does not say %s", where, w)
				}
			}
			if got, ok := kr.Item(keystore.KeyringService, "work"); !ok || got != keySecret {
				t.Errorf("keyring item: present %v, right secret %v", ok, got == keySecret)
			}
			profiles, def, err := m.Store().Profiles(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			want := p
			want.Storage = keystore.StorageKeyring
			if len(profiles) != 1 || profiles[0] != want || def != "work" {
				t.Errorf("stored %+v (default %q), want %+v as the default", profiles, def, want)
			}
			if ages, _ := filepath.Glob(filepath.Join(m.Store().Dir(), "*.age")); len(ages) != 0 {
				t.Errorf("a keyring login wrote %v", ages)
			}
			noCanaryOnDisk(t, m.Store().Dir())

			// What was saved opens.
			s2, err := m.Open(t.Context(), "work")
			if err != nil {
				t.Fatal(err)
			}
			if s2.Source != keystore.SourceKeyring {
				t.Errorf("reopened from %q", s2.Source)
			}
			listOnce(t, s2)
		})
	}
}

func TestSaveFileWithPassphrase(t *testing.T) {
	fake, url := newFake(t)
	kr := newMemKeyring()
	m := newManager(t, managerOpts{keyring: kr, settings: session.Settings{APIURL: url}}) // no fallback
	l := session.Login{
		Profile:    keystore.Profile{Name: "vault", AccountSID: acct, Storage: keystore.StorageFile},
		Secret:     token,
		Passphrase: pass,
	}
	s, where, err := m.Save(t.Context(), l)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if s.Source != keystore.SourceFile {
		t.Errorf("source %q, want file", s.Source)
	}
	file := m.Store().SecretFile("vault")
	if want := "encrypted with your passphrase in " + file; where != want {
		t.Errorf("where %q, want %q", where, want)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("no encrypted secret: %v", err)
	}
	if n := kr.Sets.Load(); n != 0 || kr.Len() != 0 {
		t.Errorf("a file login wrote to the keyring (%d writes)", n)
	}
	noCanaryOnDisk(t, m.Store().Dir())

	tests := []struct {
		name string
		ctx  context.Context
		want error // nil: opens
	}{
		{name: "passphrase in the context", ctx: session.WithPassphrase(t.Context(), pass)},
		{name: "no passphrase", ctx: t.Context(), want: keystore.ErrNoPassphrase},
		{name: "empty passphrase in the context", ctx: session.WithPassphrase(t.Context(), ""), want: keystore.ErrNoPassphrase},
		{name: "wrong passphrase", ctx: session.WithPassphrase(t.Context(), wrong), want: keystore.ErrWrongPassphrase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := m.Open(tt.ctx, "vault")
			noCanary(t, err)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("Open = %v, %v; want %v", s, err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Source != keystore.SourceFile || s.Profile != "vault" {
				t.Errorf("session: source %q, profile %q", s.Source, s.Profile)
			}
			listOnce(t, s)
			if got := lastAuthUser(t, fake); got != acct {
				t.Errorf("the fake saw user %s", got)
			}
		})
	}
}

func TestSaveFilePassphraseFallback(t *testing.T) {
	t.Run("asked with confirm", func(t *testing.T) {
		_, url := newFake(t)
		var asked, confirmed atomic.Int32
		fallback := func(_ context.Context, confirm bool) (string, error) {
			asked.Add(1)
			if confirm {
				confirmed.Add(1)
			}
			return pass, nil
		}
		m := newManager(t, managerOpts{fallback: fallback, settings: session.Settings{APIURL: url}})
		l := session.Login{Profile: keystore.Profile{Name: "vault", AccountSID: acct, Storage: keystore.StorageFile}, Secret: token}
		if _, _, err := m.Save(t.Context(), l); err != nil {
			t.Fatal(err)
		}
		// A new file is created: the passphrase is asked for twice over.
		if asked.Load() != 1 || confirmed.Load() != 1 {
			t.Errorf("fallback asked %d times (%d with confirm), want once with confirm", asked.Load(), confirmed.Load())
		}
		if _, err := m.Open(t.Context(), "vault"); err != nil {
			t.Errorf("Open with the fallback's passphrase: %v", err)
		}
	})
	t.Run("login passphrase wins", func(t *testing.T) {
		_, url := newFake(t)
		fallback := func(context.Context, bool) (string, error) {
			return "", errors.New("the fallback must not be asked")
		}
		m := newManager(t, managerOpts{fallback: fallback, settings: session.Settings{APIURL: url}})
		l := session.Login{Profile: keystore.Profile{Name: "vault", AccountSID: acct, Storage: keystore.StorageFile}, Secret: token, Passphrase: pass}
		if _, _, err := m.Save(t.Context(), l); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("none at all", func(t *testing.T) {
		_, url := newFake(t)
		kr := newMemKeyring()
		m := newManager(t, managerOpts{keyring: kr, settings: session.Settings{APIURL: url}})
		l := session.Login{Profile: keystore.Profile{Name: "vault", AccountSID: acct, Storage: keystore.StorageFile}, Secret: token}
		_, _, err := m.Save(t.Context(), l)
		if !errors.Is(err, keystore.ErrNoPassphrase) {
			t.Fatalf("Save: %v, want ErrNoPassphrase", err)
		}
		noCanary(t, err)
		nothingSaved(t, m, kr)
	})
}

func TestWhere(t *testing.T) {
	m := newManager(t, managerOpts{})
	tests := []struct {
		storage keystore.Storage
		want    string
	}{
		{keystore.StorageKeyring, `in the OS keyring (service "senderpool", account "acme")`},
		{"", `in the OS keyring (service "senderpool", account "acme")`},
		{keystore.StorageFile, "encrypted with your passphrase in " + filepath.Join(m.Store().Dir(), "acme.age")},
	}
	for _, tt := range tests {
		if got := m.Where(keystore.Profile{Name: "acme", Storage: tt.storage}); got != tt.want {
			t.Errorf("Where(%q) = %q, want %q", tt.storage, got, tt.want)
		}
	}
}

func TestProfiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "senderpool")
	kr := newMemKeyring()
	m := newManager(t, managerOpts{dir: dir, keyring: kr})

	empty, err := m.Profiles(t.Context())
	if err != nil || len(empty) != 0 {
		t.Fatalf("Profiles with no config = %v, %v; want none", empty, err)
	}

	// Saved out of order: the first saved becomes the default.
	store(t, m, keystore.Profile{Name: "b-file", AccountSID: acct, APIKeySID: keySID, Storage: keystore.StorageFile}, keySecret)
	store(t, m, keystore.Profile{Name: "a-key", AccountSID: acct, Storage: keystore.StorageKeyring}, token)
	store(t, m, keystore.Profile{Name: "c-lost", AccountSID: acct, Storage: keystore.StorageKeyring}, token)
	if err := kr.Delete(keystore.KeyringService, "c-lost"); err != nil {
		t.Fatal(err)
	}

	type want struct {
		name  string
		def   bool
		where string
		err   error // nil: reachable
	}
	check := func(t *testing.T, m *session.Manager, wants []want) {
		t.Helper()
		got, err := m.Profiles(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(wants) {
			t.Fatalf("%d profiles, want %d: %+v", len(got), len(wants), got)
		}
		for i, w := range wants {
			g := got[i]
			if g.Profile.Name != w.name || g.Default != w.def || !strings.Contains(g.Where, w.where) {
				t.Errorf("#%d: %s default=%v where=%q; want %s default=%v where ~%q", i, g.Profile.Name, g.Default, g.Where, w.name, w.def, w.where)
			}
			switch {
			case w.err == nil && g.Reachable != nil:
				t.Errorf("%s: unreachable: %v", w.name, g.Reachable)
			case w.err != nil && !errors.Is(g.Reachable, w.err):
				t.Errorf("%s: reachable error %v, want %v", w.name, g.Reachable, w.err)
			}
			noCanary(t, g.Reachable)
		}
	}

	t.Run("working keyring", func(t *testing.T) {
		check(t, m, []want{
			{name: "a-key", where: "OS keyring"},
			{name: "b-file", def: true, where: filepath.Join(dir, "b-file.age")},
			{name: "c-lost", where: "OS keyring", err: keystore.ErrSecretNotFound},
		})
	})
	t.Run("broken keyring", func(t *testing.T) {
		// The same config with a keyring that fails: the file profile is
		// still reachable (no passphrase asked), the keyring ones are not.
		broken := newManager(t, managerOpts{dir: dir, keyring: brokenKeyring{}})
		check(t, broken, []want{
			{name: "a-key", where: "OS keyring", err: keystore.ErrNoKeyring},
			{name: "b-file", def: true, where: "b-file.age"},
			{name: "c-lost", where: "OS keyring", err: keystore.ErrNoKeyring},
		})
	})
	t.Run("missing secret file", func(t *testing.T) {
		if err := os.Remove(filepath.Join(dir, "b-file.age")); err != nil {
			t.Fatal(err)
		}
		got, err := m.Profiles(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || !errors.Is(got[1].Reachable, keystore.ErrSecretNotFound) {
			t.Errorf("b-file without its file: %+v", got)
		}
	})
	t.Run("corrupt config", func(t *testing.T) {
		if err := os.WriteFile(m.Store().ConfigFile(), []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
		if got, err := m.Profiles(t.Context()); !errors.Is(err, keystore.ErrConfigCorrupt) || got != nil {
			t.Errorf("Profiles = %v, %v; want ErrConfigCorrupt", got, err)
		}
	})
}

func TestPassphrase(t *testing.T) {
	errFallback := errors.New("no terminal")
	tests := []struct {
		name        string
		ctxPass     *string // nil: nothing in the context
		fallback    func(context.Context, bool) (string, error)
		confirm     bool
		want        string
		wantErr     error
		wantConfirm bool // the fallback saw confirm
	}{
		{name: "context wins over the fallback", ctxPass: ptr("typed"), fallback: fixed("prompted"), want: "typed"},
		{name: "context without a fallback", ctxPass: ptr("typed"), want: "typed"},
		{name: "empty context value falls through", ctxPass: ptr(""), fallback: fixed("prompted"), want: "prompted"},
		{name: "fallback gets confirm", fallback: fixed("prompted"), confirm: true, want: "prompted", wantConfirm: true},
		{name: "fallback error", fallback: func(context.Context, bool) (string, error) { return "", errFallback }, wantErr: errFallback},
		{name: "nothing at all", wantErr: keystore.ErrNoPassphrase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			if tt.ctxPass != nil {
				ctx = session.WithPassphrase(ctx, *tt.ctxPass)
			}
			var sawConfirm bool
			var fb func(context.Context, bool) (string, error)
			if tt.fallback != nil {
				fb = func(ctx context.Context, confirm bool) (string, error) {
					sawConfirm = confirm
					return tt.fallback(ctx, confirm)
				}
			}
			got, err := session.Passphrase(fb)(ctx, tt.confirm)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("passphrase %q, want %q", got, tt.want)
			}
			if sawConfirm != tt.wantConfirm {
				t.Errorf("fallback saw confirm=%v, want %v", sawConfirm, tt.wantConfirm)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func fixed(p string) func(context.Context, bool) (string, error) {
	return func(context.Context, bool) (string, error) { return p, nil }
}

// TestSessionHidesSecret prints a session every way fmt can: the secret
// lives in the client and must not show.
func TestSessionHidesSecret(t *testing.T) {
	m := newManager(t, managerOpts{env: env{keystore.EnvAccountSID: acct, keystore.EnvAPIKey: keySID, keystore.EnvAPISecret: keySecret}})
	s, err := m.Open(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	hexCanary := hex.EncodeToString([]byte(canary))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
		for _, v := range []any{s, *s} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, canary) || strings.Contains(out, hexCanary) {
				t.Errorf("%s of %T shows the secret: %s", verb, v, out)
			}
		}
	}
}

// TestSaveRefusesBeforeSending: what can be known locally is settled
// before the secret is sent: a profile that would be replaced, an endpoint
// no client would use, a missing passphrase, a keyring this host cannot
// reach. Each is a set-up error; Refuse says the same, but for the
// passphrase, which it does not ask for.
func TestSaveRefusesBeforeSending(t *testing.T) {
	existing := keystore.Profile{Name: "work", AccountSID: otherAcct, Storage: keystore.StorageKeyring}
	tests := []struct {
		name      string
		login     session.Login
		stored    bool             // existing is stored first
		keyring   keystore.Keyring // nil: in memory
		want      error            // nil: saved
		wantText  []string
		linuxOnly bool
		apiURL    string // "": the fake's
		refuseOK  bool   // Refuse passes: it does not ask for the passphrase
	}{
		{name: "profile exists", stored: true,
			login: session.Login{Profile: keystore.Profile{Name: "work", AccountSID: acct}, Secret: token},
			want:  session.ErrProfileExists, wantText: []string{`"work"`, otherAcct, "nothing was sent"}},
		{name: "profile exists, overwrite asked for", stored: true,
			login: session.Login{Profile: keystore.Profile{Name: "work", AccountSID: acct}, Secret: token, Overwrite: true}},
		{name: "encrypted file without a passphrase", refuseOK: true,
			login: session.Login{Profile: keystore.Profile{Name: "vault", AccountSID: acct, Storage: keystore.StorageFile}, Secret: token},
			want:  keystore.ErrNoPassphrase},
		{name: "plain http to a remote host", apiURL: "http://example.com",
			login: session.Login{Profile: keystore.Profile{Name: "work", AccountSID: acct}, Secret: token},
			want:  api.ErrBaseURL, wantText: []string{"loopback"}},
		{name: "no session bus", keyring: keystore.SystemKeyring(env{}.get), linuxOnly: true,
			login: session.Login{Profile: keystore.Profile{Name: "work", AccountSID: acct}, Secret: token},
			want:  keystore.ErrNoKeyring, wantText: []string{"dbus-run-session", "--storage file", "TWILIO_ACCOUNT_SID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.linuxOnly && runtime.GOOS != "linux" {
				t.Skip("the session-bus check is Linux's")
			}
			fake, url := newFake(t)
			m := newManager(t, managerOpts{keyring: tt.keyring, settings: session.Settings{APIURL: cmp.Or(tt.apiURL, url)}})
			if tt.stored {
				store(t, m, existing, token)
			}
			refused := m.Refuse(t.Context(), tt.login)
			s, _, err := m.Save(t.Context(), tt.login)
			noCanary(t, err)
			if tt.refuseOK || tt.want == nil {
				if refused != nil {
					t.Errorf("Refuse = %v, want nil", refused)
				}
			} else if !errors.Is(refused, tt.want) {
				t.Errorf("Refuse = %v, want %v as Save", refused, tt.want)
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Save: %v", err)
				}
				if s.AccountSID != acct {
					t.Errorf("saved account %s", s.AccountSID)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Save = %v; want %v", err, tt.want)
			}
			var setup interface{ SetupError() bool }
			if !errors.As(err, &setup) || !setup.SetupError() {
				t.Errorf("%v is not marked as a set-up error", err)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if n := fake.TotalRequests(); n != 0 {
				t.Errorf("%d requests: the secret was sent for a login that could not be saved", n)
			}
			if tt.stored {
				p, err := m.Store().Profile(t.Context(), "work")
				if err != nil || p != existing {
					t.Errorf("the stored profile changed: %+v, %v", p, err)
				}
			}
		})
	}
}
