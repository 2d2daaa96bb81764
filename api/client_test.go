package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

const testSecret = "canary-secret-9f2c"

var (
	testAccount = "AC" + strings.Repeat("1", 32)
	testKey     = "SK" + strings.Repeat("2", 32)
	testService = "MG" + strings.Repeat("3", 32)
)

func xe(n int) string { return fmt.Sprintf("XE%032x", n) }

// fixture is a fake with one service holding n senders, a catalogue
// sender that is not attached, and a client pointed at it whose waits
// between retries are recorded instead of slept.
type fixture struct {
	fake   *twiliotest.Fake
	client *Client
	waits  *[]time.Duration
}

func newFixture(t testing.TB, n int, creds Credentials) fixture {
	t.Helper()
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{
		SID: testAccount, AuthToken: testSecret, APIKeys: map[string]string{testKey: testSecret},
	}})
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var attached []string
	for i := range n {
		fake.AddSender(twiliotest.SenderSeed{SID: xe(i + 1), Sender: fmt.Sprintf("whatsapp:+1415%07d", i), SenderType: "WhatsApp", CountryCode: "US", Status: "ONLINE", Created: base.Add(time.Duration(i) * time.Second)})
		attached = append(attached, xe(i+1))
	}
	fake.AddSender(twiliotest.SenderSeed{SID: xe(0xfff), Sender: "rcs:free_agent", SenderType: "RCS", Status: "ONLINE", Created: base})
	fake.AddService(twiliotest.ServiceSeed{SID: testService, FriendlyName: "Test", Created: base, Attached: attached})
	srv, err := twiliotest.Start(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if creds.AccountSID == "" {
		creds = Credentials{AccountSID: testAccount, Secret: testSecret}
	}
	c, err := New(Config{Credentials: creds, BaseURL: srv.URL, UserAgent: "senderpool/test"})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	waits := &[]time.Duration{}
	c.wait = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*waits = append(*waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return fixture{fake: fake, client: c, waits: waits}
}

func TestPagingFollowsNextPageURL(t *testing.T) {
	f := newFixture(t, 2500, Credentials{})
	var sizes []int
	var requestsAtFirstPage int
	err := f.client.ListChannelSendersPages(t.Context(), testService, func(p []ChannelSender) error {
		if len(sizes) == 0 {
			requestsAtFirstPage = f.fake.Requests(twiliotest.RouteListChannelSenders)
		}
		sizes = append(sizes, len(p))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[1000 1000 500]" {
		t.Fatalf("page sizes %v, want [1000 1000 500]", sizes)
	}
	if requestsAtFirstPage != 1 {
		t.Errorf("the first page was delivered after %d requests, want 1", requestsAtFirstPage)
	}
	for _, r := range f.fake.Records() {
		if q, _ := url.ParseQuery(r.RawQuery); q.Get("PageSize") != "1000" {
			t.Errorf("request %s?%s does not ask for PageSize=1000", r.Path, r.RawQuery)
		}
	}
	all, err := f.client.ListChannelSenders(t.Context(), testService)
	if err != nil || len(all) != 2500 {
		t.Fatalf("ListChannelSenders: %d, %v", len(all), err)
	}
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.SID] {
			t.Fatalf("%s listed twice", s.SID)
		}
		seen[s.SID] = true
	}
}

func TestListRequestsAndConnections(t *testing.T) {
	for _, n := range []int{0, 1, 999, 1000, 1001, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFixture(t, n, Credentials{})
			ss, err := f.client.ListChannelSenders(t.Context(), testService)
			if err != nil || len(ss) != n {
				t.Fatalf("%d senders, %v", len(ss), err)
			}
			want := max(1, (n+999)/1000)
			if got := f.fake.Requests(twiliotest.RouteListChannelSenders); got != want {
				t.Errorf("%d requests, want ceil(%d/1000)=%d", got, n, want)
			}
			if got := f.fake.Connections(); got != 1 {
				t.Errorf("%d TCP connections, want 1 reused", got)
			}
		})
	}
}

