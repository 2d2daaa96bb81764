// Package session turns a profile (or the environment) into a ready API
// client, and logs in: it checks new credentials with one API call before
// the keystore saves them. The command line and the dashboard share it.
package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/keystore"
)

// Settings are the command line's choices that apply to every session.
type Settings struct {
	Region, Edge, APIURL string // flags; they override the profile's when set
	ReadOnly             bool   // --read-only; a profile can also be read-only
	UserAgent            string
	HTTPClient           *http.Client // nil: api's default
	Retry                api.RetryPolicy
}

// Session is a usable connection and what the header says about it.
type Session struct {
	Client         *api.Client
	Profile        string          // "" when the environment alone supplied credentials
	Source         keystore.Source // env, keyring or file
	AccountSID     string
	Region         string
	ReadOnly       bool
	DefaultService string
}

// Manager opens sessions from the keystore.
type Manager struct {
	store    *keystore.Store
	settings Settings
}

// NewManager wraps a keystore.
func NewManager(store *keystore.Store, s Settings) *Manager {
	return &Manager{store: store, settings: s}
}

// Store is the keystore behind the manager.
func (m *Manager) Store() *keystore.Store { return m.store }

// Open resolves the credentials of a profile ("" for SENDERPOOL_PROFILE or
// the default), with the environment overriding as twilio-cli does.
func (m *Manager) Open(ctx context.Context, profile string) (*Session, error) {
	res, err := m.store.Resolve(ctx, profile)
	if err != nil {
		return nil, err
	}
	return m.sessionFor(res.Profile, res.Credentials, res.Source)
}

func (m *Manager) sessionFor(p keystore.Profile, creds api.Credentials, src keystore.Source) (*Session, error) {
	region, edge, apiURL := pick(m.settings.Region, p.Region), pick(m.settings.Edge, p.Edge), pick(m.settings.APIURL, p.APIURL)
	client, err := api.New(api.Config{
		Credentials: creds,
		Region:      region,
		Edge:        edge,
		BaseURL:     apiURL,
		HTTPClient:  m.settings.HTTPClient,
		UserAgent:   m.settings.UserAgent,
		Retry:       m.settings.Retry,
	})
	if err != nil {
		return nil, err
	}
	return &Session{
		Client:         client,
		Profile:        p.Name,
		Source:         src,
		AccountSID:     creds.AccountSID,
		Region:         region,
		ReadOnly:       m.settings.ReadOnly || p.ReadOnly,
		DefaultService: p.DefaultService,
	}, nil
}

func pick(flag, stored string) string {
	if flag != "" {
		return flag
	}
	return stored
}

// Login describes new credentials to check and store.
type Login struct {
	Profile    keystore.Profile // Name, AccountSID, APIKeySID, Region, Edge, APIURL, Storage, ReadOnly
	Secret     string
	Passphrase string // for keystore.StorageFile; "" lets the keystore ask its own way
	Overwrite  bool   // replace a stored profile of the same name; without it Save refuses
}

// ErrRejected is wrapped when Twilio refuses the credentials at login.
var ErrRejected = errors.New("credentials rejected")

// ErrProfileExists is matched by Save's error when a profile of that name
// is stored and Login.Overwrite is not set. Nothing was sent or saved.
var ErrProfileExists error = &setupError{"profile exists"}

// existsError names the profile a login would replace. late is set when
// another login stored it while this one was checking its credentials.
type existsError struct {
	name, account string
	late          bool
}

func (e *existsError) Error() string {
	if e.late {
		return fmt.Sprintf("profile %q was stored by another login meanwhile, and replacing it was not asked for: nothing was saved", e.name)
	}
	return fmt.Sprintf("profile %q exists (account %s) and replacing it was not asked for: nothing was sent or saved", e.name, e.account)
}
func (e *existsError) Is(target error) bool { return target == ErrProfileExists }
func (e *existsError) SetupError() bool     { return true }

// setupError is a problem of the set-up, not the API's: SetupError lets a
// command line tell them apart with one errors.As (keystore's and api's
// set-up errors answer the same).
type setupError struct{ msg string }

func (e *setupError) Error() string    { return e.msg }
func (e *setupError) SetupError() bool { return true }

// Check builds a client for l and makes one cheap request with it. A
// profile that could not be saved is refused first (malformed, or a
// keyring that cannot be reached here), so the secret is sent only for a
// login that can succeed.
func (m *Manager) Check(ctx context.Context, l Login) (*Session, error) {
	l = withDefaultStorage(l)
	if err := l.Profile.Validate(); err != nil {
		return nil, err
	}
	creds := api.Credentials{AccountSID: l.Profile.AccountSID, APIKeySID: l.Profile.APIKeySID, Secret: l.Secret}
	if err := creds.Validate(); err != nil {
		return nil, err
	}
	if err := m.store.CheckSave(l.Profile); err != nil {
		return nil, err
	}
	s, err := m.sessionFor(l.Profile, creds, sourceOf(l.Profile.Storage))
	if err != nil {
		return nil, err
	}
	if err := ping(ctx, s.Client); err != nil {
		if apiErr, ok := api.AsError(err); ok && (apiErr.Status == http.StatusUnauthorized || apiErr.Status == http.StatusForbidden) {
			return nil, fmt.Errorf("%w: %w", ErrRejected, err)
		}
		return nil, fmt.Errorf("could not check the credentials: %w", err)
	}
	return s, nil
}

