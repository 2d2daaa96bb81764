package keystore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// recordingPass answers pass and records the confirm flags it was asked with.
type recordingPass struct {
	pass string
	mu   sync.Mutex
	asks []bool
}

func (r *recordingPass) fn(_ context.Context, confirm bool) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asks = append(r.asks, confirm)
	return r.pass, nil
}

func TestFileStoreRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	kr := newMemKeyring()
	rp := &recordingPass{pass: passCanary}
	s := newStore(t, Options{Keyring: kr, Passphrase: rp.fn})
	p := fileProfile("jump-host")
	mustSave(t, s, p, canary)

	path := s.SecretFile("jump-host")
	if filepath.Dir(path) != s.Dir() || filepath.Base(path) != "jump-host.age" {
		t.Errorf("secret file at %s, want %s/jump-host.age", path, s.Dir())
	}
	checkMode(t, path, 0o600)
	checkMode(t, s.Dir(), 0o700)
	data := readFile(t, path)
	if bytes.Contains(data, []byte(canary)) || bytes.Contains(data, []byte(passCanary)) {
		t.Fatal("ciphertext holds the secret or the passphrase")
	}
	if !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n-> scrypt ")) {
		t.Errorf("not an age scrypt file:\n%q", data[:min(len(data), 80)])
	}
	// The test work factor (10) is what went into the file.
	if line, _, _ := bytes.Cut(data[len("age-encryption.org/v1\n"):], []byte("\n")); !bytes.HasSuffix(line, []byte(" 10")) {
		t.Errorf("scrypt stanza %q: want work factor 10", line)
	}
	if bytes.Contains(readFile(t, s.ConfigFile()), []byte(canary)) {
		t.Fatal("config holds the secret")
	}
	if kr.Calls() != 0 {
		t.Errorf("file storage touched the keyring %d times", kr.Calls())
	}

	got, err := s.Secret(ctx, p)
	if err != nil || got != canary {
		t.Fatalf("Secret = %q, %v", got, err)
	}
	r, err := s.Resolve(ctx, "")
	if err != nil || r.Source != SourceFile || r.Credentials.Secret != canary || r.Credentials.APIKeySID != keyA {
		t.Fatalf("Resolve = %v, %v", r, err)
	}
	rp.mu.Lock()
	if want := []bool{true, false, false}; !slicesEqual(rp.asks, want) {
		t.Errorf("passphrase asked with confirm=%v, want %v (confirm only when creating)", rp.asks, want)
	}
	rp.mu.Unlock()

	if err := s.Delete(ctx, p.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Delete left %s: %v", path, err)
	}
}

func slicesEqual(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFileStoreWrongPassphrase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "senderpool")
	s := newStore(t, Options{Dir: dir, Passphrase: fixedPass(passCanary)})
	p := fileProfile("a")
	mustSave(t, s, p, canary)
	path := s.SecretFile("a")
	before := readFile(t, path)
	cfgBefore := readFile(t, s.ConfigFile())
	fiBefore, _ := os.Stat(path)

	wrong := newStore(t, Options{Dir: dir, Passphrase: fixedPass("PASS-wrong-789")})
	for _, call := range []func() error{
		func() error { _, err := wrong.Secret(ctx, p); return err },
		func() error { _, err := wrong.Resolve(ctx, "a"); return err },
	} {
		err := call()
		if !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("err = %v, want ErrWrongPassphrase", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "wrong passphrase") || !strings.Contains(msg, path) || !strings.Contains(msg, `"a"`) {
			t.Errorf("unclear message: %q", msg)
		}
		if strings.Contains(msg, "PASS-") || strings.Contains(msg, canary) {
			t.Errorf("message leaks: %q", msg)
		}
	}
	fiAfter, _ := os.Stat(path)
	if !bytes.Equal(readFile(t, path), before) || !fiAfter.ModTime().Equal(fiBefore.ModTime()) {
		t.Error("secret file changed after a wrong passphrase")
	}
	if !bytes.Equal(readFile(t, s.ConfigFile()), cfgBefore) {
		t.Error("config changed after a wrong passphrase")
	}
	if got, err := s.Secret(ctx, p); err != nil || got != canary {
		t.Errorf("right passphrase afterwards: %q, %v", got, err)
	}
}

