package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// canary is a recognisable secret: no output or file may ever hold it.
const canary = "CANARY-s3cr3t-7d1e4c"

// loginFixture is the demo fake with the canary as the account's API key
// secret, and a private config dir.
type loginFixture struct {
	fake *twiliotest.Fake
	env  map[string]string
	dir  string
}

func newLoginFixture(t *testing.T) loginFixture {
	t.Helper()
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{
		SID: twiliotest.DemoAccountSID, AuthToken: canary + "-token",
		APIKeys: map[string]string{"SK" + strings.Repeat("5", 32): canary},
	}})
	fake.AddService(twiliotest.ServiceSeed{SID: "MG" + strings.Repeat("6", 32), FriendlyName: "Canary Service"})
	srv, err := twiliotest.Start(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	return loginFixture{fake: fake, dir: dir, env: map[string]string{
		"SENDERPOOL_CONFIG_DIR": dir, "SENDERPOOL_API_URL": srv.URL, "SENDERPOOL_PASSPHRASE": "correct horse",
	}}
}

// checkNoCanary fails if the secret is in any text or any file under dir.
func checkNoCanary(t *testing.T, dir string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, canary) {
			t.Fatalf("the secret was printed:\n%s", s)
		}
	}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(canary)) {
			t.Fatalf("the secret is in plain text in %s", path)
		}
		return nil
	})
}