func TestErrorShapes(t *testing.T) {
	tests := []struct {
		name     string
		fault    twiliotest.Fault
		wantAPI  bool // an *Error
		status   int
		code     int
		contains string
		badResp  bool
	}{
		{"twilio 404", twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 404, Code: 20404, Message: "The requested resource was not found"}, true, 404, 20404, "was not found", false},
		{"twilio 401", twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 401, Code: 20003, Message: "Authenticate"}, true, 401, 20003, "Authenticate", false},
		{"500", twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Code: 20500, Message: "Internal Server Error"}, true, 500, 20500, "Internal", false},
		{"html from a proxy", twiliotest.Fault{Kind: twiliotest.FaultHTML, Status: 502}, true, 502, 0, "text/html", false},
		{"malformed json 200", twiliotest.Fault{Kind: twiliotest.FaultMalformedJSON}, false, 0, 0, "not the expected JSON", true},
		{"empty 200", twiliotest.Fault{Kind: twiliotest.FaultEmptyBody}, false, 0, 0, "empty body", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 3, Credentials{})
			f.fake.AddFault(twiliotest.RouteFetchService, tt.fault)
			_, err := f.client.FetchService(t.Context(), testService)
			if err == nil {
				t.Fatal("no error")
			}
			apiErr, ok := AsError(err)
			if ok != tt.wantAPI {
				t.Fatalf("AsError = %v, want %v (%v)", ok, tt.wantAPI, err)
			}
			if ok && (apiErr.Status != tt.status || apiErr.Code != tt.code) {
				t.Errorf("status %d code %d, want %d %d", apiErr.Status, apiErr.Code, tt.status, tt.code)
			}
			if tt.badResp && !errors.Is(err, ErrBadResponse) {
				t.Errorf("%v does not wrap ErrBadResponse", err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("%q lacks %q", err, tt.contains)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Fatal("the error string holds the secret")
			}
		})
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		route    twiliotest.Route
		faults   []twiliotest.Fault
		call     func(*Client, context.Context) error
		requests int
		ok       bool
		waits    []time.Duration // exact waits, when Retry-After fixes them
	}{
		{"429 with Retry-After then ok", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 429, Code: 20429, Message: "Too Many Requests", RetryAfter: "2"}},
			fetchService, 2, true, []time.Duration{2 * time.Second}},
		{"429 without Retry-After then ok", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 429, Code: 20429, Message: "Too Many Requests"}},
			fetchService, 2, true, nil},
		{"503 twice then ok", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 503, Code: 20503, Message: "Service Unavailable", Times: 2}},
			fetchService, 3, true, nil},
		{"503 forever gives up after 4 attempts", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 503, Code: 20503, Message: "Service Unavailable", Times: -1}},
			fetchService, 4, false, nil},
		{"500 is not retried", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 500, Code: 20500, Message: "boom"}},
			fetchService, 1, false, nil},
		{"Retry-After too long is not waited", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 429, Code: 20429, Message: "slow down", RetryAfter: "3600"}},
			fetchService, 1, false, nil},
		{"GET retried after a dropped connection", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop}},
			fetchService, 2, true, nil},
		{"GET retried after a drop mid-body", twiliotest.RouteListChannelSenders,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDropMidBody}},
			listSenders, 2, true, nil},
		{"DELETE retried after a dropped connection", twiliotest.RouteDeleteChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop}},
			detachFirst, 2, true, nil},
		{"POST not retried once the request was written", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop}},
			attachFree, 1, false, nil},
		{"POST retried on 429", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultStatus, Status: 429, Code: 20429, Message: "Too Many Requests", RetryAfter: "1"}},
			attachFree, 2, true, []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 3, Credentials{})
			for _, fault := range tt.faults {
				f.fake.AddFault(tt.route, fault)
			}
			err := tt.call(f.client, t.Context())
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if got := f.fake.Requests(tt.route); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if tt.waits != nil && fmt.Sprint(*f.waits) != fmt.Sprint(tt.waits) {
				t.Errorf("waited %v, want %v", *f.waits, tt.waits)
			}
			for _, w := range *f.waits {
				if w < 0 || w > 8*time.Second {
					t.Errorf("backoff %v outside [0, MaxDelay]", w)
				}
			}
		})
	}
}

func fetchService(c *Client, ctx context.Context) error {
	_, err := c.FetchService(ctx, testService)
	return err
}

func listSenders(c *Client, ctx context.Context) error {
	_, err := c.ListChannelSenders(ctx, testService)
	return err
}

func detachFirst(c *Client, ctx context.Context) error {
	return c.DeleteChannelSender(ctx, testService, xe(1))
}

