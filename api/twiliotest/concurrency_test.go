package twiliotest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// result is one reply of a request sent from a goroutine.
type result struct {
	r   reply
	err error
}

// next receives one result, failing the test past a generous deadline.
func next(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case res := <-ch:
		return res
	case <-time.After(10 * time.Second):
		t.Fatal("no reply came")
		return result{}
	}
}

func heldCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestConcurrencyLimit(t *testing.T) {
	cases := []struct {
		name  string
		limit twiliotest.ConcurrencyLimit
		// retryAfter is the Retry-After of each refusal, in order; the
		// first refusal is the one of N+1 requests sent together.
		retryAfter []string
	}{
		{"no Retry-After", twiliotest.ConcurrencyLimit{MaxInFlight: 3}, []string{"", "", ""}},
		{"Retry-After on every refusal", twiliotest.ConcurrencyLimit{MaxInFlight: 2, RetryAfter: 2}, []string{"2", "2", "2"}},
		{"every=1 is every refusal", twiliotest.ConcurrencyLimit{MaxInFlight: 4, RetryAfter: 1, RetryAfterEvery: 1}, []string{"1", "1"}},
		{"Retry-After on every third", twiliotest.ConcurrencyLimit{MaxInFlight: 1, RetryAfter: 5, RetryAfterEvery: 3}, []string{"", "", "5", "", "", "5", ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := smallFake()
			f.SetConcurrency(c.limit)
			e := start(t, f)
			n := c.limit.MaxInFlight
			gate := f.Hold()
			defer gate.Open()

			results := make(chan result, n+1)
			for range n + 1 {
				go func() {
					r, err := e.do(call{target: "/v1/Services"})
					results <- result{r, err}
				}()
			}
			// The gate holds the N admitted ones: the first reply is the refusal.
			check := func(i int, res result) {
				t.Helper()
				if res.err != nil {
					t.Fatalf("refusal %d: %v", i+1, res.err)
				}
				m := res.r.twilioError(t, http.StatusTooManyRequests, 20429)
				if m["message"] != "Too Many Requests" {
					t.Errorf("refusal %d: message = %v", i+1, m["message"])
				}
				if got := res.r.header.Get("Retry-After"); got != c.retryAfter[i] {
					t.Errorf("refusal %d: Retry-After = %q, want %q", i+1, got, c.retryAfter[i])
				}
				if res.r.header.Get("Twilio-Request-Id") == "" {
					t.Errorf("refusal %d: no Twilio-Request-Id", i+1)
				}
			}
			check(0, next(t, results))
			if err := gate.WaitHeld(heldCtx(t), n); err != nil {
				t.Fatal(err)
			}
			if got := f.InFlight(); got != n {
				t.Errorf("InFlight = %d, want %d", got, n)
			}
			for i := 1; i < len(c.retryAfter); i++ {
				r, err := e.do(call{target: "/v1/Services"})
				check(i, result{r, err})
			}
			if got := f.Throttled(); got != len(c.retryAfter) {
				t.Errorf("Throttled = %d, want %d", got, len(c.retryAfter))
			}

			gate.Open()
			for range n {
				res := next(t, results)
				if res.err != nil {
					t.Fatal(res.err)
				}
				res.r.okJSON(t, http.StatusOK)
			}
			// Every slot is free once its answer is out.
			if got := f.InFlight(); got != 0 {
				t.Errorf("InFlight after the answers = %d, want 0", got)
			}
			if got := f.PeakInFlight(); got != n {
				t.Errorf("PeakInFlight = %d, want %d", got, n)
			}
			e.get("/v1/Services").okJSON(t, http.StatusOK)
			if got, want := f.Requests(twiliotest.RouteListServices), n+len(c.retryAfter)+1; got != want {
				t.Errorf("Requests = %d, want %d (refusals count)", got, want)
			}
			if got := f.Throttled(); got != len(c.retryAfter) {
				t.Errorf("Throttled at the end = %d, want %d", got, len(c.retryAfter))
			}
		})
	}
}

// A refusal comes before faults, authentication and the handler: Twilio
// did not act, so it neither spends a queued fault nor makes an attach.
func TestConcurrencyLimitComesFirst(t *testing.T) {
	f := smallFake()
	f.SetConcurrency(twiliotest.ConcurrencyLimit{MaxInFlight: 1})
	e := start(t, f)
	gate := f.Hold(twiliotest.RouteListChannelSenders)
	defer gate.Open()
	held := make(chan result, 1)
	go func() {
		r, err := e.do(call{target: "/v1/Services/" + svcA + "/ChannelSenders"})
		held <- result{r, err}
	}()
	if err := gate.WaitHeld(heldCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	f.AddFault(twiliotest.RouteListServices, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500})
	e.get("/v1/Services").twilioError(t, http.StatusTooManyRequests, 20429)
	e.must(call{target: "/v1/Services", user: testAccount, pass: "wrong"}).twilioError(t, http.StatusTooManyRequests, 20429)
	e.must(attachTo(svcC, xe(5))).twilioError(t, http.StatusTooManyRequests, 20429)

	gate.Open()
	if res := next(t, held); res.err != nil {
		t.Fatal(res.err)
	} else {
		res.r.okJSON(t, http.StatusOK)
	}
	e.get("/v1/Services").twilioError(t, http.StatusInternalServerError, 20500) // the fault is still queued
	if got := f.AttachedSIDs(svcC); len(got) != 0 {
		t.Errorf("svcC holds %v after a refused attach", got)
	}
}

