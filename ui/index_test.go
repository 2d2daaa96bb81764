package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/index"
)

// until feeds back messages until cond holds; it fails the test when
// cond does not hold within cellSettle.
func (l *loop) until(what string, cond func(Model) bool) {
	l.t.Helper()
	deadline := time.NewTimer(cellSettle)
	defer deadline.Stop()
	for !cond(l.m) {
		select {
		case msg := <-l.msgs:
			l.pending--
			l.handle(msg)
		case <-deadline.C:
			l.t.Fatalf("%s: not so after %v:\n%s", what, cellSettle, rendered(l.m))
		}
	}
}

// poolLineOf is the line under a service's row in the picker.
func poolLineOf(m Model, name string) string {
	lines := strings.Split(rendered(m), "\n")
	for i, l := range lines {
		if strings.Contains(l, name) && i+1 < len(lines) {
			return strings.TrimSpace(lines[i+1])
		}
	}
	return ""
}

// countedRows is how many services of the picker show their counts.
func countedRows(m Model) int {
	n := 0
	for _, svc := range servicesOf(m).picker.all {
		if _, ok := m.c.indexEntry(svc.SID); ok {
			n++
		}
	}
	return n
}

// demoCounts are the demo's pools by kind, as the senders screen counts
// them, with the not-ONLINE ones (OFFLINE, ONLINE:UPDATING).
var demoCounts = map[string]string{
	"Acme Notifications": "3 WhatsApp · 2 Messenger · 2 RCS · 4 numbers · 2 alpha · 2 not online",
	"Acme Marketing":     "3 WhatsApp · 1 Messenger · 1 RCS · 2 numbers · 1 short code · 1 not online",
	"Sandbox (empty)":    "no senders",
}

// TestServicePickerFillsAsPoolsArrive: with every pool's channel senders
// held, the picker lists the services at once, moves, and says "…" for
// each; once let go, each row gets its counts as its pool arrives, and
// they are the fake's.
func TestServicePickerFillsAsPoolsArrive(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	gate := fake.Hold(twiliotest.RouteListChannelSenders)
	defer gate.Open()
	l := newLoop(t, newTestModel(t, client, 100, 30))
	l.send(startMsg{})
	l.until("the services listed and their pools asked for", func(m Model) bool { return servicesOf(m).index.running })
	ctx, cancel := context.WithTimeout(t.Context(), cellSettle)
	defer cancel()
	if err := gate.WaitHeld(ctx, 3); err != nil {
		t.Fatal(err)
	}
	s := rendered(l.m)
	if countedRows(l.m) != 0 || !strings.Contains(s, "reading pools 0/3…") || strings.Count(s, " …") != 3 {
		t.Fatalf("with the pools held, the picker claims counts:\n%s", s)
	}
	l.press("j")
	if sel, _ := servicesOf(l.m).picker.selected(); sel.SID != twiliotest.DemoServiceMarketing {
		t.Fatalf("j while the pools load selected %s", sel.SID)
	}
	gate.Open()
	seen := []int{0}
	l.until("every pool read", func(m Model) bool {
		if n := countedRows(m); n != seen[len(seen)-1] {
			seen = append(seen, n)
		}
		return !m.c.index.running
	})
	if !slices.IsSorted(seen) || seen[len(seen)-1] != 3 || len(seen) < 3 {
		t.Errorf("rows with counts, as the pools arrived: %v; want them filled one by one to 3", seen)
	}
	for name, want := range demoCounts {
		if got := poolLineOf(l.m, name); got != want {
			t.Errorf("%s: the picker says %q, want %q", name, got, want)
		}
	}
	for _, svc := range fake.ServiceSIDs() {
		e, ok := l.m.c.indexEntry(svc)
		total := 0
		for _, n := range e.Counts.ByKind {
			total += n
		}
		if want := len(fake.PoolSIDs(svc)); !ok || e.Counts.Total != want || total != want {
			t.Errorf("%s: the index counts %d (%d by kind), the fake holds %d", svc, e.Counts.Total, total, want)
		}
	}
	if s := rendered(l.m); !strings.Contains(s, "3 Messaging Services · pools read just now") {
		t.Errorf("the status line lacks the index's read time:\n%s", s)
	}
	l.m.c.now = func() time.Time { return time.Now().Add(2*time.Minute + time.Second) }
	if s := rendered(l.m); !strings.Contains(s, "pools read 2 min ago") {
		t.Errorf("two minutes later the status line says:\n%s", s)
	}
}

// TestIndexRebuiltOnR: r lists the services once and reads every pool
// again, the services not listed twice.
func TestIndexRebuiltOnR(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	m := start(t, newTestModel(t, client, 100, 30))
	if got := fake.Requests(twiliotest.RouteListServices); got != 1 {
		t.Errorf("the picker and its index listed the services %d times, want 1", got)
	}
	lists, before := fake.Requests(twiliotest.RouteListChannelSenders), m.c.index.req
	if lists != 3 {
		t.Errorf("%d lists of channel senders for 3 services", lists)
	}
	// Behind the dashboard's back: r is what tells it.
	if err := fake.Detach(twiliotest.DemoServiceMarketing, twiliotest.DemoSenderWhatsAppBR); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "r")
	if m.c.index.req == before || m.c.index.running {
		t.Fatalf("r did not rebuild the index (req %d, was %d)", m.c.index.req, before)
	}
	if got := fake.Requests(twiliotest.RouteListChannelSenders) - lists; got != 3 {
		t.Errorf("r read %d lists of channel senders, want 3", got)
	}
	if got := fake.Requests(twiliotest.RouteListServices); got != 2 {
		t.Errorf("after r the services were listed %d times, want 2", got)
	}
	if got := poolLineOf(m, "Acme Marketing"); !strings.HasPrefix(got, "2 WhatsApp ·") {
		t.Errorf("after r Marketing says %q", got)
	}
}