func attachFree(c *Client, ctx context.Context) error {
	_, err := c.CreateChannelSender(ctx, testService, xe(0xfff))
	return err
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	c, err := New(Config{Credentials: Credentials{AccountSID: testAccount, Secret: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func(d time.Duration) time.Duration { return d } // the upper bound
	var got []time.Duration
	for a := 1; a <= 7; a++ {
		got = append(got, c.backoff(a))
	}
	want := "[500ms 1s 2s 4s 8s 8s 8s]"
	if fmt.Sprint(got) != want {
		t.Errorf("backoff bounds %v, want %s", got, want)
	}
}

func TestCancellation(t *testing.T) {
	f := newFixture(t, 3, Credentials{})
	f.client.wait = sleepCtx
	f.fake.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultHang})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- fetchService(f.client, ctx) }()
	for f.fake.Requests(twiliotest.RouteFetchService) == 0 {
		time.Sleep(time.Millisecond) // wait for the request to be in the server
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("hung request returned %v, want context.Canceled", err)
	}
	if n := f.fake.Requests(twiliotest.RouteFetchService); n != 1 {
		t.Errorf("%d requests after cancel, want 1 (no retry)", n)
	}

	// Cancelled while waiting to retry.
	f.fake.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503, Code: 20503, Message: "busy", RetryAfter: "30"})
	ctx, cancel = context.WithCancel(t.Context())
	f.client.wait = func(ctx context.Context, d time.Duration) error { cancel(); return sleepCtx(ctx, d) }
	err := fetchService(f.client, ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel during backoff returned %v", err)
	}
	if _, ok := AsError(err); !ok {
		t.Error("the 503 that caused the wait is lost from the error")
	}
}

func TestAuthHeaderAndUserAgent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		creds Credentials
		user  string
	}{
		{"auth token", Credentials{AccountSID: testAccount, Secret: testSecret}, testAccount},
		{"api key", Credentials{AccountSID: testAccount, APIKeySID: testKey, Secret: testSecret}, testKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 1, tt.creds)
			if err := fetchService(f.client, t.Context()); err != nil {
				t.Fatal(err)
			}
			r := f.fake.Records()[0]
			if r.AuthUser != tt.user || r.UserAgent != "senderpool/test" {
				t.Errorf("auth user %q agent %q, want %q senderpool/test", r.AuthUser, r.UserAgent, tt.user)
			}
		})
	}
	f := newFixture(t, 1, Credentials{AccountSID: testAccount, Secret: "wrong"})
	err := fetchService(f.client, t.Context())
	if apiErr, ok := AsError(err); !ok || !apiErr.Unauthorized() || apiErr.Code != 20003 {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestBaseURLAndHost(t *testing.T) {
	creds := Credentials{AccountSID: testAccount, Secret: "x"}
	tests := []struct {
		cfg  Config
		want string // "" means New must fail
	}{
		{Config{}, "https://messaging.twilio.com"},
		{Config{Region: "ie1", Edge: "dublin"}, "https://messaging.dublin.ie1.twilio.com"},
		{Config{Region: "au1"}, "https://messaging.au1.twilio.com"},
		{Config{Edge: "sydney"}, "https://messaging.sydney.us1.twilio.com"},
		{Config{BaseURL: "https://proxy.example.com/twilio/"}, "https://proxy.example.com/twilio"},
		{Config{BaseURL: "http://127.0.0.1:4010"}, "http://127.0.0.1:4010"},
		{Config{BaseURL: "http://[::1]:4010"}, "http://[::1]:4010"},
		{Config{BaseURL: "http://localhost:4010"}, "http://localhost:4010"},
		{Config{BaseURL: "http://example.com"}, ""},
		{Config{BaseURL: "http://10.0.0.1"}, ""},
		{Config{BaseURL: "ftp://127.0.0.1"}, ""},
		{Config{BaseURL: "not a url"}, ""},
		{Config{BaseURL: "https://user:pw@example.com"}, ""},
	}
	for _, tt := range tests {
		tt.cfg.Credentials = creds
		c, err := New(tt.cfg)
		if tt.want == "" {
			if err == nil || !errors.Is(err, ErrBaseURL) {
				t.Errorf("%+v: err = %v, want ErrBaseURL", tt.cfg.BaseURL, err)
			}
			continue
		}
		if err != nil || c.BaseURL() != tt.want {
			t.Errorf("%q/%q/%q: base %v (%v), want %s", tt.cfg.BaseURL, tt.cfg.Region, tt.cfg.Edge, c, err, tt.want)
		}
	}
}

func TestMalformedSIDsMakeNoRequest(t *testing.T) {
	f := newFixture(t, 1, Credentials{})
	ctx := t.Context()
	calls := []func() error{
		func() error { _, err := f.client.FetchService(ctx, "MG123"); return err },
		func() error { _, err := f.client.ListChannelSenders(ctx, "XE"+strings.Repeat("0", 32)); return err },
		func() error { _, err := f.client.FetchChannelSender(ctx, testService, "XE12"); return err },
		func() error {
			_, err := f.client.CreateChannelSender(ctx, testService, "XE"+strings.Repeat("g", 32))
			return err
		},
		func() error { return f.client.DeleteChannelSender(ctx, "mg"+strings.Repeat("0", 32), xe(1)) },
		func() error { _, err := f.client.ListChannelsSenders(ctx, "messenger"); return err },
	}
	for i, call := range calls {
		if err := call(); err == nil {
			t.Errorf("call %d accepted a malformed argument", i)
		}
	}
	if n := f.fake.TotalRequests(); n != 0 {
		t.Fatalf("%d requests made for malformed arguments", n)
	}
	if _, err := New(Config{Credentials: Credentials{AccountSID: "AC1", Secret: "x"}}); !errors.Is(err, ErrInvalidSID) {
		t.Errorf("bad account SID: %v", err)
	}
}

func TestForeignNextPageStaysHome(t *testing.T) {
	f := newFixture(t, 2500, Credentials{})
	f.fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultForeignNextPage})
	ss, err := f.client.ListChannelSenders(t.Context(), testService)
	if err != nil || len(ss) != 2500 {
		t.Fatalf("%d senders, %v", len(ss), err)
	}
	if n := f.fake.Requests(twiliotest.RouteListChannelSenders); n != 3 {
		t.Errorf("%d requests reached our server, want all 3", n)
	}
}

