package twiliotest_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

func TestFaultCasesAreWellFormed(t *testing.T) {
	cases := twiliotest.FaultCases()
	if len(cases) != 18 {
		t.Errorf("%d fault cases; the matrices' names count 18", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if c.Name == "" || seen[c.Name] {
			t.Errorf("case %q: empty or repeated name", c.Name)
		}
		seen[c.Name] = true
		hang := c.Fault.Kind == twiliotest.FaultHang
		if (c.Words == nil) != (c.Recovers || hang) {
			t.Errorf("%s: words %q; only a case that recovers, or a hang, has none", c.Name, c.Words)
		}
		if c.Recovers && (c.Retry != twiliotest.RetryAlways || c.Fault.Times != 0) {
			t.Errorf("%s recovers, but fires %d times with retry %v", c.Name, c.Fault.Times, c.Retry)
		}
		if (c.RealAttach == "") != (c.RealAttachWords == nil) {
			t.Errorf("%s: RealAttach %q with words %q", c.Name, c.RealAttach, c.RealAttachWords)
		}
		if c.Fault.Kind == twiliotest.FaultStatus && c.Fault.Code == 0 {
			t.Errorf("%s: a Twilio error without its code", c.Name)
		}
	}
	// A fresh list each call: one matrix changing its copy changes nothing.
	cases[0].Name, cases[0].Words[0] = "changed", "changed"
	if again := twiliotest.FaultCases(); again[0].Name == "changed" || again[0].Words[0] == "changed" {
		t.Errorf("FaultCases shares its slices between calls")
	}
}

// Each case's fault does what the case says to a request served by the
// fake; the facts about the client are checked in package api.
func TestFaultCasesOnTheWire(t *testing.T) {
	as := func(c call) call {
		c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken
		return c
	}
	list := as(call{target: "/v1/Services"})
	for _, c := range twiliotest.FaultCases() {
		t.Run(c.Name, func(t *testing.T) {
			if c.Fault.Kind == twiliotest.FaultHang || c.Fault.Kind == twiliotest.FaultDrop || c.Fault.Kind == twiliotest.FaultDropMidBody {
				t.Skip("no whole reply to look at: faults_test.go and package api's tests drive these")
			}
			f := twiliotest.Demo(twiliotest.DemoOptions{})
			e := start(t, f)
			f.AddFault(twiliotest.RouteListServices, c.Fault)
			r := e.must(list)
			switch c.Fault.Kind {
			case twiliotest.FaultStatus:
				m := r.twilioError(t, c.Fault.Status, c.Fault.Code)
				if m["message"] != c.Fault.Message {
					t.Errorf("message %v, want %q", m["message"], c.Fault.Message)
				}
				if got := r.header.Get("Retry-After"); got != c.Fault.RetryAfter {
					t.Errorf("Retry-After %q, want %q", got, c.Fault.RetryAfter)
				}
			case twiliotest.FaultHTML:
				if r.header.Get("Content-Type") != "text/html" || !bytes.Contains(r.body, []byte("<html")) {
					t.Errorf("not an HTML page: %s %s", r.header.Get("Content-Type"), r.body)
				}
			}
			next := e.must(list).status
			if once := c.Fault.Times == 0; once != (next == 200) {
				t.Errorf("fires %d times (0: once), and the next request got %d", c.Fault.Times, next)
			}
		})
	}
}

// The 401 case is the very reply the fake gives a wrong secret, so a matrix
// may use either.
func TestFaultCase401IsTheRealOne(t *testing.T) {
	i := slices.IndexFunc(twiliotest.FaultCases(), func(c twiliotest.FaultCase) bool { return c.Fault.Status == 401 })
	if i < 0 {
		t.Fatal("no 401 case")
	}
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	e := start(t, f)
	real := e.must(call{target: "/v1/Services", user: twiliotest.DemoAccountSID, pass: "wrong-" + twiliotest.DemoAuthToken})
	f.AddFault(twiliotest.RouteListServices, twiliotest.FaultCases()[i].Fault)
	injected := e.must(call{target: "/v1/Services", user: twiliotest.DemoAccountSID, pass: twiliotest.DemoAuthToken})
	if real.status != injected.status || !bytes.Equal(real.body, injected.body) {
		t.Errorf("wrong secret: %d %s\ninjected:     %d %s", real.status, real.body, injected.status, injected.body)
	}
}

// RealAttach meets the case's status for real, with no fault queued.
func TestFaultCasesRealAttach(t *testing.T) {
	for _, c := range twiliotest.FaultCases() {
		if c.RealAttach == "" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			e := start(t, twiliotest.Demo(twiliotest.DemoOptions{}))
			a := attachTo(twiliotest.DemoServiceNotifications, c.RealAttach)
			a.user, a.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken
			e.must(a).twilioError(t, c.Fault.Status, c.Fault.Code)
		})
	}
}
