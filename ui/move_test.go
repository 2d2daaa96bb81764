package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// moveDemo is the demo with a journal of moves, opened on Acme
// Notifications with the add form filtered to +16465550123 (in Acme
// Marketing) and that sender picked.
func moveDemo(t *testing.T) (Model, *twiliotest.Fake) {
	t.Helper()
	fake, raw := apitest.Demo(t, twiliotest.DemoOptions{}, api.Config{})
	j, err := journal.Open(t.TempDir(), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	client := changes.New(raw, changes.Options{Journal: j})
	m := press(t, start(t, newTestModel(t, client, 100, 30)), "enter", "a")
	m = typeText(t, m, "+16465550123")
	return press(t, m, "down"), fake
}

// onSendersScreen runs one of the senders screen's methods on the model,
// as its update would.
func onSendersScreen(m Model, f func(s sendersScreen, c *common) (layer, tea.Cmd, action)) (Model, tea.Cmd) {
	n := len(m.screens) - 1
	m.screens = slices.Clone(m.screens)
	next, cmd, act := f(m.screens[n].(sendersScreen), &m.c)
	m.screens[n] = next.(screen)
	return m, tea.Batch(cmd, m.apply(act))
}

// move runs a move request to its reply: the reply goes to every layer
// (the index learns it), and to onMoved where the senders screen does not
// take it itself.
func move(t *testing.T, m Model, req moveRequest) Model {
	t.Helper()
	m, cmd := onSendersScreen(m, func(s sendersScreen, c *common) (layer, tea.Cmd, action) { return s.startMove(c, req) })
	if !slices.ContainsFunc(sendersOf(m).pending, func(p api.PoolSender) bool { return p.SID == req.sender.SID }) {
		t.Fatalf("no pending row while the move runs:\n%s", rendered(m))
	}
	if op, ok := m.c.changeOn(shownService(m).SID, req.sender.SID); !ok || op != opMove {
		t.Fatalf("the move is not a change in flight (%v %v)", op, ok)
	}
	for _, msg := range flatten(cmd) {
		moved, ok := msg.(movedMsg)
		if !ok {
			m = update(t, m, msg)
			continue
		}
		m = update(t, m, moved)
		if slices.ContainsFunc(sendersOf(m).pending, func(p api.PoolSender) bool { return p.SID == req.sender.SID }) {
			var more tea.Cmd
			m, more = onSendersScreen(m, func(s sendersScreen, c *common) (layer, tea.Cmd, action) { return s.onMoved(c, moved) })
			m = run(t, m, more)
		}
	}
	return m
}

// TestAttachPickerOffersAMove: the picker marks the number Acme Marketing
// holds, enter on it asks to move it (naming both services), and yes
// moves it on the fake: the list, the notice and the index follow.
func TestAttachPickerOffersAMove(t *testing.T) {
	m, fake := moveDemo(t)
	s := rendered(m)
	for _, want := range []string{"+16465550123", "in Acme Marketing", "in Acme Marketing: enter offers to move it here"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the picker lacks %q:\n%s", want, s)
		}
	}
	before := fake.TotalRequests()
	m = press(t, m, "enter")
	d, ok := confirmOf(m)
	if !ok {
		t.Fatalf("enter on a sender another service holds opened %T:\n%s", dialog(m), rendered(m))
	}
	if fake.TotalRequests() != before {
		t.Fatal("asking sent a request")
	}
	s = rendered(m)
	for _, want := range []string{"Move +16465550123 from Acme Marketing to Acme Notifications?", "detach there, then an attach here; if the attach fails it goes back", "y move"} {
		if !strings.Contains(strings.Join(strings.Fields(s), " "), want) {
			t.Fatalf("the confirmation lacks %q:\n%s", want, s)
		}
	}
	req, ok := d.onYes.(moveRequest)
	if !ok || req.from != twiliotest.DemoServiceMarketing || req.sender.SID != twiliotest.DemoNumberUSMarketing {
		t.Fatalf("yes would send %#v", d.onYes)
	}
	m = press(t, m, "n")
	if dialog(m) != nil || !slices.Contains(fake.PoolSIDs(twiliotest.DemoServiceMarketing), twiliotest.DemoNumberUSMarketing) {
		t.Fatal("no did something")
	}
	m = move(t, m, req)
	if !slices.Contains(fake.PoolSIDs(twiliotest.DemoServiceNotifications), twiliotest.DemoNumberUSMarketing) ||
		slices.Contains(fake.PoolSIDs(twiliotest.DemoServiceMarketing), twiliotest.DemoNumberUSMarketing) {
		t.Fatal("the fake did not move it")
	}
	if got, want := listedSIDs(m), fake.PoolSIDs(twiliotest.DemoServiceNotifications); !slices.Equal(got, want) {
		t.Errorf("the list shows %v, the fake %v", got, want)
	}
	if !strings.Contains(rendered(m), "✓ moved +16465550123 here from Acme Marketing") || len(m.c.changes) != 0 {
		t.Errorf("after the move (changes in flight %d):\n%s", len(m.c.changes), rendered(m))
	}
	hs := m.c.holdersOf(twiliotest.DemoNumberUSMarketing, "")
	if len(hs) != 1 || hs[0].service != twiliotest.DemoServiceNotifications {
		t.Errorf("the index says %v holds it", hs)
	}
	if e, _ := m.c.indexEntry(twiliotest.DemoServiceMarketing); e.Counts.ByKind[api.KindPhoneNumber] != 1 {
		t.Errorf("Marketing's numbers in the index: %v", e.Counts.ByKind)
	}
}

