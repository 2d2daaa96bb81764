package api_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

var requestIDShape = regexp.MustCompile(`^RQ[0-9a-f]{32}$`)

// replies records what WithRequestIDs reports; safe for ListPool's
// parallel sources.
type replies struct {
	mu   sync.Mutex
	list []api.ReplyID
}

func (r *replies) note(id api.ReplyID) {
	r.mu.Lock()
	r.list = append(r.list, id)
	r.mu.Unlock()
}

func (r *replies) get() []api.ReplyID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.list)
}

// recordedIDs are the ids the fake gave the requests on route, in order.
func recordedIDs(f *twiliotest.Fake, route twiliotest.Route) []string {
	var out []string
	for _, r := range f.Records() {
		if r.Route == route {
			out = append(out, r.RequestID)
		}
	}
	return out
}

func TestWithRequestIDs(t *testing.T) {
	yes := true
	cases := []struct {
		name  string
		fault *twiliotest.Fault // on the call's route
		route twiliotest.Route
		call  func(ctx context.Context, c *api.Client) error
		want  []int // the statuses reported, in order
		err   bool  // the call fails
	}{
		{name: "attach", route: twiliotest.RouteCreateChannelSender, want: []int{201},
			call: func(ctx context.Context, c *api.Client) error {
				_, err := c.CreateChannelSender(ctx, otherSvc, freeSender)
				return err
			}},
		{name: "detach", route: twiliotest.RouteDeleteChannelSender, want: []int{204},
			call: func(ctx context.Context, c *api.Client) error { return c.DeleteChannelSender(ctx, testService, xe(1)) }},
		{name: "setting", route: twiliotest.RouteUpdateService, want: []int{200},
			call: func(ctx context.Context, c *api.Client) error {
				_, err := c.UpdateService(ctx, testService, api.ServiceUpdate{StickySender: &yes})
				return err
			}},
		{name: "refused", route: twiliotest.RouteCreateChannelSender, want: []int{409}, err: true,
			call: func(ctx context.Context, c *api.Client) error {
				_, err := c.CreateChannelSender(ctx, otherSvc, xe(1)) // in testService
				return err
			}},
		{name: "503 then attached", route: twiliotest.RouteCreateChannelSender, want: []int{503, 201},
			fault: &twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503},
			call: func(ctx context.Context, c *api.Client) error {
				_, err := c.CreateChannelSender(ctx, otherSvc, freeSender)
				return err
			}},
		// The attach was made and its answer cut off: its id is known all
		// the same.
		{name: "answer cut off", route: twiliotest.RouteCreateChannelSender, want: []int{201}, err: true,
			fault: &twiliotest.Fault{Kind: twiliotest.FaultDropMidBody},
			call: func(ctx context.Context, c *api.Client) error {
				_, err := c.CreateChannelSender(ctx, otherSvc, freeSender)
				return err
			}},
		{name: "no answer", route: twiliotest.RouteCreateChannelSender, want: nil, err: true,
			fault: &twiliotest.Fault{Kind: twiliotest.FaultDrop},
			call: func(ctx context.Context, c *api.Client) error {
				_, err := c.CreateChannelSender(ctx, otherSvc, freeSender)
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, 2, fixtureOpts{})
			if tc.fault != nil {
				fx.fake.AddFault(tc.route, *tc.fault)
			}
			var got replies
			err := tc.call(api.WithRequestIDs(context.Background(), got.note), fx.client)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want an error: %v", err, tc.err)
			}
			list := got.get()
			var statuses []int
			for _, r := range list {
				statuses = append(statuses, r.Status)
			}
			if !slices.Equal(statuses, tc.want) {
				t.Fatalf("statuses reported = %v, want %v (%+v)", statuses, tc.want, list)
			}
			recorded := recordedIDs(fx.fake, tc.route)
			for i, r := range list {
				if !requestIDShape.MatchString(r.ID) {
					t.Errorf("reply %d: id %q", i, r.ID)
				}
				if i < len(recorded) && r.ID != recorded[i] {
					t.Errorf("reply %d: id %s, the fake gave %s", i, r.ID, recorded[i])
				}
				if r.Method == "" || !strings.HasPrefix(r.Path, "/v1/Services/") || strings.Contains(r.Path, "?") {
					t.Errorf("reply %d: %+v names no request", i, r)
				}
			}
			if apiErr, ok := api.AsError(err); ok && len(list) > 0 {
				if last := list[len(list)-1]; apiErr.RequestID != last.ID {
					t.Errorf("Error.RequestID = %q, the recorder saw %q", apiErr.RequestID, last.ID)
				}
			}
		})
	}
}

