package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestRetriesAgainstTheFake(t *testing.T) {
	busy := func(status int, retryAfter string, times int) twiliotest.Fault {
		return twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: status, RetryAfter: retryAfter, Times: times}
	}
	tests := []struct {
		name     string
		route    twiliotest.Route
		faults   []twiliotest.Fault
		retry    api.RetryPolicy
		call     func(context.Context, *api.Client) error
		requests int
		ok       bool
		waits    []time.Duration // exact waits, when Retry-After fixes them; nil: backoff, checked for bounds
	}{
		{"429 with Retry-After then ok", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(429, "2", 0)}, api.RetryPolicy{}, fetchService, 2, true, []time.Duration{2 * time.Second}},
		{"429 without Retry-After then ok", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(429, "", 0)}, api.RetryPolicy{}, fetchService, 2, true, nil},
		{"503 twice then ok", twiliotest.RouteListChannelSenders,
			[]twiliotest.Fault{busy(503, "", 2)}, api.RetryPolicy{}, listSenders, 3, true, nil},
		{"503 with Retry-After 0 uses backoff", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(503, "0", 0)}, api.RetryPolicy{}, fetchService, 2, true, nil},
		{"503 forever: 4 attempts", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(503, "", -1)}, api.RetryPolicy{}, fetchService, 4, false, nil},
		{"MaxAttempts 2", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(429, "1", -1)}, api.RetryPolicy{MaxAttempts: 2}, fetchService, 2, false, []time.Duration{time.Second}},
		{"MaxAttempts 1 disables retries", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(503, "", -1)}, api.RetryPolicy{MaxAttempts: 1}, fetchService, 1, false, []time.Duration{}},
		{"500 is not retried", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(500, "", 0)}, api.RetryPolicy{}, fetchService, 1, false, []time.Duration{}},
		{"502 html is not retried", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultHTML}}, api.RetryPolicy{}, fetchService, 1, false, []time.Duration{}},
		{"malformed 200 is not retried", twiliotest.RouteFetchService,
			[]twiliotest.Fault{{Kind: twiliotest.FaultMalformedJSON}}, api.RetryPolicy{}, fetchService, 1, false, []time.Duration{}},
		{"Retry-After beyond MaxDelay is not waited", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(429, "9", 0)}, api.RetryPolicy{}, fetchService, 1, false, []time.Duration{}},
		{"Retry-After within a larger MaxDelay is waited", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(429, "30", 0)}, api.RetryPolicy{MaxDelay: 45 * time.Second}, fetchService, 2, true, []time.Duration{30 * time.Second}},
		{"Retry-After beyond 60s is never waited", twiliotest.RouteFetchService,
			[]twiliotest.Fault{busy(503, "120", 0)}, api.RetryPolicy{MaxDelay: time.Hour}, fetchService, 1, false, []time.Duration{}},
		{"GET retried after a dropped connection", twiliotest.RouteFetchChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop}}, api.RetryPolicy{}, fetchSender, 2, true, nil},
		{"GET retried after a drop mid-body", twiliotest.RouteListChannelSenders,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDropMidBody}}, api.RetryPolicy{}, listSenders, 2, true, nil},
		{"GET drops bounded", twiliotest.RouteListAccountSenders,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop, Times: -1}}, api.RetryPolicy{}, listCatalogue, 4, false, nil},
		{"DELETE retried after a dropped connection", twiliotest.RouteDeleteChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop}}, api.RetryPolicy{}, detachFirst, 2, true, nil},
		{"DELETE retried on 503", twiliotest.RouteDeleteChannelSender,
			[]twiliotest.Fault{busy(503, "1", 0)}, api.RetryPolicy{}, detachFirst, 2, true, []time.Duration{time.Second}},
		{"POST not retried once the request was written", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDrop}}, api.RetryPolicy{}, attachFree, 1, false, []time.Duration{}},
		{"POST not retried after its answer was cut off", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{{Kind: twiliotest.FaultDropMidBody}}, api.RetryPolicy{}, attachFree, 1, false, []time.Duration{}},
		{"POST retried on 429", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{busy(429, "1", 0)}, api.RetryPolicy{}, attachFree, 2, true, []time.Duration{time.Second}},
		{"POST retried on 503", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{busy(503, "", 0)}, api.RetryPolicy{}, attachFree, 2, true, nil},
		{"POST not retried on 500", twiliotest.RouteCreateChannelSender,
			[]twiliotest.Fault{busy(500, "", 0)}, api.RetryPolicy{}, attachFree, 1, false, []time.Duration{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 3, fixtureOpts{retry: tt.retry})
			for _, fault := range tt.faults {
				f.fake.AddFault(tt.route, fault)
			}
			err := tt.call(t.Context(), f.client)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				noSecret(t, err.Error())
			}
			if got := f.fake.Requests(tt.route); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			waits := f.waits.list()
			if len(waits) != tt.requests-1 {
				t.Errorf("%d waits for %d requests", len(waits), tt.requests)
			}
			if tt.waits != nil && !slices.Equal(waits, tt.waits) {
				t.Errorf("waited %v, want %v", waits, tt.waits)
			}
			maxDelay := tt.retry.MaxDelay
			if maxDelay == 0 {
				maxDelay = 8 * time.Second
			}
			for _, w := range waits {
				if w < 0 || w > maxDelay {
					t.Errorf("wait %v outside [0, %v]", w, maxDelay)
				}
			}
			if apiErr, ok := api.AsError(err); ok && tt.faults[0].RetryAfter != "" && apiErr.RetryAfter == 0 {
				t.Errorf("the error lost its Retry-After: %+v", apiErr)
			}
		})
	}
}

