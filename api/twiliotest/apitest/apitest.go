// Package apitest builds real api clients on the fake of package
// twiliotest, for the tests of packages that drive the client. It stands
// apart from twiliotest so that the fake itself never imports package api:
// decoding the fake's own JSON with the client's types is what checks the
// field names.
package apitest

import (
	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// Client returns a real client on srv, closed when the test ends.
// cfg.BaseURL becomes srv.URL; zero cfg.Credentials become the served
// account's SID and auth token. The rest of cfg (retries, HTTP client,
// user agent) is the caller's.
func Client(tb twiliotest.TB, srv *twiliotest.Server, cfg api.Config) *api.Client {
	tb.Helper()
	if cfg.Credentials == (api.Credentials{}) {
		acct := srv.Fake().Account()
		cfg.Credentials = api.Credentials{AccountSID: acct.SID, Secret: acct.AuthToken}
	}
	cfg.BaseURL = srv.URL
	c, err := api.New(cfg)
	if err != nil {
		tb.Fatalf("apitest: a client on %s: %v", srv.URL, err)
	}
	tb.Cleanup(c.Close)
	return c
}

// Demo serves a fresh demo fake (twiliotest.Demo with opts) and returns it
// with a client on it, as Client builds one from cfg.
func Demo(tb twiliotest.TB, opts twiliotest.DemoOptions, cfg api.Config) (*twiliotest.Fake, *api.Client) {
	tb.Helper()
	srv := twiliotest.Serve(tb, twiliotest.Demo(opts))
	return srv.Fake(), Client(tb, srv, cfg)
}
