package twiliotest_test

import (
	"net/http"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// cleanupTB runs the cleanups when the test says so, to look at a server
// after its test has ended.
type cleanupTB struct {
	*testing.T
	cleanups []func()
}

func (c *cleanupTB) Cleanup(fn func()) { c.cleanups = append(c.cleanups, fn) }

func (c *cleanupTB) end() {
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}

func TestServeClosesWhenTheTestEnds(t *testing.T) {
	tb := &cleanupTB{T: t}
	srv := twiliotest.Serve(tb, twiliotest.Demo(twiliotest.DemoOptions{}))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	get := func() error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/Services", nil)
		req.SetBasicAuth(twiliotest.DemoAccountSID, twiliotest.DemoAuthToken)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
		}
		return err
	}
	if err := get(); err != nil {
		t.Fatalf("while the test runs: %v", err)
	}
	if srv.Fake() == nil || srv.Fake().AccountSID() != twiliotest.DemoAccountSID {
		t.Errorf("Fake() is not the demo fake it serves")
	}
	tb.end()
	if err := get(); err == nil {
		t.Errorf("the server still answers after its test ended")
	}
}

func TestAccountIsACopy(t *testing.T) {
	keys := map[string]string{testKey: testSecret}
	f := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{SID: testAccount, AuthToken: testToken, APIKeys: keys}})
	a := f.Account()
	if a.SID != testAccount || a.AuthToken != testToken || a.APIKeys[testKey] != testSecret || len(a.APIKeys) != 1 {
		t.Fatalf("Account() = %+v", a)
	}
	a.APIKeys[testKey] = "changed"
	if got := f.Account().APIKeys; len(got) != 1 || got[testKey] != testSecret {
		t.Errorf("changing the returned keys changed the fake's: %v", got)
	}
	if demo := twiliotest.New(twiliotest.Options{}).Account(); demo.SID != twiliotest.DemoAccountSID || demo.AuthToken != twiliotest.DemoAuthToken {
		t.Errorf("zero options serve %+v, want the demo account", demo)
	}
}