func TestAttachRetriedOn429TakesEffectOnce(t *testing.T) {
	f := newFixture(t, 1, fixtureOpts{})
	f.fake.AddFault(twiliotest.RouteCreateChannelSender, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 429})
	s, err := f.client.CreateChannelSender(t.Context(), testService, freeSender)
	if err != nil || s.SID != freeSender {
		t.Fatalf("%+v, %v", s, err)
	}
	if got := f.fake.AttachedSIDs(testService); !slices.Contains(got, freeSender) || len(got) != 2 {
		t.Errorf("attached: %v", got)
	}
	for _, r := range f.fake.Records() {
		if r.Body != "Sid="+freeSender || r.ContentType != "application/x-www-form-urlencoded" {
			t.Errorf("attach sent %q as %q", r.Body, r.ContentType)
		}
	}
}

// A detach whose answer is lost after the server acted is retried, and the
// retry's 404 surfaces as such: the UI reads it as "already gone".
func TestDetachRetryAfterLostAnswerIs404(t *testing.T) {
	fake := twiliotest.New(twiliotest.Options{Account: twiliotest.Account{SID: testAccount, AuthToken: testSecret}})
	seedFake(fake, 2)
	var lost atomic.Bool
	c, w := handlerClient(t, func(rw http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && !lost.Swap(true) {
			if err := fake.Detach(testService, xe(1)); err != nil {
				t.Error(err)
			}
			conn, _, err := http.NewResponseController(rw).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			_ = conn.Close()
			return
		}
		fake.ServeHTTP(rw, r)
	}, fixtureOpts{})
	err := c.DeleteChannelSender(t.Context(), testService, xe(1))
	if !api.IsNotFound(err) {
		t.Fatalf("err = %v, want a 404", err)
	}
	if len(w.list()) != 1 || slices.Contains(fake.AttachedSIDs(testService), xe(1)) {
		t.Errorf("waits %v, attached %v", w.list(), fake.AttachedSIDs(testService))
	}
}

