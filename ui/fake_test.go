package ui

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	changes "github.com/senderpool/senderpool/change"
)

// demoModel runs the dashboard against the demo fake over real HTTP.
func demoModel(t *testing.T) (Model, *twiliotest.Fake) {
	t.Helper()
	fake, client := demoClient(t, api.Config{})
	m := start(t, newTestModel(t, client, 100, 30))
	return press(t, m, "enter"), fake
}

// demoClient serves a fresh demo fake on loopback and returns a real
// client for it, built from cfg with the fake's address and credentials.
func demoClient(t *testing.T, cfg api.Config) (*twiliotest.Fake, *changes.Client) {
	t.Helper()
	return demoWith(t, twiliotest.DemoOptions{}, cfg)
}

// demoWith is demoClient on a demo shaped by opts; the client changes
// the pool through the change package, as the dashboard's does.
func demoWith(t *testing.T, opts twiliotest.DemoOptions, cfg api.Config) (*twiliotest.Fake, *changes.Client) {
	t.Helper()
	fake, client := apitest.Demo(t, opts, cfg)
	return fake, changes.New(client, changes.Options{})
}

func listedSIDs(m Model) []string {
	var out []string
	for _, g := range listOf(m).shownGroups() {
		out = append(out, poolSIDs(g.Senders)...)
	}
	slices.Sort(out)
	return out
}

func TestScriptedSequenceMatchesFake(t *testing.T) {
	m, fake := demoModel(t)
	svc := shownService(m).SID
	check := func(what string) {
		t.Helper()
		if got, want := listedSIDs(m), fake.PoolSIDs(svc); !slices.Equal(got, want) {
			t.Fatalf("after %s the list shows %v, the server has %v", what, got, want)
		}
	}
	check("load")
	start := len(listedSIDs(m))

	m = press(t, m, "a", "down", "enter") // the picker's first sender (in no service)
	check("attach from the picker")
	m = press(t, m, "a", "down", "enter") // the next one, now first
	check("second attach")
	m = press(t, m, "g", "d", "y")
	check("detach the first row")
	m = press(t, m, "G", "d", "right", "enter")
	check("detach the last row")
	m = press(t, m, "j", "d", "n")
	check("cancelled detach")
	if n := len(listedSIDs(m)); n != start {
		t.Fatalf("two attaches and two detaches left %d senders, want %d", n, start)
	}

	// Something changes behind our back; a detach of it is a 404 and r
	// brings the true state.
	m = press(t, m, "g") // a channel sender, which the fake can detach behind our back
	victim, _ := selectedSender(m)
	if err := fake.Detach(svc, victim.SID); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "d", "y")
	check("detach of a sender gone elsewhere")

	// Typed SID: the malformed one makes no request.
	before := fake.TotalRequests()
	m = press(t, m, "a")
	opened := fake.TotalRequests()
	m = typeText(t, m, "XE1234")
	m = press(t, m, "enter")
	if fake.TotalRequests() != opened {
		t.Fatalf("a malformed SID made %d requests", fake.TotalRequests()-opened)
	}
	_ = before
	m = press(t, m, "esc")
	check("refused attach")
}

func TestAttachFaultShowsTwilioError(t *testing.T) {
	m, fake := demoModel(t)
	fake.AddFault(twiliotest.RouteCreateChannelSender, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21710, Message: "Sender is in another Messaging Service"})
	m = press(t, m, "a", "down", "enter")
	s := rendered(m)
	for _, want := range []string{"Sender is in another Messaging Service", "21710"} {
		if !contains(s, want) {
			t.Fatalf("error lacks %q:\n%s", want, s)
		}
	}
	if !isForm(m) {
		t.Fatal("the form did not come back")
	}
	if got, want := listedSIDs(m), fake.PoolSIDs(shownService(m).SID); !slices.Equal(got, want) {
		t.Fatalf("list %v != server %v", got, want)
	}
}

func TestQuitCancelsRequestsInFlight(t *testing.T) {
	m, fake := demoModel(t)
	fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultHang, Times: -1})
	m, cmd := step(t, m, keyPress("r"))
	done := make(chan []tea.Msg, 1)
	go func() { done <- flatten(cmd) }()
	for fake.Requests(twiliotest.RouteListChannelSenders) < 2 {
		runtime.Gosched() // wait until the refresh is hanging in the server
	}
	_, quit := step(t, m, keyPress("q"))
	if _, ok := quit().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
	select {
	case msgs := <-done:
		for _, msg := range msgs {
			if p, ok := msg.(pageMsg[api.ChannelSender]); ok && p.done && !errors.Is(p.err, context.Canceled) {
				t.Fatalf("the hung request ended with %v, want context.Canceled", p.err)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("quitting did not cancel the request in flight")
	}
}
