package twiliotest_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

var requestIDShape = regexp.MustCompile(`^RQ[0-9a-f]{32}$`)

func TestRequestIDs(t *testing.T) {
	cases := []struct {
		name   string
		fault  *twiliotest.Fault // queued on the call's route first, if any
		route  twiliotest.Route
		call   call
		status int
		noID   bool // the reply carries no id: a proxy's page
	}{
		{name: "list", call: call{target: "/v1/Services"}, status: 200},
		{name: "attach", call: attachTo(svcC, xe(5)), status: 201},
		{name: "detach", call: call{method: http.MethodDelete, target: "/v1/Services/" + svcC + "/ChannelSenders/" + xe(5)}, status: 204},
		{name: "update", call: form(http.MethodPost, "/v1/Services/"+svcA, url.Values{"StickySender": {"false"}}), status: 200},
		{name: "404", call: call{target: "/v1/Services/" + svcX}, status: 404},
		{name: "401", call: call{target: "/v1/Services", user: testAccount, pass: "wrong"}, status: 401},
		{name: "405", call: call{method: http.MethodPut, target: "/v1/Services"}, status: 405},
		{name: "unknown path", call: call{target: "/v9/Nothing"}, status: 404},
		{name: "fault 503", fault: &twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503}, route: twiliotest.RouteListServices,
			call: call{target: "/v1/Services"}, status: 503},
		{name: "malformed", fault: &twiliotest.Fault{Kind: twiliotest.FaultMalformedJSON}, route: twiliotest.RouteListServices,
			call: call{target: "/v1/Services"}, status: 200},
		{name: "empty", fault: &twiliotest.Fault{Kind: twiliotest.FaultEmptyBody}, route: twiliotest.RouteListServices,
			call: call{target: "/v1/Services"}, status: 200},
		{name: "cut off", fault: &twiliotest.Fault{Kind: twiliotest.FaultDropMidBody}, route: twiliotest.RouteListServices,
			call: call{target: "/v1/Services"}, status: 200},
		{name: "proxy page", fault: &twiliotest.Fault{Kind: twiliotest.FaultHTML}, route: twiliotest.RouteListServices,
			call: call{target: "/v1/Services"}, status: 502, noID: true},
	}
	f := smallFake()
	e := start(t, f)
	seen := map[string]string{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fault != nil {
				f.AddFault(c.route, *c.fault)
			}
			r, err := e.do(c.call)
			if r.status != c.status {
				t.Fatalf("status = %d, want %d (%v)", r.status, c.status, err)
			}
			id := r.header.Get("Twilio-Request-Id")
			recs := f.Records()
			if rec := recs[len(recs)-1]; !requestIDShape.MatchString(rec.RequestID) {
				t.Errorf("recorded id %q is not RQ and 32 hex digits", rec.RequestID)
			} else if !c.noID && rec.RequestID != id {
				t.Errorf("reply's id %q, recorded %q", id, rec.RequestID)
			}
			if c.noID {
				if id != "" {
					t.Errorf("a proxy's page carries Twilio's id %q", id)
				}
				return
			}
			if !requestIDShape.MatchString(id) {
				t.Fatalf("Twilio-Request-Id = %q, want RQ and 32 hex digits", id)
			}
			if other, dup := seen[id]; dup {
				t.Errorf("id %s already given to %s", id, other)
			}
			seen[id] = c.name
		})
	}
}

// Ids are unique across many requests, and the same from one run to the
// next, so the demo's screens are.
func TestRequestIDsUniqueAndStable(t *testing.T) {
	const n = 500
	ids := func() []string {
		f := smallFake()
		e := start(t, f)
		for range n {
			e.get("/v1/Services/" + svcA)
		}
		out := make([]string, 0, n)
		for _, r := range f.Records() {
			out = append(out, r.RequestID)
		}
		return out
	}
	first, second := ids(), ids()
	seen := map[string]bool{}
	for i, id := range first {
		if !requestIDShape.MatchString(id) || seen[id] {
			t.Fatalf("id %d: %q malformed or repeated", i, id)
		}
		seen[id] = true
		if second[i] != id {
			t.Fatalf("id %d: %q, then %q on a second run", i, id, second[i])
		}
	}
}
