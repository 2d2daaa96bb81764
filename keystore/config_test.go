package keystore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
)

func TestConfigRoundTripPermissionsNoSecret(t *testing.T) {
	t.Parallel()
	kr := newMemKeyring()
	dir := filepath.Join(t.TempDir(), "nested", "senderpool")
	s := newStore(t, Options{Dir: dir, Keyring: kr})
	full := Profile{
		Name: "prod-eu.1", AccountSID: acctA, APIKeySID: keyA, Region: "ie1", Edge: "dublin",
		ReadOnly: true, DefaultService: svcA, APIURL: "http://127.0.0.1:4010", Storage: StorageKeyring,
	}
	mustSave(t, s, full, canary)
	mustSave(t, s, Profile{Name: "alpha", AccountSID: acctB}, canary+"-2") // Storage "" = keyring

	checkMode(t, dir, 0o700)
	checkMode(t, s.ConfigFile(), 0o600)
	data := readFile(t, s.ConfigFile())
	if bytes.Contains(data, []byte(canary)) || bytes.Contains(data, []byte("canary")) {
		t.Fatalf("config file holds the secret:\n%s", data)
	}
	for _, want := range []string{`"account_sid"`, `"api_key_sid"`, `"default_service"`, `"read_only": true`, `"api_url"`, `"storage": "keyring"`, `"default_profile": "prod-eu.1"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("config file lacks %s:\n%s", want, data)
		}
	}
	// no temp files left behind
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 || entries[0].Name() != ConfigFileName || entries[1].Name() != LockFileName {
		t.Errorf("dir holds %v, want only the lock and config.json", entries)
	}
	checkMode(t, filepath.Join(dir, LockFileName), 0o600)

	// A second Store on the same dir sees the same thing.
	s2 := newStore(t, Options{Dir: dir, Keyring: kr})
	got, def, err := s2.Profiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	alpha := Profile{Name: "alpha", AccountSID: acctB, Storage: StorageKeyring}
	if want := []Profile{alpha, full}; !reflect.DeepEqual(got, want) {
		t.Errorf("Profiles = %+v\nwant %+v", got, want)
	}
	if def != "prod-eu.1" {
		t.Errorf("default = %q, want the first saved, prod-eu.1", def)
	}
	p, err := s2.Profile(t.Context(), "prod-eu.1")
	if err != nil || !reflect.DeepEqual(p, full) {
		t.Errorf("Profile = %+v, %v", p, err)
	}
	if v, _ := kr.Item(KeyringService, "prod-eu.1"); v != canary {
		t.Errorf("keyring item = %q", v)
	}
}

func TestConfigMissingIsEmpty(t *testing.T) {
	t.Parallel()
	s := newStore(t, Options{})
	ps, def, err := s.Profiles(t.Context())
	if err != nil || len(ps) != 0 || def != "" {
		t.Fatalf("Profiles on no file = %v, %q, %v", ps, def, err)
	}
	if _, err := os.Stat(s.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("reading created the dir: %v", err)
	}
	if _, err := s.Profile(t.Context(), "x"); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("Profile(x) = %v, want ErrProfileNotFound", err)
	}
}

func TestConfigCorrupt(t *testing.T) {
	t.Parallel()
	valid := `{"name":"a","account_sid":"` + acctA + `","storage":"keyring"}`
	tests := []struct {
		name, content, msg string
	}{
		{"empty", ``, "EOF"},
		{"truncated", `{"version":1,"profiles":[`, "unexpected EOF"},
		{"not json", `hello`, "invalid character"},
		{"trailing", `{"version":1,"profiles":[]} {}`, "after the JSON"},
		{"no version", `{"profiles":[]}`, "version"},
		{"newer version", `{"version":9,"profiles":[]}`, "newer"},
		{"bad name", `{"version":1,"profiles":[{"name":"a b","account_sid":"` + acctA + `","storage":"keyring"}]}`, "invalid profile name"},
		{"bad sid", `{"version":1,"profiles":[{"name":"a","account_sid":"AC12","storage":"keyring"}]}`, "invalid account SID"},
		{"bad storage", `{"version":1,"profiles":[{"name":"a","account_sid":"` + acctA + `","storage":"plain"}]}`, "storage"},
		{"duplicate", `{"version":1,"profiles":[` + valid + `,` + valid + `]}`, "twice"},
		{"dangling default", `{"version":1,"default_profile":"b","profiles":[` + valid + `]}`, "default profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kr := newMemKeyring()
			s := newStore(t, Options{Keyring: kr})
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.ConfigFile(), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			check := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, ErrConfigCorrupt) {
					t.Fatalf("%s: err = %v, want ErrConfigCorrupt", what, err)
				}
				if !strings.Contains(err.Error(), s.ConfigFile()) || !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("%s: %q should name %s and say %q", what, err, s.ConfigFile(), tt.msg)
				}
			}
			_, _, err := s.Profiles(t.Context())
			check("Profiles", err)
			_, err = s.Resolve(context.Background(), "")
			check("Resolve", err)
			err = s.Save(context.Background(), keyringProfile("new"), canary)
			check("Save", err)
			check("SetDefault", s.SetDefault(t.Context(), "a"))
			check("Delete", s.Delete(context.Background(), "a"))
			// Never a silent reset, and no secret written for a profile that
			// could not be recorded.
			if got := readFile(t, s.ConfigFile()); string(got) != tt.content {
				t.Errorf("corrupt file was rewritten: %q", got)
			}
			if n := kr.Calls(); n != 0 {
				t.Errorf("keyring called %d times", n)
			}
		})
	}
}

func TestConfigDir(t *testing.T) {
	t.Parallel()
	envDir := filepath.Join(t.TempDir(), "from-env")
	optDir := filepath.Join(t.TempDir(), "from-opts")
	e := env{"SENDERPOOL_CONFIG_DIR": envDir}

	s, err := Open(Options{Getenv: e.get, Keyring: newMemKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir() != envDir {
		t.Errorf("Dir = %q, want SENDERPOOL_CONFIG_DIR %q", s.Dir(), envDir)
	}
	mustSave(t, s, keyringProfile("a"), canary)
	if _, err := os.Stat(filepath.Join(envDir, ConfigFileName)); err != nil {
		t.Errorf("config not written under SENDERPOOL_CONFIG_DIR: %v", err)
	}

	s, err = Open(Options{Dir: optDir, Getenv: e.get, Keyring: newMemKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir() != optDir {
		t.Errorf("Dir = %q, want Options.Dir %q", s.Dir(), optDir)
	}

	s, err = Open(Options{Getenv: env{}.get, Keyring: newMemKeyring()})
	if err != nil {
		t.Skipf("no user config dir here: %v", err)
	}
	if base, err := os.UserConfigDir(); err == nil && s.Dir() != filepath.Join(base, "senderpool") {
		t.Errorf("Dir = %q, want %s/senderpool", s.Dir(), base)
	}
}

func TestDefaultProfileAndDelete(t *testing.T) {
	t.Parallel()
	kr := newMemKeyring()
	s := newStore(t, Options{Keyring: kr})
	ctx := context.Background()
	for _, n := range []string{"b", "a", "c"} {
		mustSave(t, s, keyringProfile(n), canary+n)
	}
	def := func() string {
		t.Helper()
		_, d, err := s.Profiles(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := def(); d != "b" {
		t.Fatalf("default = %q, want the first saved, b", d)
	}
	if err := s.SetDefault(t.Context(), "c"); err != nil {
		t.Fatal(err)
	}
	if d := def(); d != "c" {
		t.Fatalf("default = %q, want c", d)
	}
	if err := s.SetDefault(t.Context(), "zz"); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("SetDefault(zz) = %v, want ErrProfileNotFound", err)
	}
	if err := s.SetDefault(t.Context(), "bad name"); !errors.Is(err, ErrInvalidProfileName) {
		t.Errorf("SetDefault(bad name) = %v, want ErrInvalidProfileName", err)
	}
	if err := s.Delete(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if _, ok := kr.Item(KeyringService, "c"); ok {
		t.Error("Delete left the keyring item")
	}
	if d := def(); d != "a" {
		t.Errorf("default after deleting it = %q, want the first left, a", d)
	}
	if err := s.Delete(ctx, "c"); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("Delete twice = %v, want ErrProfileNotFound", err)
	}
	// A profile whose secret is already gone still deletes.
	if err := kr.Delete(KeyringService, "b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "b"); err != nil {
		t.Errorf("Delete with the secret already gone: %v", err)
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if d := def(); d != "" {
		t.Errorf("default with no profiles = %q", d)
	}
}

func TestDeleteKeepsProfileWhenKeyringUnreachable(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "senderpool")
	mustSave(t, newStore(t, Options{Dir: dir}), keyringProfile("a"), canary)

	s := newStore(t, Options{Dir: dir, Keyring: &failingKeyring{err: errors.New("no Secret Service")}})
	err := s.Delete(context.Background(), "a")
	if !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Delete = %v, want ErrNoKeyring", err)
	}
	if _, err := s.Profile(t.Context(), "a"); err != nil {
		t.Errorf("profile gone although its secret could not be removed: %v", err)
	}
	if err := s.Forget(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Profile(t.Context(), "a"); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("after Forget: %v", err)
	}
}

func TestSaveRollsBackWhenConfigWriteFails(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	tests := []struct {
		name    string
		before  *Profile // saved first, with secret "old"
		profile Profile
	}{
		{"new keyring profile", nil, keyringProfile("a")},
		{"existing keyring profile", ptr(keyringProfile("a")), keyringProfile("a")},
		{"new file profile", nil, fileProfile("a")},
		{"existing file profile", ptr(fileProfile("a")), fileProfile("a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kr := newMemKeyring()
			s := newStore(t, Options{Keyring: kr})
			if tt.before != nil {
				mustSave(t, s, *tt.before, "old")
			}
			var cfgBefore []byte
			if tt.before != nil {
				cfgBefore = readFile(t, s.ConfigFile())
			}
			s.saveConfig = func(string, *configFile) error { return boom }
			err := s.Save(context.Background(), tt.profile, canary)
			if !errors.Is(err, boom) {
				t.Fatalf("Save = %v, want the write error", err)
			}
			s.saveConfig = saveConfig

			if tt.before == nil {
				if _, err := os.Stat(s.ConfigFile()); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("config written: %v", err)
				}
				if _, ok := kr.Item(KeyringService, "a"); ok {
					t.Error("keyring item left behind")
				}
				if _, err := os.Stat(s.SecretFile("a")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("secret file left behind: %v", err)
				}
				return
			}
			if got := readFile(t, s.ConfigFile()); !bytes.Equal(got, cfgBefore) {
				t.Errorf("config changed")
			}
			if got, err := s.Secret(context.Background(), *tt.before); err != nil || got != "old" {
				t.Errorf("secret after rollback = %q, %v; want the old one back", got, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSaveMovesSecretBetweenStorages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	kr := newMemKeyring()
	s := newStore(t, Options{Keyring: kr})
	mustSave(t, s, keyringProfile("a"), canary)
	mustSave(t, s, fileProfile("a"), canary)
	if _, ok := kr.Item(KeyringService, "a"); ok {
		t.Error("moving to the file store left the keyring item")
	}
	if got, err := s.Secret(ctx, fileProfile("a")); err != nil || got != canary {
		t.Errorf("file secret = %q, %v", got, err)
	}
	mustSave(t, s, keyringProfile("a"), canary)
	if _, err := os.Stat(s.SecretFile("a")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("moving to the keyring left the file: %v", err)
	}
	if v, _ := kr.Item(KeyringService, "a"); v != canary {
		t.Errorf("keyring item = %q", v)
	}
}

func TestProfileNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
	}{
		{"a", true},
		{"prod", true},
		{"Prod_EU-1.test", true},
		{strings.Repeat("x", 64), true},
		{"", false},
		{strings.Repeat("x", 65), false},
		{"with space", false},
		{"slash/name", false},
		{`back\slash`, false},
		{"émoji", false},
		{"tab\t", false},
		{"colon:", false},
	}
	for _, tt := range tests {
		err := ValidateProfileName(tt.name)
		if tt.ok != (err == nil) {
			t.Errorf("ValidateProfileName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidProfileName) || !strings.Contains(err.Error(), "A-Z a-z 0-9 . _ -") {
				t.Errorf("ValidateProfileName(%q) = %q: want ErrInvalidProfileName saying what is allowed", tt.name, err)
			}
		}
	}
}

func TestProfileValidate(t *testing.T) {
	t.Parallel()
	base := keyringProfile("a")
	tests := []struct {
		name   string
		mutate func(*Profile)
		want   error
	}{
		{"ok", func(*Profile) {}, nil},
		{"ok api key, region, edge, url", func(p *Profile) {
			p.APIKeySID, p.Region, p.Edge, p.APIURL, p.DefaultService = keyA, "ie1", "dublin", "https://messaging.example.com/x", svcA
		}, nil},
		{"bad name", func(p *Profile) { p.Name = "a/b" }, ErrInvalidProfileName},
		{"no account", func(p *Profile) { p.AccountSID = "" }, api.ErrInvalidSID},
		{"account with wrong prefix", func(p *Profile) { p.AccountSID = "MG" + acctA[2:] }, api.ErrInvalidSID},
		{"bad key", func(p *Profile) { p.APIKeySID = "SKnothex" }, api.ErrInvalidSID},
		{"bad service", func(p *Profile) { p.DefaultService = acctA }, api.ErrInvalidSID},
		{"bad storage", func(p *Profile) { p.Storage = "plaintext" }, ErrInvalidProfile},
		{"bad region", func(p *Profile) { p.Region = "ie1.evil.com" }, ErrInvalidProfile},
		{"bad edge", func(p *Profile) { p.Edge = "-x" }, ErrInvalidProfile},
		{"relative url", func(p *Profile) { p.APIURL = "/v1" }, ErrInvalidProfile},
		{"ftp url", func(p *Profile) { p.APIURL = "ftp://x" }, ErrInvalidProfile},
		{"url with user", func(p *Profile) { p.APIURL = "https://u:p@x" }, ErrInvalidProfile},
	}
	for _, tt := range tests {
		p := base
		tt.mutate(&p)
		err := p.Validate()
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: Validate = %v, want %v", tt.name, err, tt.want)
		}
	}
	s := newStore(t, Options{})
	for _, secret := range []string{"", "abc\n", "a\x00b"} {
		if err := s.Save(context.Background(), base, secret); !errors.Is(err, ErrInvalidProfile) {
			t.Errorf("Save with secret %q = %v, want ErrInvalidProfile", secret, err)
		}
	}
	if p := (Profile{APIKeySID: keyA}); p.AuthKind() != AuthAPIKey {
		t.Error("AuthKind with an API key")
	}
	if base.AuthKind() != AuthToken {
		t.Error("AuthKind without an API key")
	}
}

func TestOpenOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    Options
		timeout time.Duration
		factor  int
		wantErr bool
	}{
		{"defaults", Options{}, DefaultKeyringTimeout, DefaultScryptWorkFactor, false},
		{"env timeout", Options{Getenv: env{"SENDERPOOL_KEYRING_TIMEOUT": "750ms"}.get}, 750 * time.Millisecond, 18, false},
		{"option beats env", Options{Timeout: time.Second, Getenv: env{"SENDERPOOL_KEYRING_TIMEOUT": "750ms"}.get}, time.Second, 18, false},
		{"bad env timeout", Options{Getenv: env{"SENDERPOOL_KEYRING_TIMEOUT": "3"}.get}, 0, 0, true},
		{"zero env timeout", Options{Getenv: env{"SENDERPOOL_KEYRING_TIMEOUT": "0s"}.get}, 0, 0, true},
		{"negative timeout", Options{Timeout: -1}, 0, 0, true},
		{"work factor", Options{ScryptWorkFactor: 10}, DefaultKeyringTimeout, 10, false},
		{"work factor too big", Options{ScryptWorkFactor: 40}, 0, 0, true},
	}
	for _, tt := range tests {
		tt.opts.Dir = t.TempDir()
		if tt.opts.Getenv == nil {
			tt.opts.Getenv = env{}.get
		}
		s, err := Open(tt.opts)
		if tt.wantErr {
			if !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("%s: Open = %v, want ErrInvalidOptions", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if s.Timeout() != tt.timeout || s.workFactor != tt.factor {
			t.Errorf("%s: timeout %s factor %d, want %s %d", tt.name, s.Timeout(), s.workFactor, tt.timeout, tt.factor)
		}
	}
}
