package ui

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// openService starts a model on the first demo-like service.
func openedModel(t *testing.T, c *fakeClient, opts ...func(*Options)) Model {
	t.Helper()
	m := start(t, newTestModel(t, c, 100, 30, opts...))
	return press(t, m, "enter")
}

func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = update(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

func sids(ss []api.ChannelSender) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.SID
	}
	slices.Sort(out)
	return out
}

// settle checks that the list shows exactly the fake's state.
func checkMatchesServer(t *testing.T, m Model, c *fakeClient) {
	t.Helper()
	c.mu.Lock()
	want := sids(c.senders[shownService(m).SID])
	c.mu.Unlock()
	var got []string
	for _, g := range listOf(m).shownGroups() {
		got = append(got, poolSIDs(g.Senders)...)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("list shows %v, server has %v", got, want)
	}
}

func TestAttachFromPicker(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	m = press(t, m, "a")
	s := rendered(m)
	if !strings.Contains(s, "whatsapp:+15005550006") || !strings.Contains(s, "rcs:acme_promo_agent") || !strings.Contains(s, "OFFLINE") {
		t.Fatalf("picker does not offer the catalogue:\n%s", s)
	}
	if strings.Contains(s, "whatsapp:+14155550100") && strings.Contains(s, xe(1)) {
		t.Fatalf("picker offers a sender already in the service:\n%s", s)
	}
	m = typeText(t, m, "promo")
	if n := len(form(m).matches); n != 1 {
		t.Fatalf("filter 'promo' matches %d senders, want 1", n)
	}
	before := selectedSID(m)
	m = press(t, m, "down", "enter")
	if dialog(m) != nil {
		t.Fatal("form still open after submitting")
	}
	if !strings.Contains(rendered(m), "attached rcs:acme_promo_agent") || !listOf(m).has(xe(102)) {
		t.Fatalf("no confirmation of the attach:\n%s", rendered(m))
	}
	// The cursor stays on the sender the person chose: an attach is not a move.
	if got := selectedSID(m); got != before {
		t.Errorf("the attach moved the cursor from %s to %s", before, got)
	}
	checkMatchesServer(t, m, c)
}

func TestAttachByTypedSID(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	m = press(t, m, "a")
	m = typeText(t, m, xe(100))
	if !strings.Contains(rendered(m), "✓ channel sender "+xe(100)+": enter attaches it") {
		t.Fatalf("valid SID not acknowledged:\n%s", rendered(m))
	}
	m = press(t, m, "enter")
	checkMatchesServer(t, m, c)
	if listOf(m).senderCount() != 7 {
		t.Fatalf("%d senders after attach, want 7", listOf(m).senderCount())
	}
}

func TestAttachRefusesMalformedSID(t *testing.T) {
	for _, typed := range []string{"XE123", "XEzz" + strings.Repeat("0", 30), "MG" + strings.Repeat("0", 32), "XE" + strings.Repeat("0", 33)} {
		c := newFakeClient()
		m := openedModel(t, c)
		m = press(t, m, "a")
		c.mu.Lock()
		before := c.calls
		c.mu.Unlock()
		m = typeText(t, m, typed)
		m = press(t, m, "enter")
		c.mu.Lock()
		after := c.calls
		c.mu.Unlock()
		if after != before {
			t.Errorf("%q: %d requests made for a malformed SID", typed, after-before)
		}
		if !isForm(m) || !strings.Contains(rendered(m), "followed by 32 hex digits") {
			t.Errorf("%q: refusal not explained:\n%s", typed, rendered(m))
		}
		if form(m).input.Value() != typed {
			t.Errorf("%q: the field lost its text: %q", typed, form(m).input.Value())
		}
	}
}

func TestAttachAlreadyAttachedRefused(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	m = press(t, m, "a")
	m = typeText(t, m, xe(1))
	m = press(t, m, "enter")
	if !isForm(m) || !strings.Contains(rendered(m), "already in this service") {
		t.Fatalf("duplicate not refused:\n%s", rendered(m))
	}
}

