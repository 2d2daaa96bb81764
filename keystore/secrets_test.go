package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
)

// echoKeyring fails with messages that repeat what it was given, the worst
// a backend could do.
type echoKeyring struct{}

func (echoKeyring) Get(service, user string) (string, error) {
	return "", fmt.Errorf("get %s/%s failed", service, user)
}
func (echoKeyring) Set(service, user, secret string) error {
	return fmt.Errorf("set %s/%s=%s failed", service, user, secret)
}
func (echoKeyring) Delete(service, user string) error {
	return fmt.Errorf("delete %s/%s failed", service, user)
}

// TestNoSecretInOutput collects every error and formatted value the package
// can produce around a recognisable secret and passphrase, and searches them.
func TestNoSecretInOutput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var outputs []string
	addErr := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: expected an error", what)
			return
		}
		outputs = append(outputs, what+": "+err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))
		for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
			outputs = append(outputs, u.Error())
		}
	}

	// A backend echoing the secret in its error.
	s := newStore(t, Options{Keyring: echoKeyring{}})
	addErr("echo Save", s.Save(ctx, keyringProfile("a"), canary))

	// Timeouts and failures.
	s = newStore(t, Options{Keyring: newHangingKeyring(t), Timeout: 20 * time.Millisecond})
	addErr("timeout Save", s.Save(ctx, keyringProfile("a"), canary))

	// The file store: wrong passphrase, callback errors quoting the passphrase.
	dir := filepath.Join(t.TempDir(), "senderpool")
	s = newStore(t, Options{Dir: dir, Passphrase: fixedPass(passCanary)})
	mustSave(t, s, fileProfile("f"), canary)
	wrong := newStore(t, Options{Dir: dir, Passphrase: fixedPass("PASS-canary-wrong")})
	_, err := wrong.Secret(ctx, fileProfile("f"))
	addErr("wrong passphrase", err)
	leaky := newStore(t, Options{Dir: dir, Passphrase: func(context.Context, bool) (string, error) {
		return passCanary, fmt.Errorf("terminal gave %q then failed", passCanary)
	}})
	_, err = leaky.Secret(ctx, fileProfile("f"))
	addErr("leaky callback", err)

	// Validation of a secret with a newline, and of env credentials.
	addErr("bad secret", s.Save(ctx, keyringProfile("a"), canary+"\n"))
	s = newStore(t, Options{Getenv: env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_API_SECRET": canary}.get})
	_, err = s.Resolve(ctx, "")
	addErr("incomplete env", err)
	s = newStore(t, Options{Getenv: env{"TWILIO_AUTH_TOKEN": canary}.get})
	_, err = s.Resolve(ctx, "")
	addErr("token without account", err)

	// Formatting the values that carry credentials, with every verb.
	s = newStore(t, Options{Getenv: env{"TWILIO_ACCOUNT_SID": acctA, "TWILIO_API_KEY": keyA, "TWILIO_API_SECRET": canary}.get})
	r, err := s.Resolve(ctx, "")
	if err != nil || r.Credentials.Secret != canary {
		t.Fatalf("Resolve = %v, %v", r, err)
	}
	type wrapper struct{ R Resolved }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		outputs = append(outputs, fmt.Sprintf(verb, r), fmt.Sprintf(verb, &r), fmt.Sprintf(verb, wrapper{r}), fmt.Sprintf(verb, []Resolved{r}))
	}
	outputs = append(outputs, r.String(), r.GoString(), fmt.Sprint(r.Profile), fmt.Sprintf("%#v", r.Profile))
	if !strings.Contains(r.String(), redacted) || !strings.Contains(r.GoString(), redacted) {
		t.Errorf("the secret should show as %s: %s / %s", redacted, r, r.GoString())
	}
	if !strings.Contains(r.String(), acctA) || !strings.Contains(r.String(), keyA) {
		t.Errorf("String should still show the SIDs: %s", r)
	}

	for _, out := range outputs {
		for _, secret := range []string{canary, passCanary, "PASS-canary-wrong", fmt.Sprintf("%x", canary), fmt.Sprintf("%X", canary)} {
			if strings.Contains(out, secret) {
				t.Errorf("output leaks %q:\n%s", secret, out)
			}
		}
	}
}

// TestNoSecretOnDiskOutsideAge: after every kind of save, only the .age
// files hold anything secret, and not in clear.
func TestNoSecretOnDiskOutsideAge(t *testing.T) {
	t.Parallel()
	s := newStore(t, Options{})
	mustSave(t, s, keyringProfile("k"), canary)
	mustSave(t, s, fileProfile("f"), canary)
	mustSave(t, s, fileProfile("k"), canary) // keyring -> file
	err := filepath.WalkDir(s.Dir(), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data := readFile(t, path)
		if strings.Contains(string(data), canary) || strings.Contains(string(data), passCanary) {
			t.Errorf("%s holds a secret in clear", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The credentials type is comparable and carries the three fields Resolve fills.
var _ = api.Credentials{AccountSID: acctA, APIKeySID: keyA, Secret: canary} == api.Credentials{}
