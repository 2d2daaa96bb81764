package twiliotest_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// moveFake is poolFake with channel senders: xe(1) in svcA, xe(2) free.
func moveFake() *twiliotest.Fake {
	f := poolFake()
	f.AddSender(twiliotest.SenderSeed{SID: xe(1), Sender: "whatsapp:+14155550100", SenderType: "WhatsApp", CountryCode: "US", Status: "ONLINE", Created: seedTime})
	f.AddSender(twiliotest.SenderSeed{SID: xe(2), Sender: "rcs:acme_agent", SenderType: "RCS", Status: "ONLINE", Created: seedTime})
	if err := f.Attach(svcA, xe(1)); err != nil {
		panic(err)
	}
	return f
}

// poolKind is one kind of pool member a move can carry.
type poolKind struct {
	name, segment, param string
	member, free         string // in svcA; on the account, in no service
	status, code         int    // the refusal of an attach while the member is in another service
}

func (k poolKind) attach(mg, sid string) call {
	return form(http.MethodPost, "/v1/Services/"+mg+"/"+k.segment, url.Values{k.param: {sid}})
}

func (k poolKind) detach(mg, sid string) call {
	return call{method: http.MethodDelete, target: "/v1/Services/" + mg + "/" + k.segment + "/" + sid}
}

var moveKinds = []poolKind{
	{"phone number", "PhoneNumbers", "PhoneNumberSid", pn(1), pn(4), 400, twiliotest.CodeInAnotherService},
	{"short code", "ShortCodes", "ShortCodeSid", sc(1), sc(2), 400, twiliotest.CodeInAnotherService},
	{"channel sender", "ChannelSenders", "Sid", xe(1), xe(2), 409, twiliotest.CodeConflict},
}

// A move is a detach from one service, then an attach to the other: an
// attach first is refused, as Twilio refuses it.
func TestMoveNeedsDetachFirst(t *testing.T) {
	for _, k := range moveKinds {
		t.Run(k.name, func(t *testing.T) {
			f := moveFake()
			e := start(t, f)
			e.must(k.attach(svcC, k.member)).twilioError(t, k.status, k.code)
			if r := e.must(k.detach(svcA, k.member)); r.status != http.StatusNoContent {
				t.Fatalf("detach: %d %s", r.status, r.body)
			}
			e.must(k.attach(svcC, k.member)).okJSON(t, http.StatusCreated)
			if !slices.Contains(f.PoolSIDs(svcC), k.member) || slices.Contains(f.PoolSIDs(svcA), k.member) {
				t.Errorf("after the move: A %v, C %v", f.PoolSIDs(svcA), f.PoolSIDs(svcC))
			}
			// And back: now A is the other service.
			e.must(k.attach(svcA, k.member)).twilioError(t, k.status, k.code)
		})
	}
}

// A fault on the attach half of a move, scoped to the target service:
// the detach from A succeeds, the attach to C fails, and a rollback to A
// succeeds unless the attach was made before its answer was lost.
func TestMoveAttachFault(t *testing.T) {
	faults := []struct {
		name    string
		fault   twiliotest.Fault
		applied bool // the attach was made though its answer was lost
		check   func(t *testing.T, r reply, err error)
	}{
		{"500", twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500}, false, func(t *testing.T, r reply, err error) {
			if err != nil {
				t.Fatal(err)
			}
			r.twilioError(t, http.StatusInternalServerError, 20500)
		}},
		{"connection dropped", twiliotest.Fault{Kind: twiliotest.FaultDrop}, false, func(t *testing.T, _ reply, err error) {
			if err == nil {
				t.Error("the attach got an answer through a dropped connection")
			}
		}},
		{"answer cut off", twiliotest.Fault{Kind: twiliotest.FaultDropMidBody}, true, func(t *testing.T, r reply, err error) {
			if err == nil || r.status != http.StatusCreated {
				t.Errorf("got %d, %v; want 201 headers and a body cut off", r.status, err)
			}
		}},
	}
	for _, k := range moveKinds {
		for _, fc := range faults {
			t.Run(k.name+"/"+fc.name, func(t *testing.T) {
				f := moveFake()
				e := start(t, f)
				fault := fc.fault
				fault.Service = svcC
				f.AddSharedFault(fault, twiliotest.AttachRoutes()...)

				// An attach to another service passes the fault by.
				e.must(k.attach(svcB, k.free)).okJSON(t, http.StatusCreated)

				if r := e.must(k.detach(svcA, k.member)); r.status != http.StatusNoContent {
					t.Fatalf("detach: %d %s", r.status, r.body)
				}
				r, err := e.do(k.attach(svcC, k.member))
				fc.check(t, r, err)
				inC := slices.Contains(f.PoolSIDs(svcC), k.member)
				if inC != fc.applied {
					t.Errorf("in C after the failed attach: %v, want %v", inC, fc.applied)
				}

				rollback := e.must(k.attach(svcA, k.member))
				if fc.applied {
					rollback.twilioError(t, k.status, k.code)
					return
				}
				rollback.okJSON(t, http.StatusCreated)
				// The fault fired once: the same move now goes through.
				if r := e.must(k.detach(svcA, k.member)); r.status != http.StatusNoContent {
					t.Fatalf("second detach: %d %s", r.status, r.body)
				}
				e.must(k.attach(svcC, k.member)).okJSON(t, http.StatusCreated)
			})
		}
	}
}