// TestIndexKeptTrueByTheDashboardsChanges: an attach and a detach on the
// senders screen, then back: the counts are the fake's, and nothing was
// read again to know it.
func TestIndexKeptTrueByTheDashboardsChanges(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	m := start(t, newTestModel(t, client, 100, 30))
	req, services := m.c.index.req, fake.Requests(twiliotest.RouteListServices)
	m = press(t, m, "enter") // Acme Notifications
	m = press(t, m, "a")
	m = typeText(t, m, "+14155550177") // DemoFreeNumberUS, in no service
	m = press(t, m, "down", "enter")
	if !slices.Contains(fake.PoolSIDs(twiliotest.DemoServiceNotifications), twiliotest.DemoFreeNumberUS) {
		t.Fatalf("the attach did not happen:\n%s", rendered(m))
	}
	m = press(t, m, "g", "d", "y") // the first row
	m = press(t, m, "s")
	if shown(m) != onServices {
		t.Fatalf("s did not go back:\n%s", rendered(m))
	}
	want := len(fake.PoolSIDs(twiliotest.DemoServiceNotifications))
	e, _ := m.c.indexEntry(twiliotest.DemoServiceNotifications)
	if e.Counts.Total != want || e.Counts.ByKind[api.KindPhoneNumber] != 5 {
		t.Errorf("after an attach and a detach the index counts %d (%v), the fake holds %d", e.Counts.Total, e.Counts.ByKind, want)
	}
	if got := poolLineOf(m, "Acme Notifications"); !strings.Contains(got, "5 numbers") || !strings.HasPrefix(got, "2 WhatsApp") {
		t.Errorf("the picker says %q", got)
	}
	if m.c.index.req != req || fake.Requests(twiliotest.RouteListServices) != services {
		t.Error("the index was read again to learn the dashboard's own changes")
	}
	hs := m.c.holdersOf(twiliotest.DemoFreeNumberUS, "")
	if len(hs) != 1 || hs[0].service != twiliotest.DemoServiceNotifications {
		t.Errorf("the index says %v holds the number attached", hs)
	}
}

// TestStaleIndexStepsDropped: after r, a step of the build before it
// changes nothing, and the index never shows another account's pools.
func TestStaleIndexStepsDropped(t *testing.T) {
	_, client := demoClient(t, api.Config{})
	m := start(t, newTestModel(t, client, 100, 30))
	old := m.c.index.req
	m = press(t, m, "r")
	stale := index.ServiceEntry{Service: api.Service{SID: twiliotest.DemoServiceSandbox}, ReadAt: time.Now(), Counts: index.Counts{Total: 99, ByKind: map[string]int{api.KindWhatsApp: 99}}}
	m = update(t, m, indexMsg{req: old, entry: stale})
	m = update(t, m, indexMsg{req: old, done: true})
	if got := poolLineOf(m, "Sandbox (empty)"); got != "no senders" {
		t.Errorf("a stale build's step shows %q", got)
	}
	m.c.identity.AccountSID = "AC" + strings.Repeat("b", 32) // another connection
	if _, ok := m.c.indexEntry(twiliotest.DemoServiceNotifications); ok || len(m.c.holdersOf(twiliotest.DemoNumberUSMarketing, "")) != 0 {
		t.Error("the index of one account answers for another")
	}
}

// TestServicePickerHostileAndSmall: hostile names and pools reach the
// picker's rows and counts inert; it fits 80×24 and 40×12.
func TestServicePickerHostileAndSmall(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	h := fake.AddHostile()
	fake.AddHostilePool(h)
	for _, size := range [][2]int{{100, 30}, {80, 24}, {40, 12}} {
		m := start(t, newTestModel(t, client, size[0], size[1]))
		if _, ok := m.c.indexEntry(h.Service); !ok {
			t.Fatalf("%v: the hostile service was not read", size)
		}
		m = press(t, m, "G")
		checkBytes(t, "the services picker", m)
		if size[1] >= 24 && !strings.Contains(rendered(m), "Acme Marketing") {
			t.Errorf("%v: the picker lacks its services:\n%s", size, rendered(m))
		}
	}
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		_, client := demoClient(t, api.Config{})
		m := start(t, newTestModel(t, client, size[0], size[1]))
		checkBytes(t, "the demo's services", m)
		s := rendered(m)
		if !strings.Contains(s, "Acme Notifications") || !strings.Contains(s, "WhatsApp") || !strings.Contains(s, "Messaging Services") {
			t.Errorf("%v: the picker lacks a row, its counts or the status line:\n%s", size, s)
		}
	}
}