func TestConcurrencyOffByDefault(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	gate := f.Hold()
	defer gate.Open()
	const n = 20
	results := make(chan result, n)
	for range n {
		go func() {
			r, err := e.do(call{target: "/v1/Services"})
			results <- result{r, err}
		}()
	}
	if err := gate.WaitHeld(heldCtx(t), n); err != nil {
		t.Fatal(err)
	}
	gate.Open()
	for range n {
		res := next(t, results)
		if res.err != nil {
			t.Fatal(res.err)
		}
		res.r.okJSON(t, http.StatusOK)
	}
	if f.Throttled() != 0 || f.PeakInFlight() != n {
		t.Errorf("Throttled = %d, PeakInFlight = %d; want 0, %d", f.Throttled(), f.PeakInFlight(), n)
	}
}

func TestConcurrencyOptions(t *testing.T) {
	limit := twiliotest.ConcurrencyLimit{MaxInFlight: 1, RetryAfter: 7}
	for _, tc := range []struct {
		name string
		fake *twiliotest.Fake
		user string
		pass string
	}{
		{"Options", twiliotest.New(twiliotest.Options{Concurrency: limit}), twiliotest.DemoAccountSID, twiliotest.DemoAuthToken},
		{"DemoOptions", twiliotest.Demo(twiliotest.DemoOptions{Concurrency: limit}), twiliotest.DemoAccountSID, twiliotest.DemoAuthToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, tc.fake)
			gate := tc.fake.Hold()
			defer gate.Open()
			held := make(chan result, 1)
			go func() {
				r, err := e.do(call{target: "/v1/Services", user: tc.user, pass: tc.pass})
				held <- result{r, err}
			}()
			if err := gate.WaitHeld(heldCtx(t), 1); err != nil {
				t.Fatal(err)
			}
			r := e.must(call{target: "/v1/Services", user: tc.user, pass: tc.pass})
			r.twilioError(t, http.StatusTooManyRequests, 20429)
			if r.header.Get("Retry-After") != "7" {
				t.Errorf("Retry-After = %q, want 7", r.header.Get("Retry-After"))
			}
			gate.Open()
			if res := next(t, held); res.err != nil || res.r.status != http.StatusOK {
				t.Fatalf("held request: %v %d", res.err, res.r.status)
			}
			if tc.fake.Throttled() != 1 {
				t.Errorf("Throttled = %d, want 1", tc.fake.Throttled())
			}
		})
	}
}

func TestGate(t *testing.T) {
	f := smallFake()
	e := start(t, f)
	gate := f.Hold(twiliotest.RouteCreateChannelSender)
	defer gate.Open()

	// A route the gate does not hold passes.
	e.get("/v1/Services").okJSON(t, http.StatusOK)

	// A client that gives up frees its place.
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		c := attachTo(svcC, xe(5))
		c.ctx = ctx
		_, err := e.do(c)
		gone <- err
	}()
	if err := gate.WaitHeld(heldCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	within(t, "the cancelled request", func() {
		if err := <-gone; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled request: %v", err)
		}
	})
	waitFor(t, "the cancelled request to leave", func() bool { return gate.Held() == 0 && f.InFlight() == 0 })
	if got := f.AttachedSIDs(svcC); len(got) != 0 {
		t.Errorf("a cancelled held attach was made: %v", got)
	}

	// WaitHeld ends with its context.
	short, stop := context.WithCancel(context.Background())
	stop()
	if err := gate.WaitHeld(short, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitHeld on a done context = %v", err)
	}

	// Once open, the route passes; Open twice is fine.
	gate.Open()
	gate.Open()
	e.must(attachTo(svcC, xe(5))).okJSON(t, http.StatusCreated)
}

func TestParseConcurrency(t *testing.T) {
	good := map[string]twiliotest.ConcurrencyLimit{
		"4":                       {MaxInFlight: 4},
		" 4 , retry-after=2 ":     {MaxInFlight: 4, RetryAfter: 2},
		"1,retry-after=5,every=3": {MaxInFlight: 1, RetryAfter: 5, RetryAfterEvery: 3},
		"2,every=2,retry-after=1": {MaxInFlight: 2, RetryAfter: 1, RetryAfterEvery: 2},
	}
	for spec, want := range good {
		got, err := twiliotest.ParseConcurrency(spec)
		if err != nil || got != want {
			t.Errorf("ParseConcurrency(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "x", "4,retry-after", "4,retry-after=0", "4,retry-after=x", "4,every=3", "4,wait=1", "4,,"} {
		if got, err := twiliotest.ParseConcurrency(bad); err == nil {
			t.Errorf("ParseConcurrency(%q) = %+v, accepted", bad, got)
		}
	}
}