func TestAttachErrorKeepsInput(t *testing.T) {
	c := newFakeClient()
	c.opErr = &api.Error{Status: 400, Code: 21710, Message: "Sender cannot be added", MoreInfo: "https://www.twilio.com/docs/errors/21710"}
	m := openedModel(t, c)
	m = press(t, m, "a")
	m = typeText(t, m, xe(100))
	m = press(t, m, "enter")
	s := rendered(m)
	if !isForm(m) || form(m).input.Value() != xe(100) {
		t.Fatalf("form did not come back with the typed SID (dialog %T, value %q)", dialog(m), form(m).input.Value())
	}
	for _, want := range []string{"Sender cannot be added", "21710", "https://www.twilio.com/docs/errors/21710"} {
		if !strings.Contains(s, want) {
			t.Fatalf("error lacks %q:\n%s", want, s)
		}
	}
	m = press(t, m, "esc")
	if !strings.Contains(rendered(m), "Sender cannot be added") {
		t.Fatal("the error went away with the form; it must stay until dismissed")
	}
	checkMatchesServer(t, m, c)
	m = press(t, m, "esc")
	if strings.Contains(rendered(m), "Sender cannot be added") || shown(m) != onSenders {
		t.Fatal("esc did not dismiss the error (or left the screen)")
	}
}

func TestCatalogueFailureStillAllowsTyping(t *testing.T) {
	c := newFakeClient()
	c.catalogueErr = map[string]error{"whatsapp": &api.Error{Status: 403, Code: 20403, Message: "Permission denied"}, "rcs": &api.Error{Status: 403, Code: 20403, Message: "Permission denied"}}
	m := openedModel(t, c)
	m = press(t, m, "a")
	s := rendered(m)
	if !strings.Contains(s, "WhatsApp senders could not be loaded") || !strings.Contains(s, "typing a SID still works") {
		t.Fatalf("catalogue failure not explained:\n%s", s)
	}
	m = typeText(t, m, xe(100))
	m = press(t, m, "enter")
	checkMatchesServer(t, m, c)
}

func TestDetachConfirmAndCancel(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	target, _ := selectedSender(m)
	m = press(t, m, "d")
	s := rendered(m)
	for _, want := range []string{"Detach this sender?", target.Address, target.SID, "WhatsApp", "Acme Notifications", "stops sending from this sender", "0/400 numbers and short codes", "› Cancel ‹"} {
		if !strings.Contains(s, want) {
			t.Fatalf("confirmation lacks %q:\n%s", want, s)
		}
	}
	for _, cancel := range [][]string{{"enter"}, {"n"}, {"esc"}, {"right", "left", "enter"}} {
		m = press(t, m, cancel...)
		if dialog(m) != nil || listOf(m).senderCount() != 6 {
			t.Fatalf("%v did not cancel", cancel)
		}
		m = press(t, m, "d")
	}
	m = press(t, m, "right", "enter")
	if listOf(m).senderCount() != 5 || !strings.Contains(rendered(m), "detached "+target.Address) {
		t.Fatalf("detach did not happen:\n%s", rendered(m))
	}
	if got, ok := selectedSender(m); !ok || got.SID == target.SID {
		t.Fatal("cursor not on a neighbour after detach")
	}
	checkMatchesServer(t, m, c)
	m = press(t, m, "d", "y")
	if listOf(m).senderCount() != 4 {
		t.Fatal("y did not confirm")
	}
	checkMatchesServer(t, m, c)
}

func TestDetachEmptiesGroup(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	m = press(t, m, "d", "y", "d", "y") // both WhatsApp senders
	if strings.Contains(rendered(m), "WhatsApp (") {
		t.Fatalf("emptied group still shown:\n%s", rendered(m))
	}
	if !strings.Contains(rendered(m), "Messenger (2)") {
		t.Fatalf("counts wrong:\n%s", rendered(m))
	}
}

func TestDetach404RemovesRow(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	target, _ := selectedSender(m)
	c.mu.Lock()
	c.senders[svcSID(1)] = c.senders[svcSID(1)][1:] // detached elsewhere
	c.mu.Unlock()
	m = press(t, m, "d", "y")
	if !strings.Contains(rendered(m), "already detached") {
		t.Fatalf("404 not explained:\n%s", rendered(m))
	}
	for _, s := range sendersOf(m).senders() {
		if s.SID == target.SID {
			t.Fatal("row kept after 404")
		}
	}
	checkMatchesServer(t, m, c)
}