// Every page of a list and every source of a pool is reported, from
// goroutines at once; a recorder already on the context keeps its calls.
func TestWithRequestIDsNestedAndParallel(t *testing.T) {
	fx := newFixture(t, 2*api.PageSize+1, fixtureOpts{})
	var outer, inner replies
	ctx := api.WithRequestIDs(context.Background(), outer.note)
	ctx = api.WithRequestIDs(ctx, inner.note)
	ctx = api.WithRequestIDs(ctx, nil) // changes nothing
	if _, err := fx.client.ListPool(ctx, testService); err != nil {
		t.Fatal(err)
	}
	recs := fx.fake.Records()
	if got := len(outer.get()); got != len(recs) || len(recs) < 3 {
		t.Errorf("outer recorder saw %d replies, the fake %d requests", got, len(recs))
	}
	// Parallel sources may interleave differently in the two: compare sets.
	byID := func(a, b api.ReplyID) int { return strings.Compare(a.ID, b.ID) }
	o, i := outer.get(), inner.get()
	slices.SortFunc(o, byID)
	slices.SortFunc(i, byID)
	if !slices.Equal(o, i) {
		t.Errorf("outer saw %v, inner %v", o, i)
	}
	want := map[string]bool{}
	for _, r := range recs {
		want[r.RequestID] = true
	}
	for _, r := range inner.get() {
		if !want[r.ID] || r.Method != http.MethodGet || r.Status != http.StatusOK {
			t.Errorf("reply %+v is not one the fake answered", r)
		}
		delete(want, r.ID)
	}
	if len(want) != 0 {
		t.Errorf("%d replies never reported", len(want))
	}
}

// An attach meets the fake's concurrency limit, waits the Retry-After it
// is given, and goes through: the recorder sees the refusal and then the
// change.
func TestWithRequestIDsThroughTheConcurrencyLimit(t *testing.T) {
	fx := newFixture(t, 2, fixtureOpts{})
	fx.fake.SetConcurrency(twiliotest.ConcurrencyLimit{MaxInFlight: 1, RetryAfter: 1})
	gate := fx.fake.Hold(twiliotest.RouteListServices)
	defer gate.Open()
	held := make(chan error, 1)
	other := newClient(t, fx.srv.URL, fixtureOpts{}, nil)
	t.Cleanup(other.Close)
	go func() {
		_, err := other.ListServices(context.Background())
		held <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := gate.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// The wait before the retry lets the held request finish: its place
	// is free before its answer is out.
	var delays []time.Duration
	api.SetWait(fx.client, func(ctx context.Context, d time.Duration) error {
		delays = append(delays, d)
		gate.Open()
		select {
		case err := <-held:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	var got replies
	if _, err := fx.client.CreateChannelSender(api.WithRequestIDs(ctx, got.note), otherSvc, freeSender); err != nil {
		t.Fatal(err)
	}
	list := got.get()
	if len(list) != 2 || list[0].Status != http.StatusTooManyRequests || list[1].Status != http.StatusCreated || list[0].ID == list[1].ID {
		t.Fatalf("replies = %+v, want a 429 and a 201 with ids of their own", list)
	}
	if !slices.Equal(delays, []time.Duration{time.Second}) {
		t.Errorf("waits = %v, want the Retry-After of 1s", delays)
	}
	if fx.fake.Throttled() != 1 {
		t.Errorf("Throttled = %d, want 1", fx.fake.Throttled())
	}
	if ids := recordedIDs(fx.fake, twiliotest.RouteCreateChannelSender); !slices.Equal(ids, []string{list[0].ID, list[1].ID}) {
		t.Errorf("the fake gave %v, the recorder saw %v", ids, list)
	}
}
