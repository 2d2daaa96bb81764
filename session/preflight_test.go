package session_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
)

// hungKeyring never answers, as a wedged Secret Service.
type hungKeyring struct{ release chan struct{} }

func (h hungKeyring) Get(string, string) (string, error) { <-h.release; return "", errors.New("late") }
func (h hungKeyring) Set(string, string, string) error   { <-h.release; return errors.New("late") }
func (h hungKeyring) Delete(string, string) error        { <-h.release; return errors.New("late") }

// TestLocalChecksBeforeAnyRequest: a login that a local problem would
// stop (a config that cannot be read, trusted or parsed, a keyring that is
// locked or does not answer, a malformed region or edge) is refused by
// Refuse and by Save before a single request: the server fails the test
// if anything reaches it. Replacing a profile (Overwrite) skips no check.
func TestLocalChecksBeforeAnyRequest(t *testing.T) {
	valid := `{"version":1,"profiles":[{"name":"work","account_sid":"` + otherAcct + `","storage":"keyring"}]}`
	writeConfig := func(content string, mode os.FileMode) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, keystore.ConfigFileName)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name    string
		unix    bool
		setup   func(t *testing.T, dir string)
		keyring func(t *testing.T) keystore.Keyring
		profile keystore.Profile
		want    error
	}{
		{name: "corrupt config", setup: writeConfig(`{"version":1,`, 0o600), want: keystore.ErrConfigCorrupt},
		{name: "config too large", setup: writeConfig(valid+strings.Repeat(" ", keystore.MaxConfigSize), 0o600), want: keystore.ErrConfigCorrupt},
		{name: "config writable by others", unix: true, setup: writeConfig(valid, 0o666), want: keystore.ErrConfigUnsafe},
		{name: "config is a directory", setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, keystore.ConfigFileName), 0o700); err != nil {
				t.Fatal(err)
			}
		}, want: keystore.ErrConfigUnsafe},
		{name: "keyring does not answer", keyring: func(t *testing.T) keystore.Keyring {
			h := hungKeyring{release: make(chan struct{})}
			t.Cleanup(func() { close(h.release) })
			return h
		}, want: keystore.ErrKeyringTimeout},
		{name: "keyring locked", keyring: func(*testing.T) keystore.Keyring { return brokenKeyring{} }, want: keystore.ErrNoKeyring},
		{name: "region not a label", profile: keystore.Profile{Region: "ie1.evil.example"}, want: keystore.ErrInvalidProfile},
		{name: "edge not a label", profile: keystore.Profile{Edge: "dublin/x"}, want: keystore.ErrInvalidProfile},
	}
	for _, tt := range tests {
		for _, overwrite := range []bool{false, true} {
			name := tt.name
			if overwrite {
				name += ", replacing"
			}
			t.Run(name, func(t *testing.T) {
				if tt.unix && runtime.GOOS == "windows" {
					t.Skip("Unix permissions")
				}
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					t.Errorf("a request (%s %s) before the local checks passed", r.Method, r.URL)
					w.WriteHeader(http.StatusTeapot)
				}))
				t.Cleanup(srv.Close)
				dir := filepath.Join(t.TempDir(), "senderpool")
				if tt.setup != nil {
					tt.setup(t, dir)
				}
				var kr keystore.Keyring = newMemKeyring()
				if tt.keyring != nil {
					kr = tt.keyring(t)
				}
				store, err := keystore.Open(keystore.Options{
					Dir: dir, Getenv: env{}.get, Keyring: kr, Timeout: 100 * time.Millisecond,
					Passphrase: session.Passphrase(fixed(pass)), ScryptWorkFactor: 10,
				})
				if err != nil {
					t.Fatal(err)
				}
				m := session.NewManager(store, session.Settings{APIURL: srv.URL})
				p := tt.profile
				p.Name, p.AccountSID = "work", acct
				l := session.Login{Profile: p, Secret: token, Overwrite: overwrite}

				start := time.Now()
				if err := m.Refuse(t.Context(), l); !errors.Is(err, tt.want) {
					t.Errorf("Refuse = %v, want %v", err, tt.want)
				}
				_, _, err = m.Save(t.Context(), l)
				if !errors.Is(err, tt.want) {
					t.Errorf("Save = %v, want %v", err, tt.want)
				}
				var setup interface{ SetupError() bool }
				if !errors.As(err, &setup) || !setup.SetupError() {
					t.Errorf("%v is not a set-up error", err)
				}
				noCanary(t, err)
				if took := time.Since(start); took > 5*time.Second {
					t.Errorf("took %s", took)
				}
			})
		}
	}
}

// TestProfilesAPIHost: each profile's host, as the settings override it.
func TestProfilesAPIHost(t *testing.T) {
	profiles := []keystore.Profile{
		{Name: "plain", AccountSID: acct},
		{Name: "dublin", AccountSID: acct, Region: "ie1", Edge: "dublin"},
		{Name: "mock", AccountSID: acct, APIURL: "http://127.0.0.1:4010"},
		{Name: "remote-http", AccountSID: acct, APIURL: "http://example.com"},
	}
	tests := []struct {
		settings session.Settings
		want     map[string]string // "" when no client would use it
	}{
		{session.Settings{}, map[string]string{"plain": "messaging.twilio.com", "dublin": "messaging.dublin.ie1.twilio.com", "mock": "127.0.0.1:4010", "remote-http": ""}},
		{session.Settings{Region: "au1"}, map[string]string{"plain": "messaging.au1.twilio.com", "dublin": "messaging.dublin.au1.twilio.com", "mock": "127.0.0.1:4010", "remote-http": ""}},
		{session.Settings{APIURL: "https://proxy.example"}, map[string]string{"plain": "proxy.example", "dublin": "proxy.example", "mock": "proxy.example", "remote-http": "proxy.example"}},
	}
	dir := filepath.Join(t.TempDir(), "senderpool")
	kr := newMemKeyring()
	seed := newManager(t, managerOpts{dir: dir, keyring: kr})
	for _, p := range profiles {
		store(t, seed, p, token)
	}
	for _, tt := range tests {
		m := newManager(t, managerOpts{dir: dir, keyring: kr, settings: tt.settings})
		list, err := m.Profiles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			want := tt.want[st.Profile.Name]
			if st.APIHost != want || (want == "") != (st.Endpoint != nil) {
				t.Errorf("%+v: %s: host %q (%v), want %q", tt.settings, st.Profile.Name, st.APIHost, st.Endpoint, want)
			}
		}
	}
}
