package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// testSecret is a canary: no error string or printout may contain it.
const testSecret = "canary-secret-9f2c"

var (
	testAccount = "AC" + strings.Repeat("1", 32)
	testKey     = "SK" + strings.Repeat("2", 32)
	testService = "MG" + strings.Repeat("3", 32)
	otherSvc    = "MG" + strings.Repeat("4", 32)
	freeSender  = xe(0xfff) // on the account, attached nowhere, an RCS sender
	seedTime    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

func xe(n int) string { return fmt.Sprintf("XE%032x", n) }

func tokenCreds() api.Credentials {
	return api.Credentials{AccountSID: testAccount, Secret: testSecret}
}

// waits records the delays the client asked to wait, instead of waiting.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// fixture is a fake with one service holding n WhatsApp senders, a free
// RCS sender and an empty second service, served over real HTTP, and a
// client pointed at it whose waits are recorded instead of slept.
type fixture struct {
	fake   *twiliotest.Fake
	srv    *twiliotest.Server
	client *api.Client
	waits  *waits
}

type fixtureOpts struct {
	creds  api.Credentials // default tokenCreds()
	agent  string          // default "senderpool/test"; "-" leaves it empty
	retry  api.RetryPolicy
	http   *http.Client
	suffix string // appended to the server URL for BaseURL
}

func newFixture(t testing.TB, n int, o fixtureOpts) *fixture {
	t.Helper()
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{
		SID: testAccount, AuthToken: testSecret, APIKeys: map[string]string{testKey: testSecret},
	}})
	seedFake(fake, n)
	srv := twiliotest.Serve(t, fake)
	f := &fixture{fake: fake, srv: srv, waits: &waits{}}
	f.client = newClient(t, srv.URL+o.suffix, o, f.waits)
	return f
}

func seedFake(fake *twiliotest.Fake, n int) {
	attached := make([]string, 0, n)
	for i := range n {
		fake.AddSender(twiliotest.SenderSeed{
			SID: xe(i + 1), Sender: fmt.Sprintf("whatsapp:+1415%07d", i), SenderType: "WhatsApp",
			CountryCode: "US", Status: "ONLINE", Created: seedTime.Add(time.Duration(i) * time.Second),
		})
		attached = append(attached, xe(i+1))
	}
	fake.AddSender(twiliotest.SenderSeed{SID: freeSender, Sender: "rcs:free_agent", SenderType: "RCS", Status: "ONLINE", Created: seedTime})
	fake.AddService(twiliotest.ServiceSeed{SID: testService, FriendlyName: "Test", Created: seedTime, Attached: attached})
	fake.AddService(twiliotest.ServiceSeed{SID: otherSvc, FriendlyName: "Other", Created: seedTime.Add(time.Hour)})
}

func newClient(t testing.TB, base string, o fixtureOpts, w *waits) *api.Client {
	t.Helper()
	creds := o.creds
	if creds.AccountSID == "" {
		creds = tokenCreds()
	}
	agent := o.agent
	switch agent {
	case "":
		agent = "senderpool/test"
	case "-":
		agent = ""
	}
	c, err := api.New(api.Config{Credentials: creds, BaseURL: base, UserAgent: agent, Retry: o.retry, HTTPClient: o.http})
	if err != nil {
		t.Fatal(err)
	}
	if w != nil {
		api.SetWait(c, w.wait)
	}
	return c
}

// handlerClient serves h with httptest and returns a client on it.
func handlerClient(t testing.TB, h http.HandlerFunc, o fixtureOpts) (*api.Client, *waits) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	w := &waits{}
	return newClient(t, srv.URL+o.suffix, o, w), w
}

// roundTripper is an http.RoundTripper made of a function.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// noSecret fails when s shows the secret.
func noSecret(t testing.TB, s string) {
	t.Helper()
	if strings.Contains(s, testSecret) {
		t.Fatalf("the secret leaked: %s", s)
	}
}

// Calls on the fixture's data, for tables.
func fetchService(ctx context.Context, c *api.Client) error {
	_, err := c.FetchService(ctx, testService)
	return err
}

func listSenders(ctx context.Context, c *api.Client) error {
	_, err := c.ListChannelSenders(ctx, testService)
	return err
}

func fetchSender(ctx context.Context, c *api.Client) error {
	_, err := c.FetchChannelSender(ctx, testService, xe(1))
	return err
}

func detachFirst(ctx context.Context, c *api.Client) error {
	return c.DeleteChannelSender(ctx, testService, xe(1))
}

func attachFree(ctx context.Context, c *api.Client) error {
	_, err := c.CreateChannelSender(ctx, testService, freeSender)
	return err
}

func listCatalogue(ctx context.Context, c *api.Client) error {
	_, err := c.ListAccountSenders(ctx, api.ChannelWhatsApp)
	return err
}

func listServices(ctx context.Context, c *api.Client) error {
	_, err := c.ListServices(ctx)
	return err
}

// waitFor polls cond until it holds; only the test's own deadline bounds
// it, so a slow machine cannot make it fail.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(time.Millisecond):
		}
	}
}