func TestFileStorePassphraseSources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cbErr := errors.New("no terminal")
	tests := []struct {
		name   string
		env    env
		pass   func(context.Context, bool) (string, error)
		want   error
		secret string
	}{
		{"env passphrase", env{"SENDERPOOL_PASSPHRASE": passCanary}, nil, nil, canary},
		{"no passphrase anywhere", env{}, nil, ErrNoPassphrase, ""},
		{"callback error", env{}, func(context.Context, bool) (string, error) { return "", cbErr }, cbErr, ""},
		{"callback empty", env{}, fixedPass(""), ErrNoPassphrase, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Open(Options{Dir: t.TempDir(), Getenv: tt.env.get, Keyring: newMemKeyring(), ScryptWorkFactor: 10, Passphrase: tt.pass})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Save(ctx, fileProfile("a"), canary)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("Save = %v, want %v", err, tt.want)
				}
				if tt.want == ErrNoPassphrase && !strings.Contains(err.Error(), "SENDERPOOL_PASSPHRASE") {
					t.Errorf("message should mention SENDERPOOL_PASSPHRASE: %v", err)
				}
				if _, err := os.Stat(s.SecretFile("a")); !errors.Is(err, os.ErrNotExist) {
					t.Error("file written without a passphrase")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, err := s.Secret(ctx, fileProfile("a")); err != nil || got != tt.secret {
				t.Fatalf("Secret = %q, %v", got, err)
			}
		})
	}
}

func TestFileStoreBadFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, Options{Passphrase: func(context.Context, bool) (string, error) {
		return passCanary, nil
	}})
	mustSave(t, s, fileProfile("a"), canary)
	good := readFile(t, s.SecretFile("a"))

	tests := []struct {
		name    string
		content []byte // nil: no file
		want    error
	}{
		{"missing", nil, ErrSecretNotFound},
		{"plain text", []byte(canary), ErrSecretFileCorrupt},
		{"truncated", good[:len(good)-10], ErrSecretFileCorrupt},
		{"x25519 file", []byte("age-encryption.org/v1\n-> X25519 abc\nxyz\n--- abc\n"), ErrSecretFileCorrupt},
	}
	for _, tt := range tests {
		path := s.SecretFile("a")
		if tt.content == nil {
			_ = os.Remove(path)
		} else if err := os.WriteFile(path, tt.content, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.Secret(ctx, fileProfile("a"))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Secret = %v, want %v", tt.name, err, tt.want)
		}
		if err != nil && (!strings.Contains(err.Error(), path) || strings.Contains(err.Error(), canary)) {
			t.Errorf("%s: error should name the file and not leak: %v", tt.name, err)
		}
	}
}

// TestFileReachableAsksNoPassphrase: `senderpool profiles` must not prompt.
func TestFileReachableAsksNoPassphrase(t *testing.T) {
	t.Parallel()
	asked := false
	dir := filepath.Join(t.TempDir(), "senderpool")
	mustSave(t, newStore(t, Options{Dir: dir}), fileProfile("a"), canary)
	s := newStore(t, Options{Dir: dir, Passphrase: func(context.Context, bool) (string, error) {
		asked = true
		return "", errors.New("should not be asked")
	}})
	if err := s.Reachable(context.Background(), fileProfile("a")); err != nil {
		t.Errorf("Reachable = %v", err)
	}
	if err := s.Reachable(context.Background(), fileProfile("b")); !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("Reachable(missing) = %v, want ErrSecretNotFound", err)
	}
	if asked {
		t.Error("Reachable asked for the passphrase")
	}
}

func TestSecretFileName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"prod":     "prod.age",
		"a.b_c-d":  "a.b_c-d.age",
		"..":       "...age",
		"../etc":   ".._etc.age",
		`a\b`:      "a_b.age",
		"x/y":      "x_y.age",
		"é":        "__.age",
		"with nul": "with_nul.age",
	}
	for in, want := range tests {
		if got := secretFileName(in); got != want {
			t.Errorf("secretFileName(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(secretFileName(in), `/\`) {
			t.Errorf("secretFileName(%q) leaves the dir", in)
		}
	}
}