// Connection errors before anything was written are retried for every
// method; once written, a POST is not. The transport here fails on cue.
func TestConnectionErrorRetries(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	tests := []struct {
		name     string
		method   string
		written  bool // the fake transport reports WroteRequest before failing
		err      error
		attempts int
	}{
		{"POST reset before writing", http.MethodPost, false, reset, 4},
		{"POST reset after writing", http.MethodPost, true, reset, 1},
		{"POST dial refused", http.MethodPost, false, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, 4},
		{"POST EOF after writing", http.MethodPost, true, io.EOF, 1},
		{"GET reset after writing", http.MethodGet, true, reset, 4},
		{"DELETE EOF after writing", http.MethodDelete, true, io.EOF, 4},
		{"GET header timeout", http.MethodGet, true, timeoutErr{}, 4},
		{"GET unknown host", http.MethodGet, false, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "messaging.nowhere.twilio.com", IsNotFound: true}}, 1},
		{"GET protocol garbage", http.MethodGet, true, errors.New(`malformed HTTP response "\x15\x03"`), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var attempts atomic.Int32
			hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
				attempts.Add(1)
				if r.Method != tt.method {
					t.Errorf("method %s", r.Method)
				}
				if tt.written {
					if trace := httptrace.ContextClientTrace(r.Context()); trace != nil && trace.WroteRequest != nil {
						trace.WroteRequest(httptrace.WroteRequestInfo{})
					}
				}
				return nil, tt.err
			})}
			w := &waits{}
			c := newClient(t, "https://messaging.twilio.com", fixtureOpts{http: hc}, w)
			var err error
			switch tt.method {
			case http.MethodPost:
				err = attachFree(t.Context(), c)
			case http.MethodDelete:
				err = detachFirst(t.Context(), c)
			default:
				err = fetchService(t.Context(), c)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.err)
			}
			if got := int(attempts.Load()); got != tt.attempts {
				t.Errorf("%d attempts, want %d", got, tt.attempts)
			}
			if len(w.list()) != tt.attempts-1 {
				t.Errorf("waits %v", w.list())
			}
			if !strings.HasPrefix(err.Error(), tt.method+" /v1/Services/"+testService) {
				t.Errorf("%q does not name the call", err)
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "net/http: timeout awaiting response headers" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// A refused dial on a real closed port, through the default transport.
func TestDialRefusedIsRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there now
	w := &waits{}
	c := newClient(t, base, fixtureOpts{retry: api.RetryPolicy{MaxAttempts: 3}}, w)
	err := attachFree(t.Context(), c)
	if !errors.Is(err, syscall.ECONNREFUSED) || len(w.list()) != 2 {
		t.Fatalf("err = %v after %d waits; want ECONNREFUSED after 2", err, len(w.list()))
	}
	noSecret(t, err.Error())
}