func TestDetachErrorRestoresRow(t *testing.T) {
	c := newFakeClient()
	c.opErr = &api.Error{Status: 500, Code: 20500, Message: "Internal Server Error"}
	m := openedModel(t, c)
	m = press(t, m, "d", "y")
	if listOf(m).senderCount() != 6 || !strings.Contains(rendered(m), "Internal Server Error") {
		t.Fatalf("row not restored or error not shown:\n%s", rendered(m))
	}
	if strings.Contains(rendered(m), "detaching…") {
		t.Fatal("row still says detaching")
	}
}

// step feeds msg without running the commands it returns.
func step(t *testing.T, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(Model), cmd
}

func TestTwoOperationsInFlight(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	c.mu.Lock()
	c.opGate = make(chan struct{})
	c.mu.Unlock()
	// Detach the first sender; hold its command.
	first, _ := selectedSender(m)
	m = press(t, m, "d")
	m, detachCmd := step(t, m, keyPress("y"))
	// Attach another while the detach waits.
	m = press(t, m, "a")
	m = typeText(t, m, xe(100))
	m, attachCmd := step(t, m, keyPress("enter"))
	s := rendered(m)
	if !strings.Contains(s, "detaching…") || !strings.Contains(s, "attaching…") {
		t.Fatalf("rows do not show their own states:\n%s", s)
	}
	if listOf(m).senderCount() != 7 {
		t.Fatalf("pending row missing: %d rows", listOf(m).senderCount())
	}
	// Moving around still works while both wait.
	m = press(t, m, "g", "j")
	c.mu.Lock()
	gate := c.opGate
	c.mu.Unlock()
	go func() { gate <- struct{}{}; gate <- struct{}{} }()
	for _, msg := range append(flatten(attachCmd), flatten(detachCmd)...) {
		if _, tick := msg.(spinner.TickMsg); tick {
			continue
		}
		m = update(t, m, msg)
	}
	c.mu.Lock()
	c.opGate = nil
	c.mu.Unlock()
	m = press(t, m, "r")
	if strings.Contains(rendered(m), "…ing…") || len(m.c.changes) != 0 {
		t.Fatalf("operations left in flight: %v", m.c.changes)
	}
	for _, s := range sendersOf(m).senders() {
		if s.SID == first.SID {
			t.Fatal("detached sender still listed")
		}
	}
	checkMatchesServer(t, m, c)
}

func TestOperationReplyForLeftServiceDropped(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	c.mu.Lock()
	c.opGate = make(chan struct{})
	c.mu.Unlock()
	m = press(t, m, "d")
	m, detachCmd := step(t, m, keyPress("y"))
	m = press(t, m, "s", "j", "enter") // Acme Marketing
	go func() { c.opGate <- struct{}{} }()
	for _, msg := range flatten(detachCmd) {
		m = update(t, m, msg)
	}
	if shownService(m).SID != svcSID(2) || listOf(m).senderCount() != 0 || m.c.notice != "" {
		t.Fatalf("a reply for the old service changed this one: %d rows, notice %q", listOf(m).senderCount(), m.c.notice)
	}
}

func TestReadOnlyHidesActions(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c, func(o *Options) { o.Identity.ReadOnly = true })
	m = press(t, m, "a")
	if dialog(m) != nil {
		t.Fatal("a opened the form in read-only mode")
	}
	m = press(t, m, "d")
	if dialog(m) != nil {
		t.Fatal("d opened the dialog in read-only mode")
	}
	s := rendered(m)
	if strings.Contains(s, "attach") || strings.Contains(s, "detach") || !strings.Contains(s, "READ-ONLY") {
		t.Fatalf("read-only screen offers actions or lacks its badge:\n%s", s)
	}
	m = press(t, m, "?")
	if s := rendered(m); strings.Contains(s, "attach") || strings.Contains(s, "detach") {
		t.Fatalf("help offers actions in read-only mode:\n%s", s)
	}
}