// Save checks l, then stores the profile and its secret. Nothing is saved
// when the check fails. It returns the session and where the secret went.
// What can be known here is settled before the secret is sent: a profile
// that exists (unless l.Overwrite), and the passphrase of a new encrypted
// file (asked for now when l.Passphrase is empty).
func (m *Manager) Save(ctx context.Context, l Login) (*Session, string, error) {
	l = withDefaultStorage(l)
	if err := m.Refuse(ctx, l); err != nil {
		return nil, "", err
	}
	if l.Profile.Storage == keystore.StorageFile && l.Passphrase == "" {
		pass, err := m.store.NewPassphrase(ctx, l.Profile.Name)
		if err != nil {
			return nil, "", err
		}
		l.Passphrase = pass
	}
	s, err := m.Check(ctx, l)
	if err != nil {
		return nil, "", err
	}
	if l.Passphrase != "" {
		ctx = WithPassphrase(ctx, l.Passphrase)
	}
	save := m.store.SaveNew
	if l.Overwrite {
		save = m.store.Save
	}
	if err := save(ctx, l.Profile, l.Secret); err != nil {
		if errors.Is(err, keystore.ErrProfileExists) {
			return nil, "", &existsError{name: l.Profile.Name, late: true}
		}
		return nil, "", err
	}
	return s, m.Where(l.Profile), nil
}

// Refuse reports what would make Save fail whatever the secret, so that a
// login can refuse before it asks for the secret or sends it: a malformed
// profile (region, edge, SIDs), an endpoint no client would use (plain
// http to a remote host…), a config that cannot be trusted or read, a
// keyring this host cannot reach or that does not answer in time
// (keystore's Preflight), a profile that is stored already (unless
// l.Overwrite). l.Secret and l.Passphrase are not looked at, and nothing
// is sent.
func (m *Manager) Refuse(ctx context.Context, l Login) error {
	l = withDefaultStorage(l)
	if err := l.Profile.Validate(); err != nil {
		return err
	}
	if _, err := m.endpoint(l.Profile); err != nil {
		return err
	}
	if !l.Overwrite {
		if err := m.refuseExisting(ctx, l.Profile.Name); err != nil {
			return err
		}
	}
	return m.store.Preflight(ctx, l.Profile)
}

// endpoint is the base URL p's requests go to with these settings, from
// the client's own checks with a stand-in secret: a client is built and
// dropped, nothing is sent.
func (m *Manager) endpoint(p keystore.Profile) (*url.URL, error) {
	stand := api.Credentials{AccountSID: p.AccountSID, APIKeySID: p.APIKeySID, Secret: "unchecked"}
	s, err := m.sessionFor(p, stand, sourceOf(p.Storage))
	if err != nil {
		return nil, err
	}
	s.Client.Close()
	return url.Parse(s.Client.BaseURL())
}

// refuseExisting is ErrProfileExists when name is stored.
func (m *Manager) refuseExisting(ctx context.Context, name string) error {
	p, err := m.store.Profile(ctx, name)
	switch {
	case err == nil:
		return &existsError{name: name, account: p.AccountSID}
	case errors.Is(err, keystore.ErrProfileNotFound):
		return nil
	}
	return err
}

// withDefaultStorage puts the secret in the OS keyring unless told otherwise.
func withDefaultStorage(l Login) Login {
	if l.Profile.Storage == "" {
		l.Profile.Storage = keystore.StorageKeyring
	}
	return l
}

// Where says in words where a profile's secret lives.
func (m *Manager) Where(p keystore.Profile) string {
	if p.Storage == keystore.StorageFile {
		return "encrypted with your passphrase in " + m.store.SecretFile(p.Name)
	}
	return fmt.Sprintf("in the OS keyring (service %q, account %q)", keystore.KeyringService, p.Name)
}

func sourceOf(s keystore.Storage) keystore.Source {
	if s == keystore.StorageFile {
		return keystore.SourceFile
	}
	return keystore.SourceKeyring
}

// errStop ends a listing after its first page.
var errStop = errors.New("stop")

// ping makes one request: the first page of the services list.
func ping(ctx context.Context, c *api.Client) error {
	err := c.ListServicesPages(ctx, func([]api.Service) error { return errStop })
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// Status is a profile and whether its secret can be read now.
type Status struct {
	Profile   keystore.Profile
	Default   bool
	Where     string
	Reachable error // nil when reachable
	// APIHost is the host (and port, if any) the profile's requests, and
	// so its secret, go to: its API URL, region and edge, as the settings
	// override them. "" when no client would use them: see Endpoint.
	APIHost  string
	Endpoint error
}

// Profiles lists the stored profiles with their state.
func (m *Manager) Profiles(ctx context.Context) ([]Status, error) {
	profiles, def, err := m.store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(profiles))
	for _, p := range profiles {
		st := Status{Profile: p, Default: p.Name == def, Where: m.Where(p), Reachable: m.store.Reachable(ctx, p)}
		if u, err := m.endpoint(p); err != nil {
			st.Endpoint = err
		} else {
			st.APIHost = u.Host
		}
		out = append(out, st)
	}
	return out, nil
}

// passphraseKey carries a passphrase typed into a form to the keystore's
// callback for the one call it was typed for.
type passphraseKey struct{}

// WithPassphrase returns ctx carrying a passphrase for the file store.
func WithPassphrase(ctx context.Context, pass string) context.Context {
	return context.WithValue(ctx, passphraseKey{}, pass)
}

// Passphrase builds keystore.Options.Passphrase: a passphrase carried by
// the context (typed into the dashboard's form) wins; else fallback (a
// terminal prompt or SENDERPOOL_PASSPHRASE).
func Passphrase(fallback func(ctx context.Context, confirm bool) (string, error)) func(context.Context, bool) (string, error) {
	return func(ctx context.Context, confirm bool) (string, error) {
		if p, ok := ctx.Value(passphraseKey{}).(string); ok && p != "" {
			return p, nil
		}
		if fallback == nil {
			return "", keystore.ErrNoPassphrase
		}
		return fallback(ctx, confirm)
	}
}
