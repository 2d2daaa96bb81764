package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/senderpool/senderpool/api"
)

const uiCanary = "CANARY-ui-secret-42"

// fakeSessions records logins and switches.
type fakeSessions struct {
	mu       sync.Mutex
	client   Client
	logins   []LoginRequest
	loginErr error
	switched []string
	entries  []ProfileEntry
}

func (s *fakeSessions) Login(ctx context.Context, r LoginRequest) (Connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins = append(s.logins, r)
	if s.loginErr != nil {
		return Connection{}, s.loginErr
	}
	return Connection{Client: s.client, Identity: Identity{Profile: r.Profile, Source: r.Storage, AccountSID: r.AccountSID}, Where: "in the OS keyring"}, nil
}

func (s *fakeSessions) Switch(ctx context.Context, req SwitchRequest) (Connection, error) {
	name := req.Profile
	s.mu.Lock()
	defer s.mu.Unlock()
	s.switched = append(s.switched, name)
	if name == "broken" {
		return Connection{}, errors.New("no OS keyring reachable: ways out: …")
	}
	return Connection{Client: s.client, Identity: Identity{Profile: name, Source: "keyring", AccountSID: "AC" + strings.Repeat("b", 32), ReadOnly: name == "prod"}, DefaultService: svcSID(1)}, nil
}

func (s *fakeSessions) Profiles(ctx context.Context) ([]ProfileEntry, error) {
	return s.entries, nil
}

func loginModel(t *testing.T, sess *fakeSessions) Model {
	t.Helper()
	return start(t, newTestModel(t, nil, 100, 30, func(o *Options) {
		o.Client = nil
		o.Identity = Identity{}
		o.Sessions = sess
		o.LoginReason = "no OS keyring reachable"
	}))
}

func TestLoginScreenWhenNoCredentials(t *testing.T) {
	sess := &fakeSessions{client: newFakeClient()}
	m := loginModel(t, sess)
	s := rendered(m)
	if shown(m) != onLogin || !strings.Contains(s, "Log in to Twilio") || !strings.Contains(s, "no OS keyring reachable") {
		t.Fatalf("no login screen:\n%s", s)
	}
	// Refused before any I/O: a malformed account SID.
	m = typeText(t, m, "AC123")
	m = press(t, m, "enter")
	if len(sess.logins) != 0 || !strings.Contains(rendered(m), "expected AC followed by 32 hex digits") {
		t.Fatalf("malformed SID not refused:\n%s", rendered(m))
	}
	m = setLoginField(m, fieldAccount, "")
	m = typeText(t, m, "AC"+strings.Repeat("a", 32))
	m = press(t, m, "tab", "tab")
	m = typeText(t, m, uiCanary)
	checkWidth(t, m)
	if strings.Contains(rendered(m), uiCanary) {
		t.Fatal("the secret is shown unmasked")
	}
	m = press(t, m, "enter")
	if len(sess.logins) != 1 || sess.logins[0].Secret != uiCanary || sess.logins[0].Storage != "keyring" {
		t.Fatalf("login request %+v", sess.logins)
	}
	if shown(m) != onServices || !strings.Contains(rendered(m), "Acme Notifications") || !strings.Contains(rendered(m), "logged in") {
		t.Fatalf("not on the services after login:\n%s", rendered(m))
	}
	if strings.Contains(rendered(m), uiCanary) {
		t.Fatal("the secret is on screen")
	}
}

func TestLoginFailureKeepsForm(t *testing.T) {
	sess := &fakeSessions{client: newFakeClient(), loginErr: &api.Error{Status: 401, Code: 20003, Message: "Authenticate", MoreInfo: "https://www.twilio.com/docs/errors/20003"}}
	m := loginModel(t, sess)
	m = typeText(t, m, "AC"+strings.Repeat("a", 32))
	m = press(t, m, "tab", "tab")
	m = typeText(t, m, "wrong")
	m = press(t, m, "tab", "right", "tab") // the encrypted file needs a passphrase
	m = press(t, m, "enter")
	if len(sess.logins) != 0 || !strings.Contains(rendered(m), "needs a passphrase") {
		t.Fatalf("file storage without a passphrase not refused:\n%s", rendered(m))
	}
	m = typeText(t, m, "pass")
	m = press(t, m, "enter")
	if len(sess.logins) != 1 || sess.logins[0].Storage != "file" || sess.logins[0].Passphrase != "pass" {
		t.Fatalf("login request %+v", sess.logins)
	}
	s := rendered(m)
	if shown(m) != onLogin || !strings.Contains(s, "Authenticate") || !strings.Contains(s, "20003") {
		t.Fatalf("failure not shown on the form:\n%s", s)
	}
	if loginOf(m).value(fieldAccount) != "AC"+strings.Repeat("a", 32) {
		t.Fatal("the form lost what was typed")
	}
}