// TestMoveWhoseAttachFailsGoesBack: the attach here refused, the sender
// goes back, and the alert says so with Twilio's words.
func TestMoveWhoseAttachFailsGoesBack(t *testing.T) {
	m, fake := moveDemo(t)
	m = press(t, m, "enter")
	d, _ := confirmOf(m)
	req := d.onYes.(moveRequest)
	m = press(t, m, "n")
	fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21712, Message: "Number is not eligible", Service: twiliotest.DemoServiceNotifications}, twiliotest.AttachRoutes()...)
	m = move(t, m, req)
	s := strings.Join(strings.Fields(rendered(m)), " ")
	for _, want := range []string{"move +16465550123: back in Acme Marketing; the attach here failed", "Number is not eligible", "21712"} {
		if !strings.Contains(s, want) {
			t.Errorf("the alert lacks %q:\n%s", want, rendered(m))
		}
	}
	var me *changes.MoveError
	if !errors.As(sendersOf(m).alert, &me) || me.Where != changes.InFrom {
		t.Errorf("the alert does not carry the move's error: %v", sendersOf(m).alert)
	}
	if !slices.Contains(fake.PoolSIDs(twiliotest.DemoServiceMarketing), twiliotest.DemoNumberUSMarketing) {
		t.Error("the fake did not put it back")
	}
	if hs := m.c.holdersOf(twiliotest.DemoNumberUSMarketing, ""); len(hs) != 1 || hs[0].service != twiliotest.DemoServiceMarketing {
		t.Errorf("the index says %v holds it", hs)
	}
	if len(m.c.changes) != 0 || len(sendersOf(m).pending) != 0 {
		t.Error("the move is still in flight")
	}
}

// TestMoveLeftInNoServiceIsLoud: a move whose attach and rollback both
// failed says, in capitals, that the sender is in no service.
func TestMoveLeftInNoServiceIsLoud(t *testing.T) {
	c := &common{names: map[string]string{"MGb938451ee325faa633406bc44dc2a627": "Acme Marketing"}}
	twilio := &api.Error{Status: 400, Code: 21712, Message: "not eligible"}
	err := &changes.MoveError{Move: "mv1", From: "MGb938451ee325faa633406bc44dc2a627", To: "MG940eee3cba6f875c2e84496e7857dd86",
		Where: changes.InNoService, AttachErr: twilio, RollbackErr: errors.New("connection reset")}
	got := errorText(c, moveFailed(c, "+16465550123", "Acme Marketing", err))
	for _, want := range []string{"IN NO SERVICE", "putting it back in Acme Marketing", "move mv1", "not eligible", "error 21712"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

// TestMoveHereByKeys: the whole move through the keys a person presses:
// enter on the sender Acme Marketing holds, y, and it is in this service.
func TestMoveHereByKeys(t *testing.T) {
	m, fake := moveDemo(t)
	m = press(t, m, "enter")
	if d, ok := confirmOf(m); !ok || !strings.Contains(rendered(m), "Move ") {
		t.Fatalf("enter on a sender held elsewhere offers no move (%v):\n%s", d, rendered(m))
	}
	m = press(t, m, "y")
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	if !slices.Contains(fake.PoolSIDs(notif), twiliotest.DemoNumberUSMarketing) || slices.Contains(fake.PoolSIDs(mkt), twiliotest.DemoNumberUSMarketing) {
		t.Fatalf("y did not move the number here:\n%s", rendered(m))
	}
	if !slices.Contains(listedSIDs(m), twiliotest.DemoNumberUSMarketing) || len(sendersOf(m).pending) != 0 || len(m.c.changes) != 0 {
		t.Errorf("the list does not show the moved number settled (pending %d, in flight %d):\n%s", len(sendersOf(m).pending), len(m.c.changes), rendered(m))
	}
}