// A shared fault fires Times in all, whichever of its routes the requests
// come on, after Skip of them.
func TestSharedFaultSkipAndTimes(t *testing.T) {
	f := moveFake()
	e := start(t, f)
	f.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503, Service: svcC, Skip: 1, Times: 2},
		twiliotest.AttachRoutes()...)
	number, short, sender := moveKinds[0], moveKinds[1], moveKinds[2]
	e.must(number.attach(svcC, pn(4))).okJSON(t, http.StatusCreated) // skipped
	e.must(number.attach(svcB, pn(1))).twilioError(t, 400, twiliotest.CodeInAnotherService)
	e.must(short.attach(svcC, sc(2))).twilioError(t, http.StatusServiceUnavailable, 20503)
	e.must(form(http.MethodPost, "/v1/Services/"+svcC+"/AlphaSenders", url.Values{"AlphaSender": {"Acme"}})).
		twilioError(t, http.StatusServiceUnavailable, 20503)
	e.must(sender.attach(svcC, xe(2))).okJSON(t, http.StatusCreated) // spent
	e.must(short.attach(svcC, sc(2))).okJSON(t, http.StatusCreated)
	// A fault scoped to C never fired for B, and a later unscoped one on
	// a route still fires.
	f.AddFault(twiliotest.RouteCreatePhoneNumber, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500})
	e.must(number.attach(svcB, pn(2))).twilioError(t, http.StatusInternalServerError, 20500)
}

// The demo's fault script scopes a fault with @MG…: the attach half of a
// move of a demo number into Acme Marketing fails, its detach does not.
func TestMoveFaultFromScript(t *testing.T) {
	faults, err := twiliotest.ParseFaults("attach-number@" + twiliotest.DemoServiceMarketing + "=500")
	if err != nil {
		t.Fatal(err)
	}
	want := twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: twiliotest.DemoServiceMarketing}
	if got := faults[twiliotest.RouteCreatePhoneNumber]; len(got) != 1 || got[0] != want {
		t.Fatalf("ParseFaults = %+v, want %+v", faults, want)
	}
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	for route, list := range faults {
		for _, fault := range list {
			f.AddFault(route, fault)
		}
	}
	e := start(t, f)
	number := moveKinds[0]
	demo := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	if r := e.must(demo(number.detach(twiliotest.DemoServiceNotifications, twiliotest.DemoNumberUSSanFrancisco))); r.status != http.StatusNoContent {
		t.Fatalf("detach: %d %s", r.status, r.body)
	}
	e.must(demo(number.attach(twiliotest.DemoServiceMarketing, twiliotest.DemoNumberUSSanFrancisco))).twilioError(t, 500, 20500)
	e.must(demo(number.attach(twiliotest.DemoServiceNotifications, twiliotest.DemoNumberUSSanFrancisco))).okJSON(t, http.StatusCreated)

	for _, bad := range []string{"attach@MG123=500", "attach@=500", "attach@" + twiliotest.DemoAccountSID + "=500"} {
		if _, err := twiliotest.ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
}
