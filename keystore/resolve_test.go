package keystore

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	// Stored: "ks" (keyring, auth token, read-only, default service, the
	// default profile) and "fs" (file store, API key, region ie1).
	dir := filepath.Join(t.TempDir(), "senderpool")
	kr := newMemKeyring()
	seed := newStore(t, Options{Dir: dir, Keyring: kr})
	ks := Profile{Name: "ks", AccountSID: acctA, ReadOnly: true, DefaultService: svcA, APIURL: "http://127.0.0.1:9", Storage: StorageKeyring}
	fs := Profile{Name: "fs", AccountSID: acctA, APIKeySID: keyA, Region: "ie1", Edge: "dublin", Storage: StorageFile}
	mustSave(t, seed, ks, "token-ks")
	mustSave(t, seed, fs, "secret-fs")

	withRegion := func(p Profile, region, edge string) Profile { p.Region, p.Edge = region, edge; return p }
	envProfile := func(p Profile, acct, key string) Profile {
		if p.AccountSID != acct {
			p.DefaultService = ""
		}
		p.AccountSID, p.APIKeySID = acct, key
		return p
	}
	tests := []struct {
		name    string
		arg     string
		env     env
		want    Resolved
		wantErr error
	}{
		{"default profile from keyring", "", env{},
			Resolved{ks, api.Credentials{AccountSID: acctA, Secret: "token-ks"}, SourceKeyring}, nil},
		{"named profile from file", "fs", env{},
			Resolved{fs, api.Credentials{AccountSID: acctA, APIKeySID: keyA, Secret: "secret-fs"}, SourceFile}, nil},
		{"SENDERPOOL_PROFILE", "", env{"SENDERPOOL_PROFILE": "fs"},
			Resolved{fs, api.Credentials{AccountSID: acctA, APIKeySID: keyA, Secret: "secret-fs"}, SourceFile}, nil},
		{"argument beats SENDERPOOL_PROFILE", "ks", env{"SENDERPOOL_PROFILE": "fs"},
			Resolved{ks, api.Credentials{AccountSID: acctA, Secret: "token-ks"}, SourceKeyring}, nil},
		{"env token beats stored", "", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_AUTH_TOKEN": "env-token"},
			Resolved{envProfile(ks, acctA, ""), api.Credentials{AccountSID: acctA, Secret: "env-token"}, SourceEnv}, nil},
		{"env API key beats env token", "", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_AUTH_TOKEN": "env-token", "TWILIO_API_KEY": keyB, "TWILIO_API_SECRET": "env-key-secret"},
			Resolved{envProfile(ks, acctA, keyB), api.Credentials{AccountSID: acctA, APIKeySID: keyB, Secret: "env-key-secret"}, SourceEnv}, nil},
		{"env beats named file profile", "fs", env{"TWILIO_ACCOUNT_SID": acctB, "TWILIO_AUTH_TOKEN": "env-token"},
			Resolved{envProfile(fs, acctB, ""), api.Credentials{AccountSID: acctB, Secret: "env-token"}, SourceEnv}, nil},
		{"env other account drops the default service, keeps read-only", "", env{"TWILIO_ACCOUNT_SID": acctB, "TWILIO_AUTH_TOKEN": "env-token"},
			Resolved{envProfile(ks, acctB, ""), api.Credentials{AccountSID: acctB, Secret: "env-token"}, SourceEnv}, nil},
		{"account SID alone is ignored", "", env{"TWILIO_ACCOUNT_SID": acctB},
			Resolved{ks, api.Credentials{AccountSID: acctA, Secret: "token-ks"}, SourceKeyring}, nil},
		{"region and edge from env over stored", "fs", env{"TWILIO_REGION": "au1", "TWILIO_EDGE": "sydney"},
			Resolved{withRegion(fs, "au1", "sydney"), api.Credentials{AccountSID: acctA, APIKeySID: keyA, Secret: "secret-fs"}, SourceFile}, nil},
		{"region alone from env", "fs", env{"TWILIO_REGION": "au1"},
			Resolved{withRegion(fs, "au1", "dublin"), api.Credentials{AccountSID: acctA, APIKeySID: keyA, Secret: "secret-fs"}, SourceFile}, nil},
		{"region from env with env credentials", "", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_AUTH_TOKEN": "t", "TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin"},
			Resolved{withRegion(envProfile(ks, acctA, ""), "ie1", "dublin"), api.Credentials{AccountSID: acctA, Secret: "t"}, SourceEnv}, nil},
		{"named profile missing", "nope", env{}, Resolved{}, ErrProfileNotFound},
		{"named profile missing even with env", "nope", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_AUTH_TOKEN": "t"}, Resolved{}, ErrProfileNotFound},
		{"SENDERPOOL_PROFILE missing", "", env{"SENDERPOOL_PROFILE": "nope"}, Resolved{}, ErrProfileNotFound},
		{"bad profile name", "a b", env{}, Resolved{}, ErrInvalidProfileName},
		{"API key without secret", "", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_API_KEY": keyA, "TWILIO_AUTH_TOKEN": "t"}, Resolved{}, ErrIncompleteEnv},
		{"API secret without key", "", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_API_SECRET": "s"}, Resolved{}, ErrIncompleteEnv},
		{"token without account", "", env{"TWILIO_AUTH_TOKEN": "t"}, Resolved{}, ErrIncompleteEnv},
		{"bad env account", "", env{"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "t"}, Resolved{}, api.ErrInvalidSID},
		{"bad env key", "", env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_API_KEY": "XX", "TWILIO_API_SECRET": "s"}, Resolved{}, api.ErrInvalidSID},
		{"bad env region", "", env{"TWILIO_REGION": "ie1.evil"}, Resolved{}, ErrInvalidProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t, Options{Dir: dir, Keyring: kr, Getenv: tt.env.get})
			got, err := s.Resolve(context.Background(), tt.arg)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Resolve = %v, %v; want %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Profile != tt.want.Profile || got.Credentials != tt.want.Credentials || got.Source != tt.want.Source {
				t.Errorf("Resolve =\n%#v (secret as wanted: %v)\nwant\n%#v", got, got.Credentials.Secret == tt.want.Credentials.Secret, tt.want)
			}
		})
	}
}

func TestResolveNothing(t *testing.T) {
	t.Parallel()
	s := newStore(t, Options{})
	_, err := s.Resolve(context.Background(), "")
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("Resolve = %v, want ErrNoCredentials", err)
	}
	for _, want := range []string{"senderpool login", "--storage file", "TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_AUTH_TOKEN", "--demo"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ErrNoCredentials message lacks %q: %v", want, err)
		}
	}
}

func TestResolveEnvOnly(t *testing.T) {
	t.Parallel()
	kr := newMemKeyring()
	s := newStore(t, Options{Keyring: kr, Getenv: env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_API_KEY": keyA, "TWILIO_API_SECRET": canary}.get})
	r, err := s.Resolve(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := Resolved{
		Profile:     Profile{AccountSID: acctA, APIKeySID: keyA},
		Credentials: api.Credentials{AccountSID: acctA, APIKeySID: keyA, Secret: canary},
		Source:      SourceEnv,
	}
	if r.Profile != want.Profile || r.Credentials != want.Credentials || r.Source != want.Source {
		t.Errorf("Resolve = %#v", r)
	}
	if kr.Calls() != 0 {
		t.Error("environment credentials still touched the keyring")
	}
}

// TestResolveEnvNeedsNoKeyring: with env credentials a dead keyring does not
// matter (the jump-host case).
func TestResolveEnvNeedsNoKeyring(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "senderpool")
	mustSave(t, newStore(t, Options{Dir: dir}), keyringProfile("a"), "stored")
	h := newHangingKeyring(t)
	s := newStore(t, Options{Dir: dir, Keyring: h, Getenv: env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_AUTH_TOKEN": "t"}.get})
	r, err := s.Resolve(context.Background(), "")
	if err != nil || r.Source != SourceEnv || r.Profile.Name != "a" {
		t.Fatalf("Resolve = %v, %v", r, err)
	}
	if h.calls.Load() != 0 {
		t.Error("keyring called although the environment has credentials")
	}
}

// TestResolveEmptyStoredSecret: an item emptied behind our back (secret-tool,
// Keychain Access) is reported, not sent as an empty password.
func TestResolveEmptyStoredSecret(t *testing.T) {
	t.Parallel()
	kr := newMemKeyring()
	s := newStore(t, Options{Keyring: kr})
	mustSave(t, s, keyringProfile("a"), canary)
	if err := kr.Set(KeyringService, "a", ""); err != nil {
		t.Fatal(err)
	}
	_, err := s.Resolve(context.Background(), "a")
	if !errors.Is(err, api.ErrNoSecret) || !strings.Contains(err.Error(), "senderpool login --profile a") {
		t.Fatalf("Resolve = %v, want api.ErrNoSecret with the way out", err)
	}
}
