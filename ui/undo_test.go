package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	"github.com/senderpool/senderpool/audit"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// auditedDemo is the demo with a change client that records to a log in
// a temp dir, as the dashboard runs; it opens on Acme Notifications.
func auditedDemo(t *testing.T, opts ...func(*Options)) (Model, *twiliotest.Fake, *audit.Log) {
	t.Helper()
	fake, client := apitest.Demo(t, twiliotest.DemoOptions{}, api.Config{})
	log, err := audit.Open(audit.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(t.TempDir(), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cc := changes.New(client, changes.Options{Audit: log, Journal: j, Profile: "work"})
	opts = append([]func(*Options){func(o *Options) {
		o.ServiceSID = twiliotest.DemoServiceNotifications
		o.Audit = log
	}}, opts...)
	return start(t, newTestModel(t, cc, 120, 30, opts...)), fake, log
}

// u undoes the last change made here, confirmed like it: a detach is
// attached again, an attach detached; it is offered only where it acts.
func TestUndoTheLastChange(t *testing.T) {
	svc := twiliotest.DemoServiceNotifications
	t.Run("a detach", func(t *testing.T) {
		m, fake, _ := auditedDemo(t)
		if lists(&m.c, m.top(), m.c.keys.Senders.Undo) {
			t.Fatal("u is offered before any change")
		}
		m = cursorTo(t, m, "+14155550142")
		m = press(t, m, "d", "y")
		if slices.Contains(fake.PoolSIDs(svc), twiliotest.DemoNumberUSSanFrancisco) {
			t.Fatal("the detach did not happen")
		}
		m = press(t, m, "u")
		if s := rendered(m); !strings.Contains(s, "Undo the detach: attach this sender again?") || !strings.Contains(s, "+14155550142") {
			t.Fatalf("u does not confirm the undo:\n%s", s)
		}
		m = press(t, m, "y")
		if !slices.Contains(fake.PoolSIDs(svc), twiliotest.DemoNumberUSSanFrancisco) {
			t.Fatalf("u did not attach the number again:\n%s", rendered(m))
		}
		// Undoing the undo detaches it again, confirmed with its warnings.
		m = press(t, m, "u")
		if s := rendered(m); !strings.Contains(s, "Undo the attach: detach this sender?") || !strings.Contains(s, "Sticky sender is on") {
			t.Fatalf("u after the undo does not offer the detach:\n%s", s)
		}
		m = press(t, m, "n")
		if !slices.Contains(fake.PoolSIDs(svc), twiliotest.DemoNumberUSSanFrancisco) {
			t.Fatal("cancelling the undo changed the pool")
		}
	})
	t.Run("an attach by number", func(t *testing.T) {
		m, fake, _ := auditedDemo(t)
		m = typeText(t, press(t, m, "a"), "+14155550177")
		m = press(t, m, "enter")
		if !slices.Contains(fake.PoolSIDs(svc), twiliotest.DemoFreeNumberUS) {
			t.Fatalf("the attach did not happen:\n%s", rendered(m))
		}
		m = press(t, m, "u", "y")
		if slices.Contains(fake.PoolSIDs(svc), twiliotest.DemoFreeNumberUS) {
			t.Fatalf("u did not detach what was attached:\n%s", rendered(m))
		}
	})
	t.Run("not in read-only mode", func(t *testing.T) {
		c := newFakeClient()
		m := openedModel(t, c)
		m.c.noteChange(opDetach, svcSID(1), pool(sampleSenders())[0])
		m.c.identity.ReadOnly = true
		if lists(&m.c, m.top(), m.c.keys.Senders.Undo) {
			t.Error("u is offered in read-only mode")
		}
	})
	t.Run("not on another service", func(t *testing.T) {
		c := newFakeClient()
		m := openedModel(t, c)
		m.c.noteChange(opDetach, svcSID(2), pool(sampleSenders())[0])
		if lists(&m.c, m.top(), m.c.keys.Senders.Undo) {
			t.Error("u is offered for a change to a service not on screen")
		}
	})
}

// L opens the record of changes: each change once, with how it ended,
// its request id and the twilio-cli command; what the file holds from
// the network is shown inert, and lines it cannot read are said.
func TestLogScreen(t *testing.T) {
	m, _, log := auditedDemo(t)
	m = cursorTo(t, m, "+14155550142")
	m = press(t, m, "d", "y")
	m = press(t, m, "L")
	if _, ok := m.screen().(logScreen); !ok {
		t.Fatalf("L opened no log:\n%s", rendered(m))
	}
	s := rendered(m)
	for _, w := range []string{
		"Changes to Acme Notifications",
		"detach +14155550142 from Acme Notifications  ✓ done",
		"Profile work",
		"Request RQ",
		"twilio-cli: twilio api:messaging:v1:services:phone-numbers:remove --service-sid " + twiliotest.DemoServiceNotifications,
		twiliotest.DemoNumberUSSanFrancisco,
		"1/1 · 1 change",
	} {
		if !strings.Contains(s, w) {
			t.Errorf("the log lacks %q:\n%s", w, s)
		}
	}

	// A change cut off (an intent alone), a hostile name and a line of
	// junk, written behind the dashboard's back.
	if err := log.Append(t.Context(), audit.Entry{Change: audit.NewChangeID(), Account: "AC" + strings.Repeat("a", 32),
		Service: audit.Service{SID: twiliotest.DemoServiceNotifications, Name: "Evil\x1b]0;pwned\x07Name"},
		Action:  audit.ActionAttach, Sender: &audit.Sender{SID: twiliotest.DemoFreeNumberUS, Text: "+14155550177"}, Phase: audit.PhaseIntent}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(log.Dir(), audit.FileName), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("{not json}\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	m = press(t, m, "r")
	s = rendered(m)
	for _, w := range []string{"⚠ no outcome: cut off, or under way", "1 interrupted", "1 lines of the log could not be read", "Evil"} {
		if !strings.Contains(s, w) {
			t.Errorf("after r the log lacks %q:\n%s", w, s)
		}
	}
	checkScreen(t, m, nil) // no escape from the file reaches the terminal
	small := update(t, m, tea.WindowSizeMsg{Width: 40, Height: 12})
	checkScreen(t, small, nil)

	m = press(t, m, "A") // every service
	if _, ok := m.screen().(logScreen); !ok || strings.Contains(rendered(m), "Changes to") {
		t.Errorf("A does not widen the log to every service:\n%s", rendered(m))
	}
	m = press(t, m, "esc")
	if _, ok := m.screen().(sendersScreen); !ok {
		t.Errorf("esc does not go back:\n%s", rendered(m))
	}
}

// u after a move moves it back, confirmed like a move.
func TestUndoAMove(t *testing.T) {
	m, fake := moveDemo(t)
	m = press(t, m, "enter", "y") // +16465550123 from Acme Marketing to here
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	if !slices.Contains(fake.PoolSIDs(notif), twiliotest.DemoNumberUSMarketing) {
		t.Fatalf("the move did not happen:\n%s", rendered(m))
	}
	m = press(t, m, "u")
	if s := rendered(m); !strings.Contains(s, "Undo the move: ") || !strings.Contains(s, "Acme Marketing") {
		t.Fatalf("u does not offer to move it back:\n%s", s)
	}
	m = press(t, m, "y")
	if !slices.Contains(fake.PoolSIDs(mkt), twiliotest.DemoNumberUSMarketing) || slices.Contains(fake.PoolSIDs(notif), twiliotest.DemoNumberUSMarketing) {
		t.Fatalf("u did not move it back:\n%s", rendered(m))
	}
	if slices.Contains(listedSIDs(m), twiliotest.DemoNumberUSMarketing) {
		t.Errorf("the moved-back number is still listed here:\n%s", rendered(m))
	}
}

// u after a batch takes back every sender it changed: a batch detach is
// attached again, a batch move moved back.
func TestUndoABatch(t *testing.T) {
	notif := twiliotest.DemoServiceNotifications
	t.Run("detach", func(t *testing.T) {
		m, fake, _ := auditedDemo(t)
		before := fake.PoolSIDs(notif)
		m = press(t, m, "g", "space", "space", "space", "d", "y")
		if got := len(fake.PoolSIDs(notif)); got != len(before)-3 {
			t.Fatalf("the batch left %d of %d senders:\n%s", got, len(before), rendered(m))
		}
		m = press(t, m, "u")
		if s := rendered(m); !strings.Contains(s, "Undo the batch: attach 3 senders again to Acme Notifications?") {
			t.Fatalf("u does not offer to take the batch back:\n%s", s)
		}
		m = press(t, m, "y")
		if got := fake.PoolSIDs(notif); !slices.Equal(got, before) {
			t.Fatalf("after the undo the pool is %v, want %v:\n%s", got, before, rendered(m))
		}
		if strings.Contains(rendered(m), "Undo the batch") || lists(&m.c, m.top(), m.c.keys.Senders.Undo) {
			t.Error("the batch can be undone twice")
		}
		if len(m.c.changes) != 0 {
			t.Errorf("the undo is still a change in flight: %v", m.c.changes)
		}
	})
	t.Run("move", func(t *testing.T) {
		m, fake, _ := auditedDemo(t)
		mkt := twiliotest.DemoServiceMarketing
		before, beforeMkt := fake.PoolSIDs(notif), fake.PoolSIDs(mkt)
		m = press(t, m, "g", "space", "space", "space", "m")
		if !strings.Contains(rendered(m), "Acme Marketing") {
			t.Fatalf("no service to move to:\n%s", rendered(m))
		}
		m = press(t, m, "enter", "y")
		if got := len(fake.PoolSIDs(mkt)); got != len(beforeMkt)+3 {
			t.Fatalf("the move batch left Acme Marketing with %d senders, want %d:\n%s", got, len(beforeMkt)+3, rendered(m))
		}
		m = press(t, m, "u")
		if s := rendered(m); !strings.Contains(s, "Undo the batch: move 3 senders back to Acme Notifications?") {
			t.Fatalf("u does not offer to move the batch back:\n%s", s)
		}
		m = press(t, m, "y")
		if !slices.Equal(fake.PoolSIDs(notif), before) || !slices.Equal(fake.PoolSIDs(mkt), beforeMkt) {
			t.Fatalf("after the undo: %v and %v, want %v and %v", fake.PoolSIDs(notif), fake.PoolSIDs(mkt), before, beforeMkt)
		}
	})
}