func TestAttachDetachAndCatalogue(t *testing.T) {
	f := newFixture(t, 2, Credentials{})
	ctx := t.Context()
	s, err := f.client.CreateChannelSender(ctx, testService, xe(0xfff))
	if err != nil || s.SID != xe(0xfff) || s.Sender != "rcs:free_agent" || s.DateCreated == nil {
		t.Fatalf("attach: %+v %v", s, err)
	}
	if _, err := f.client.CreateChannelSender(ctx, testService, xe(0xfff)); err == nil {
		t.Fatal("duplicate attach succeeded")
	}
	if err := f.client.DeleteChannelSender(ctx, testService, xe(0xfff)); err != nil {
		t.Fatal(err)
	}
	if err := f.client.DeleteChannelSender(ctx, testService, xe(0xfff)); !IsNotFound(err) {
		t.Fatalf("second detach: %v, want a 404", err)
	}
	cat, err := f.client.ListChannelsSenders(ctx, ChannelRCS)
	if err != nil || len(cat) != 1 || cat[0].SID != xe(0xfff) || cat[0].Status != "ONLINE" {
		t.Fatalf("catalogue: %+v %v", cat, err)
	}
	if r := f.fake.Records(); !strings.Contains(r[len(r)-1].RawQuery, "Channel=rcs") {
		t.Errorf("catalogue query %q lacks Channel", r[len(r)-1].RawQuery)
	}
}

func TestCredentialsNeverShowSecret(t *testing.T) {
	c := Credentials{AccountSID: testAccount, APIKeySID: testKey, Secret: testSecret}
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, testSecret) {
			t.Fatalf("secret shown: %s", s)
		}
	}
	if err := (Credentials{AccountSID: testAccount}).Validate(); !errors.Is(err, ErrNoSecret) {
		t.Errorf("missing secret: %v", err)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "0": 0, "5": 5 * time.Second, "-3": 0, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func BenchmarkListChannelSenders10k(b *testing.B) {
	f := newFixture(b, 10_000, Credentials{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.client.ListChannelSenders(b.Context(), testService); err != nil {
			b.Fatal(err)
		}
	}
}