func TestProfileSwitcher(t *testing.T) {
	sess := &fakeSessions{client: newFakeClient(), entries: []ProfileEntry{
		{Name: "dev", AccountSID: "AC" + strings.Repeat("a", 32), Auth: "API key", Storage: "keyring", Default: true},
		{Name: "prod", AccountSID: "AC" + strings.Repeat("b", 32), Auth: "auth token", Storage: "keyring"},
		{Name: "broken", AccountSID: "AC" + strings.Repeat("c", 32), Auth: "auth token", Storage: "keyring", Problem: "no OS keyring reachable"},
	}}
	m := start(t, newTestModel(t, newFakeClient(), 100, 30, func(o *Options) {
		o.Sessions = sess
		o.Identity = Identity{Profile: "dev", Source: "keyring", AccountSID: "AC" + strings.Repeat("a", 32)}
	}))
	m = press(t, m, "p")
	s := rendered(m)
	for _, want := range []string{"Profiles", "dev", "prod", "[in use, default]", "✗ no OS keyring reachable"} {
		if !strings.Contains(s, want) {
			t.Fatalf("switcher lacks %q:\n%s", want, s)
		}
	}
	m = press(t, m, "j", "j", "enter")
	if !strings.Contains(rendered(m), "✗ no OS keyring reachable") || shown(m) != onProfiles {
		t.Fatalf("a failed switch is not explained:\n%s", rendered(m))
	}
	m = press(t, m, "k", "enter")
	if m.c.identity.Profile != "prod" || !m.c.identity.ReadOnly {
		t.Fatalf("did not switch to prod: %+v", m.c.identity)
	}
	if shown(m) != onSenders || !strings.Contains(rendered(m), "prod (keyring)") || !strings.Contains(rendered(m), "READ-ONLY") {
		t.Fatalf("header does not show the new profile, its source and read-only:\n%s", rendered(m))
	}
	if lists(&m.c, m.top(), m.c.keys.Senders.Attach) {
		t.Fatal("a read-only profile still offers attach")
	}
}

func TestNoProfilesKeyInDemo(t *testing.T) {
	m := start(t, newTestModel(t, newFakeClient(), 100, 30, func(o *Options) { o.Sessions = &fakeSessions{} }))
	m = press(t, m, "p")
	if shown(m) == onProfiles {
		t.Fatal("p opened profiles in the demo")
	}
}

// TestLoginWithoutKeyringOffersTheFile: on a host where the OS keyring
// cannot work, the form starts on the encrypted file, says why, and will
// not send a request that would only fail after the credential check.
func TestLoginWithoutKeyringOffersTheFile(t *testing.T) {
	sess := &fakeSessions{client: newFakeClient()}
	m := start(t, newTestModel(t, nil, 80, 24, func(o *Options) {
		o.Client, o.Identity, o.Sessions = nil, Identity{}, sess
		o.NoKeyring = "no OS keyring reachable: no D-Bus session bus"
	}))
	s := rendered(m)
	if !strings.Contains(s, "(•) encrypted file") || !strings.Contains(s, "! no OS keyring reachable: no D-Bus session bus") {
		t.Fatalf("the form does not start on the file, saying why:\n%s", s)
	}
	checkWidth(t, m)
	m = typeText(t, m, "AC"+strings.Repeat("a", 32))
	m = press(t, m, "tab", "tab")
	m = typeText(t, m, uiCanary)
	m = press(t, m, "tab", "left") // storage: back to the keyring
	m = press(t, m, "enter")
	if len(sess.logins) != 0 || !strings.Contains(rendered(m), "cannot be used on this host") {
		t.Fatalf("a keyring login was sent (%d) or not refused:\n%s", len(sess.logins), rendered(m))
	}
	m = press(t, m, "right", "tab")
	m = typeText(t, m, "pass phrase")
	m = press(t, m, "enter")
	if len(sess.logins) != 1 || sess.logins[0].Storage != "file" || sess.logins[0].Passphrase != "pass phrase" {
		t.Fatalf("login request %+v\n%s", sess.logins, rendered(m))
	}
}
