// Package testfixture holds what the command line's tests and the
// end-to-end tests share: a fake whose account's secret is a canary, a
// private config dir, and the check that the canary leaked nowhere.
package testfixture

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// Canary is a recognisable secret: no output or file may ever hold it.
const Canary = "CANARY-s3cr3t-7d1e4c"

// CanaryKeySID is the API key whose secret is Canary.
var CanaryKeySID = "SK" + strings.Repeat("5", 32)

// TB is the part of testing.TB the fixture needs.
type TB interface {
	twiliotest.TB
	TempDir() string
}

// Login is the demo account with Canary as its API key secret (and
// Canary+"-token" as its auth token), served on loopback with one
// service, and a private config dir; Env points senderpool at both.
type Login struct {
	Fake *twiliotest.Fake
	Env  map[string]string
	Dir  string
}

// NewLogin serves the fixture for one test.
func NewLogin(tb TB) Login {
	tb.Helper()
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{
		SID: twiliotest.DemoAccountSID, AuthToken: Canary + "-token",
		APIKeys: map[string]string{CanaryKeySID: Canary},
	}})
	fake.AddService(twiliotest.ServiceSeed{SID: "MG" + strings.Repeat("6", 32), FriendlyName: "Canary Service"})
	srv := twiliotest.Serve(tb, fake)
	dir := tb.TempDir()
	return Login{Fake: fake, Dir: dir, Env: map[string]string{
		"SENDERPOOL_CONFIG_DIR": dir, "SENDERPOOL_API_URL": srv.URL, "SENDERPOOL_PASSPHRASE": "correct horse",
	}}
}

// CheckNoCanary fails if the secret is in any text or any file under dir.
func CheckNoCanary(tb TB, dir string, texts ...string) {
	tb.Helper()
	for _, s := range texts {
		if strings.Contains(s, Canary) {
			tb.Fatalf("the secret was printed:\n%s", s)
		}
	}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(Canary)) {
			tb.Fatalf("the secret is in plain text in %s", path)
		}
		return nil
	})
}
