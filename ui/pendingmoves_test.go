package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

func pendingMove(id string) journal.Move {
	return journal.Move{
		MoveEntry: journal.MoveEntry{ID: id, Account: "AC" + strings.Repeat("a", 32),
			From: svcSID(1), FromName: "Acme Notifications", To: svcSID(2), ToName: "Acme Marketing",
			Sender: journal.Sender{SID: xe(1), Kind: api.KindWhatsApp, Text: "whatsapp:+14155550100"}},
		Step: journal.StepDetached, Updated: testTime,
	}
}

// A move cut off half-way is offered at start, over the first screen:
// f finishes it, b rolls it back, l leaves it for next time; read-only
// mode shows it and offers only later.
func TestPendingMovesOfferedAtStart(t *testing.T) {
	for _, tc := range []struct {
		name     string
		readOnly bool
		keys     []string
		calls    int  // FinishMove / RollBackMove calls
		open     bool // the dialog is still open after the keys
		want     string
	}{
		{"finish", false, []string{"f"}, 1, true, "✓ whatsapp:+14155550100 is in Acme Marketing"},
		{"roll back", false, []string{"b"}, 1, true, "✓ whatsapp:+14155550100 is in Acme Notifications"},
		{"later", false, []string{"l"}, 0, false, "Acme Notifications"},
		{"esc is later", false, []string{"esc"}, 0, false, "Acme Notifications"},
		{"read-only offers only later", true, []string{"f", "b"}, 0, true, "Read-only: resolve them with senderpool move --resume"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeClient()
			c.pendingMoves = []journal.Move{pendingMove("mv-1")}
			opts := []func(*Options){}
			if tc.readOnly {
				opts = append(opts, func(o *Options) { o.Identity.ReadOnly = true })
			}
			m := start(t, newTestModel(t, c, 100, 30, opts...))
			if _, ok := dialog(m).(pendingMovesDialog); !ok {
				t.Fatalf("no pending-moves dialog at start:\n%s", rendered(m))
			}
			s := rendered(m)
			for _, w := range []string{"A move was cut off half-way", "whatsapp:+14155550100 from Acme Notifications to Acme Marketing", "detached, not yet attached"} {
				if !strings.Contains(s, w) {
					t.Errorf("the dialog lacks %q:\n%s", w, s)
				}
			}
			before := c.calls
			m = press(t, m, tc.keys...)
			if got := c.calls - before; got != tc.calls {
				t.Errorf("%d calls to the journal's moves, want %d", got, tc.calls)
			}
			if _, open := dialog(m).(pendingMovesDialog); open != tc.open {
				t.Fatalf("dialog open %v, want %v:\n%s", open, tc.open, rendered(m))
			}
			if s := rendered(m); !strings.Contains(s, tc.want) {
				t.Errorf("the screen lacks %q:\n%s", tc.want, s)
			}
			checkScreen(t, m, nil)
		})
	}
}

// End to end on the demo fake: a move journaled as detached, its sender
// in no service, is finished from the start-up dialog and the sender ends
// in the second service.
func TestPendingMoveFinishedOnTheServer(t *testing.T) {
	fake, client := apitest.Demo(t, twiliotest.DemoOptions{}, api.Config{})
	j, err := journal.Open(t.TempDir(), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	from, to := twiliotest.DemoServiceMarketing, twiliotest.DemoServiceNotifications
	number := api.PoolSender{SID: twiliotest.DemoNumberUSMarketing, Kind: api.KindPhoneNumber, Address: "+16465550123", Source: api.SourcePhoneNumbers}
	id := journal.NewID()
	entry := journal.MoveEntry{ID: id, Account: client.AccountSID(), From: from, FromName: "Acme Marketing", To: to, ToName: "Acme Notifications",
		Sender: journal.Sender{SID: number.SID, Kind: number.Kind, Text: number.Address}}
	if err := j.Begin(t.Context(), entry); err != nil {
		t.Fatal(err)
	}
	if err := client.DetachPoolSender(t.Context(), from, number); err != nil {
		t.Fatal(err)
	}
	if err := j.Step(t.Context(), id, journal.StepDetached); err != nil {
		t.Fatal(err)
	}
	// Killed here: the number is in no service.
	cc := changes.New(client, changes.Options{Journal: j, Now: func() time.Time { return testTime }})
	m := start(t, newTestModel(t, cc, 100, 30))
	if _, ok := dialog(m).(pendingMovesDialog); !ok {
		t.Fatalf("the cut-off move is not offered:\n%s", rendered(m))
	}
	m = press(t, m, "f")
	if !slices.Contains(fake.PoolSIDs(to), number.SID) || slices.Contains(fake.PoolSIDs(from), number.SID) {
		t.Fatalf("after f the number is not (only) in %s:\n%s", to, rendered(m))
	}
	if moves, _, err := cc.PendingMoves(t.Context()); err != nil || len(moves) != 0 {
		t.Errorf("the journal still holds %d moves (%v)", len(moves), err)
	}
	if s := rendered(m); !strings.Contains(s, "✓ +16465550123 is in Acme Notifications") {
		t.Errorf("the dialog does not say where it is:\n%s", s)
	}
	if len(m.c.changes) != 0 {
		t.Errorf("the finished move is still a change in flight: quitting would wait for ever (%v)", m.c.changes)
	}
	if l := m.c.last; l == nil || l.op != opMove || l.from != from || l.service != to {
		t.Errorf("u would not move it back: last change %+v", l)
	}
}