// TLS spoken to a plain-HTTP server fails the same way every time: one
// attempt, no request reaches the handler.
func TestTLSFailureNotRetried(t *testing.T) {
	f := newFixture(t, 1, fixtureOpts{})
	hc := &http.Client{Transport: &http.Transport{}}
	c, err := api.New(api.Config{Credentials: tokenCreds(), BaseURL: strings.Replace(f.srv.URL, "http://", "https://", 1), HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	api.SetWait(c, w.wait)
	if err := fetchService(t.Context(), c); err == nil {
		t.Fatal("TLS to a plain server succeeded")
	}
	if len(w.list()) != 0 || f.fake.TotalRequests() != 0 || f.fake.Connections() != 1 {
		t.Errorf("waits %v, requests %d, connections %d; want none, 0, 1", w.list(), f.fake.TotalRequests(), f.fake.Connections())
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	c := newClient(t, "", fixtureOpts{}, nil)
	api.SetJitter(c, func(d time.Duration) time.Duration { return d }) // the upper bound
	var got []time.Duration
	for a := 1; a <= 7; a++ {
		got = append(got, api.Backoff(c, a))
	}
	if want := "[500ms 1s 2s 4s 8s 8s 8s]"; fmt.Sprint(got) != want {
		t.Errorf("backoff bounds %v, want %s", got, want)
	}
	if d := api.Backoff(c, 200); d != 8*time.Second {
		t.Errorf("attempt 200: %v (overflow?)", d)
	}

	// Full jitter: uniform in [0, bound], from the client's own source.
	jitter := api.NewJitter(1, 2)
	seen := map[time.Duration]bool{}
	for range 1000 {
		d := jitter(time.Second)
		if d < 0 || d > time.Second {
			t.Fatalf("jitter %v outside [0, 1s]", d)
		}
		seen[d/(100*time.Millisecond)] = true
	}
	if len(seen) < 10 {
		t.Errorf("jitter covers only %d of 10 tenths of its range", len(seen))
	}
	if jitter(0) != 0 || jitter(-time.Second) != 0 {
		t.Error("jitter of a non-positive bound")
	}
	again := api.NewJitter(1, 2)
	if a, b := api.NewJitter(1, 2)(time.Hour), again(time.Hour); a != b {
		t.Error("the same seed gave different jitter")
	}
}

func TestCancelDuringHang(t *testing.T) {
	f := newFixture(t, 3, fixtureOpts{})
	f.fake.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultHang})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	wrote := make(chan struct{})
	var once sync.Once
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(func() { close(wrote) }) }})
	done := make(chan error, 1)
	go func() { done <- fetchService(ctx, f.client) }()
	<-wrote // the request is on the wire
	waitFor(t, "the fake to hold the request", func() bool { return f.fake.Requests(twiliotest.RouteFetchService) == 1 })
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("hung request returned %v, want context.Canceled", err)
	}
	if n := f.fake.Requests(twiliotest.RouteFetchService); n != 1 || len(f.waits.list()) != 0 {
		t.Errorf("%d requests and waits %v after cancel, want 1 and none", n, f.waits.list())
	}
}

func TestDeadlineDuringHang(t *testing.T) {
	f := newFixture(t, 3, fixtureOpts{})
	f.fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultHang})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	err := listSenders(ctx, f.client)
	if !errors.Is(err, context.DeadlineExceeded) || !api.IsTimeout(err) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if strings.Contains(err.Error(), "PageSize") {
		t.Errorf("%q shows the query", err)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	f := newFixture(t, 3, fixtureOpts{})
	f.fake.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503, Code: 20503, Message: "busy", RetryAfter: "5"})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var asked time.Duration
	api.SetWait(f.client, func(ctx context.Context, d time.Duration) error {
		asked = d
		cancel()
		return api.SleepCtx(ctx, d) // the real wait, ended by ctx
	})
	err := fetchService(ctx, f.client)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel during backoff returned %v", err)
	}
	if apiErr, ok := api.AsError(err); !ok || apiErr.Status != 503 {
		t.Errorf("the 503 that caused the wait is lost from %v", err)
	}
	if asked != 5*time.Second || f.fake.Requests(twiliotest.RouteFetchService) != 1 {
		t.Errorf("asked to wait %v, %d requests", asked, f.fake.Requests(twiliotest.RouteFetchService))
	}
}

func TestSleepCtx(t *testing.T) {
	if err := api.SleepCtx(t.Context(), 0); err != nil {
		t.Error(err)
	}
	if err := api.SleepCtx(t.Context(), time.Nanosecond); err != nil {
		t.Error(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := api.SleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
}

// Cancelled while the body streams in: the error still says Canceled, and
// nothing is retried.
func TestCancelMidBody(t *testing.T) {
	started := make(chan struct{})
	var requests atomic.Int32
	c, w := handlerClient(t, func(rw http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		rw.Header().Set("Content-Type", "application/json")
		rw.Header().Set("Content-Length", "100000")
		_, _ = rw.Write([]byte(`{"senders": [`))
		_ = http.NewResponseController(rw).Flush()
		close(started)
		<-r.Context().Done() // until the client goes away
	}, fixtureOpts{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		<-started
		cancel()
	}()
	err := listSenders(ctx, c)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if requests.Load() != 1 || len(w.list()) != 0 {
		t.Errorf("%d requests, waits %v", requests.Load(), w.list())
	}
}
