package e2e

import (
	"testing"

	"github.com/senderpool/senderpool/internal/testfixture"
)

// The login fixture and its canary secret, shared with the other test package.
const canary = testfixture.Canary

type loginFixture = testfixture.Login

func newLoginFixture(t *testing.T) loginFixture { t.Helper(); return testfixture.NewLogin(t) }

func checkNoCanary(t *testing.T, dir string, texts ...string) {
	t.Helper()
	testfixture.CheckNoCanary(t, dir, texts...)
}
