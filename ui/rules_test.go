package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
)

// TestKeysReachOnlyTheTopLayer: with help open or behind the "too small"
// notice, keys of the screen below do nothing: d then y detaches nothing,
// j moves nothing, a opens nothing; ? closes help.
func TestKeysReachOnlyTheTopLayer(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cover func(Model) Model
	}{
		{"help", func(m Model) Model { return press(t, m, "?") }},
		{"too small", func(m Model) Model { return update(t, m, teaSize(30, 8)) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeClient()
			m := tt.cover(openedModel(t, c))
			before, calls := selectedSID(m), countCalls(c)
			m = press(t, m, "d", "y", "j", "a", "enter", "y")
			if countCalls(c) != calls || len(c.senders[svcSID(1)]) != 6 {
				t.Fatalf("a key behind %s changed the service", tt.name)
			}
			if selectedSID(m) != before || dialog(m) != nil && !helpOpen(m) {
				t.Fatalf("a key behind %s acted: cursor %s (was %s), dialog %T", tt.name, selectedSID(m), before, dialog(m))
			}
		})
	}
	m := press(t, openedModel(t, newFakeClient()), "?")
	if m = press(t, m, "?"); helpOpen(m) {
		t.Fatal("? did not close help")
	}
}

func countCalls(c *fakeClient) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// TestFooterAndHelpShowOnlyWorkingKeys: read-only shows no a/d, an open
// filter shows the filter's keys, help shows p only where profiles exist.
func TestFooterAndHelpShowOnlyWorkingKeys(t *testing.T) {
	ro := openedModel(t, newFakeClient(), func(o *Options) { o.Identity.ReadOnly = true })
	for _, view := range []string{ansi.Strip(ro.footer(&ro.c)), rendered(press(t, ro, "?"))} {
		if strings.Contains(view, "a attach") || strings.Contains(view, "d detach") {
			t.Errorf("read-only offers a change:\n%s", view)
		}
	}
	if m := press(t, ro, "a"); dialog(m) != nil {
		t.Error("a opened a dialog in read-only mode")
	}
	if m := press(t, ro, "d"); dialog(m) != nil {
		t.Error("d opened a dialog in read-only mode")
	}

	f := press(t, openedModel(t, newFakeClient()), "/")
	footer := ansi.Strip(f.footer(&f.c))
	if strings.Contains(footer, "attach") || !strings.Contains(footer, "esc clear") || !strings.Contains(footer, "enter keep filter") {
		t.Errorf("the footer of an open filter: %q", footer)
	}

	withProfiles := openedModel(t, newFakeClient(), func(o *Options) {
		o.Identity = Identity{Profile: "dev", Source: "keyring"}
		o.Sessions = &fakeSessions{}
	})
	if h := rendered(press(t, withProfiles, "?")); !strings.Contains(h, "p") || !strings.Contains(h, "profiles") {
		t.Errorf("help omits p profiles:\n%s", h)
	}
	demo := openedModel(t, newFakeClient(), func(o *Options) { o.Sessions = &fakeSessions{} })
	if h := rendered(press(t, demo, "?")); strings.Contains(h, "profiles") {
		t.Errorf("the demo's help offers profiles:\n%s", h)
	}
}

// TestQQuitsFromEveryLayerThatIsNotAField: q quits from the services,
// the senders, the detail pane, help, the confirmation and the profiles;
// in a text field it is typed.
func TestQQuitsFromEveryLayerThatIsNotAField(t *testing.T) {
	sessions := func(o *Options) {
		o.Identity = Identity{Profile: "dev", Source: "keyring"}
		o.Sessions = &fakeSessions{entries: []ProfileEntry{{Name: "dev"}}}
	}
	for _, tt := range []struct {
		name  string
		keys  []string
		quits bool
	}{
		{"services", nil, true},
		{"senders", []string{"enter"}, true},
		{"detail pane", []string{"enter", "tab"}, true},
		{"help", []string{"enter", "?"}, true},
		{"confirmation", []string{"enter", "d"}, true},
		{"profiles", []string{"p"}, true},
		{"filter", []string{"enter", "/"}, false},
		{"add form", []string{"enter", "a"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := press(t, start(t, newTestModel(t, newFakeClient(), 100, 30, sessions)), tt.keys...)
			_, cmd := m.Update(keyPress("q"))
			quits := slices.ContainsFunc(flattenShallow(cmd), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok })
			if quits != tt.quits {
				t.Fatalf("q quits: %v, want %v", quits, tt.quits)
			}
		})
	}
}

// flattenShallow runs cmd and its batches, without running what comes of them.
func flattenShallow(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, flattenShallow(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// TestCursorStaysOnItsSender: as pages arrive, after a refresh, after a
// failed attach and after a detach elsewhere, the cursor stays on the
// sender chosen; a detached sender hands it to its neighbour in the group.
func TestCursorStaysOnItsSender(t *testing.T) {
	t.Run("pages arriving", func(t *testing.T) {
		c := newFakeClient()
		senders := manySenders(30)
		c.senders[svcSID(1)] = append(senders[20:], senders[:20]...) // later pages sort first
		c.pageSize = 10
		m := newTestModel(t, c, 120, 30, func(o *Options) { o.ServiceSID = svcSID(1) })
		next, cmd := m.Update(startMsg{})
		m = next.(Model)
		var more []tea.Cmd
		for _, msg := range flatten(cmd) {
			if p, ok := msg.(pageMsg[api.PoolSender]); ok {
				var c tea.Cmd
				next, c = m.Update(p)
				m, more = next.(Model), append(more, c)
			}
		}
		m = press(t, m, "j")
		chosen := selectedSID(m)
		m = run(t, m, tea.Batch(more...))
		if listOf(m).senderCount() != 30 || selectedSID(m) != chosen {
			t.Fatalf("after all pages the cursor is on %s, was %s (%d senders)", selectedSID(m), chosen, listOf(m).senderCount())
		}
	})
	t.Run("failed attach", func(t *testing.T) {
		c := newFakeClient()
		m := press(t, openedModel(t, c), "j", "j")
		chosen := selectedSID(m)
		c.opErr = &api.Error{Status: 400, Code: 21710, Message: "nope"}
		m = press(t, m, "a")
		m = typeText(t, m, xe(100))
		m = press(t, m, "enter", "esc", "esc")
		if dialog(m) != nil || selectedSID(m) != chosen {
			t.Fatalf("after a failed attach and esc the cursor is on %s, was %s (dialog %T)", selectedSID(m), chosen, dialog(m))
		}
	})
	t.Run("detached goes to its neighbour", func(t *testing.T) {
		m := press(t, openedModel(t, newFakeClient()), "j", "j") // the first Messenger sender
		first := selectedSID(m)
		m = press(t, m, "d", "y")
		s, _ := selectedSender(m)
		if s.SID == first || s.Kind != api.KindMessenger {
			t.Fatalf("after detaching %s the cursor is on %s (%s), want the other Messenger sender", first, s.SID, s.Kind)
		}
	})
	t.Run("filter hides, then gives back", func(t *testing.T) {
		m := press(t, openedModel(t, newFakeClient()), "j") // whatsapp:+447700900123
		chosen := selectedSID(m)
		m = press(t, m, "/")
		m = typeText(t, m, "rcs")
		m = press(t, m, "esc")
		if selectedSID(m) != chosen {
			t.Fatalf("after a filter hid and cleared, the cursor is on %s, want %s", selectedSID(m), chosen)
		}
	})
}

// TestDetachTargetFixedWhenAsked: the confirmation names a sender; a
// refresh that reorders the list under it does not change what is
// detached.
func TestDetachTargetFixedWhenAsked(t *testing.T) {
	c := newFakeClient()
	m := press(t, openedModel(t, c), "j")
	target := selectedSID(m)
	m = press(t, m, "d")
	if d, ok := confirmOf(m); !ok || !strings.Contains(rendered(m), target) || d.onYes.(detachRequest).sender.SID != target {
		t.Fatalf("the confirmation does not name %s:\n%s", target, rendered(m))
	}
	c.mu.Lock()
	c.senders[svcSID(1)] = append([]api.ChannelSender{sender(xe(40), "whatsapp:+1000", "WhatsApp", "US")}, c.senders[svcSID(1)]...)
	c.mu.Unlock()
	m = update(t, m, autoRefreshMsg{}) // under a dialog: no refetch…
	m = update(t, m, pageMsg[api.PoolSender]{req: sendersOf(m).sources[0].load.req, done: true})
	m = press(t, m, "y")
	c.mu.Lock()
	defer c.mu.Unlock()
	if slices.ContainsFunc(c.senders[svcSID(1)], func(s api.ChannelSender) bool { return s.SID == target }) || len(c.senders[svcSID(1)]) != 6 {
		t.Fatalf("detached something other than %s: %v", target, sids(c.senders[svcSID(1)]))
	}
}

// TestStatusSourceFailureIsVisible: when the Senders API fails, the status
// line says the status is unknown instead of every sender looking healthy.
func TestStatusSourceFailureIsVisible(t *testing.T) {
	c := newFakeClient()
	c.catalogueErr = map[string]error{"whatsapp": &api.Error{Status: 403, Code: 20403, Message: "Permission denied"}}
	m := openedModel(t, c)
	if s := rendered(m); !strings.Contains(s, "status unknown: WhatsApp: Permission denied") {
		t.Fatalf("the status line does not say the status is unknown:\n%s", s)
	}
}

// TestFilterWithNoMatchSaysSo.
func TestFilterWithNoMatchSaysSo(t *testing.T) {
	m := press(t, openedModel(t, newFakeClient()), "/")
	m = typeText(t, m, "zzz")
	if s := rendered(m); !strings.Contains(s, `No sender matches "zzz"`) || strings.Contains(s, "No channel senders in this service") {
		t.Fatalf("an empty filter result is not explained:\n%s", s)
	}
}

// TestSmallestSizes: the detach confirmation fits at 40×10 with its
// question, its target and both buttons; the too-small notice fits 30×8.
func TestSmallestSizes(t *testing.T) {
	m := press(t, openedModel(t, newFakeClient()), "d")
	m = update(t, m, teaSize(40, 10))
	checkWidth(t, m)
	s := rendered(m)
	for _, want := range []string{"Detach this sender?", "whatsapp:+14155550100", xe(1), "Cancel", "Detach ]"} {
		if !strings.Contains(s, want) {
			t.Errorf("at 40×10 the confirmation lacks %q:\n%s", want, s)
		}
	}
	m = update(t, m, teaSize(30, 8))
	checkWidth(t, m)
	if s := rendered(m); !strings.Contains(s, "terminal too small") || !strings.Contains(s, "q quits") || len(strings.Split(s, "\n")) > 8 {
		t.Errorf("the notice does not fit 30×8:\n%s", s)
	}
}

// TestPositionAndStickyHeader: the status line gives the cursor's place,
// and the cursor's group header stays on screen while scrolling.
func TestPositionAndStickyHeader(t *testing.T) {
	c := newFakeClient()
	c.senders[svcSID(1)] = manySenders(10_000)
	m := openedModel(t, c)
	m = press(t, m, "pgdown", "pgdown", "j")
	pos, total := listOf(m).position()
	if s := rendered(m); total != 10_000 || !strings.Contains(s, fmt.Sprintf("%d/10000", pos)) {
		t.Fatalf("no position %d/%d in the status line:\n%s", pos, total, s)
	}
	lines := strings.Split(rendered(m), "\n")
	kind := mustSelected(t, m).Kind
	if !strings.HasPrefix(lines[1], kind+" (") {
		t.Fatalf("the first list line is %q, want the %s header", lines[1], kind)
	}
}

func mustSelected(t *testing.T, m Model) api.PoolSender {
	t.Helper()
	s, ok := selectedSender(m)
	if !ok {
		t.Fatal("nothing selected")
	}
	return s
}

// TestQuitWaitsForAChangeInFlight: q during a detach waits for its
// outcome and reports it; ctrl+c quits at once and says it is unknown.
func TestQuitWaitsForAChangeInFlight(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c)
	c.mu.Lock()
	c.opGate = make(chan struct{}, 1)
	gate := c.opGate
	c.mu.Unlock()
	m = press(t, m, "d")
	m, detach := step(t, m, keyPress("y"))
	m, cmd := step(t, m, keyPress("q"))
	if slices.ContainsFunc(flattenShallow(cmd), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok }) {
		t.Fatal("q quit with a detach in flight")
	}
	if s := rendered(m); !strings.Contains(s, "quitting once this ends: detach whatsapp:+14155550100") {
		t.Fatalf("the screen does not say it waits:\n%s", s)
	}
	if r := m.QuitReport(); !strings.Contains(r, "interrupted, it may or may not have happened") {
		t.Fatalf("a quit now would not say the outcome is unknown: %q", r)
	}
	gate <- struct{}{}
	var quit bool
	for _, msg := range flatten(detach) {
		next, cmd := m.Update(msg)
		m = next.(Model)
		quit = quit || slices.ContainsFunc(flattenShallow(cmd), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok })
	}
	if !quit {
		t.Fatal("the dashboard did not quit once the detach ended")
	}
	if r := m.QuitReport(); !strings.Contains(r, "✓ detach whatsapp:+14155550100 from "+svcSID(1)) && !strings.Contains(r, "✓ detach whatsapp:+14155550100 from Acme Notifications") {
		t.Fatalf("the report does not give the outcome: %q", r)
	}
}

// TestErrorBannerNamesOperation: a failed attach names the operation and
// the sender in words, and a service SID in Twilio's message by its name;
// a 404 of the service is not offered r.
func TestErrorBannerNamesOperation(t *testing.T) {
	c := newFakeClient()
	c.opErr = &api.Error{Status: 409, Code: 20409, Message: "Sender is already attached to another Messaging Service (" + svcSID(2) + ")"}
	m := openedModel(t, c)
	m = press(t, m, "a", "down", "enter") // the first of the picker: WhatsApp comes before RCS
	s := strings.Join(strings.Fields(rendered(m)), " ")
	if !strings.Contains(s, "attach whatsapp:+15005550006: Sender is already attached to another Messaging Service (Acme Marketing) · error 20409") {
		t.Fatalf("the banner does not name the operation, its target and the other service:\n%s", rendered(m))
	}

	gone := start(t, newTestModel(t, newFakeClient(), 100, 30, func(o *Options) { o.ServiceSID = svcSID(9) }))
	if s := rendered(gone); !strings.Contains(s, "not found") || strings.Contains(s, "r retry") {
		t.Fatalf("a missing service is offered r:\n%s", s)
	}
}

// TestAutoRefreshOption: Options.AutoRefresh starts the timer.
func TestAutoRefreshOption(t *testing.T) {
	m := newTestModel(t, newFakeClient(), 100, 30, func(o *Options) { o.AutoRefresh = time.Millisecond })
	_, cmd := m.Update(startMsg{})
	if !slices.ContainsFunc(flattenShallow(cmd), func(msg tea.Msg) bool { _, ok := msg.(autoRefreshMsg); return ok }) {
		t.Fatal("--refresh did not start the timer")
	}
}

// TestHeaderSaysEnv: environment credentials show as env in the header.
func TestHeaderSaysEnv(t *testing.T) {
	m := start(t, newTestModel(t, newFakeClient(), 100, 30, func(o *Options) {
		o.Identity = Identity{Source: "env", AccountSID: "AC" + strings.Repeat("e", 32)}
	}))
	if h := ansi.Strip(m.header(&m.c)); !strings.Contains(h, "env · ACeeee") {
		t.Fatalf("header %q does not say env", h)
	}
}

// profileSessions is a Sessions with one existing profile, "dev", kept in
// the encrypted file with the passphrase "open sesame".
type profileSessions struct {
	fakeSessions
	switches []SwitchRequest
}

func (s *profileSessions) Login(ctx context.Context, r LoginRequest) (Connection, error) {
	if r.Profile == "dev" && !r.Overwrite {
		s.mu.Lock()
		s.logins = append(s.logins, r)
		s.mu.Unlock()
		return Connection{}, fmt.Errorf("save dev: %w", ErrProfileExists)
	}
	return s.fakeSessions.Login(ctx, r)
}

func (s *profileSessions) Switch(ctx context.Context, r SwitchRequest) (Connection, error) {
	s.mu.Lock()
	s.switches = append(s.switches, r)
	s.mu.Unlock()
	if r.Passphrase != "open sesame" {
		return Connection{}, fmt.Errorf("open dev: %w", ErrNeedPassphrase)
	}
	return Connection{Client: s.client, Identity: Identity{Profile: "dev", Source: "file"}}, nil
}

// TestNewProfileStartsEmptyAndAsksBeforeReplacing: n on the profiles
// opens an empty form, and saving over an existing profile asks first.
func TestNewProfileStartsEmptyAndAsksBeforeReplacing(t *testing.T) {
	sess := &profileSessions{fakeSessions: fakeSessions{client: newFakeClient(), entries: []ProfileEntry{{Name: "dev", Storage: "file"}}}}
	m := start(t, newTestModel(t, newFakeClient(), 100, 30, func(o *Options) {
		o.Identity = Identity{Profile: "dev", Source: "keyring"}
		o.Sessions = sess
	}))
	m = press(t, m, "p", "n")
	if shown(m) != onLogin || loginOf(m).value(fieldProfile) != "" {
		t.Fatalf("n does not open an empty form (profile %q):\n%s", loginOf(m).value(fieldProfile), rendered(m))
	}
	m = typeText(t, m, "dev")
	m = press(t, m, "tab")
	m = typeText(t, m, "AC"+strings.Repeat("a", 32))
	m = press(t, m, "tab", "tab")
	m = typeText(t, m, uiCanary)
	m = press(t, m, "enter")
	if d, ok := confirmOf(m); !ok || !strings.Contains(rendered(m), "Replace the profile dev?") || d.yesLabel != "Replace" {
		t.Fatalf("saving over dev did not ask:\n%s", rendered(m))
	}
	if strings.Contains(rendered(m), uiCanary) {
		t.Fatal("the secret is on screen")
	}
	m = press(t, m, "y")
	if n := len(sess.logins); n != 2 || !sess.logins[1].Overwrite {
		t.Fatalf("logins %+v: want a second one with Overwrite", sess.logins)
	}
}

// TestSwitchAsksForThePassphrase: a profile in the encrypted file asks for
// its passphrase, masked, and asks again when it is wrong.
func TestSwitchAsksForThePassphrase(t *testing.T) {
	sess := &profileSessions{fakeSessions: fakeSessions{client: newFakeClient(), entries: []ProfileEntry{{Name: "dev", Storage: "file"}}}}
	m := start(t, newTestModel(t, newFakeClient(), 100, 30, func(o *Options) {
		o.Identity = Identity{Profile: "other", Source: "keyring"}
		o.Sessions = sess
	}))
	m = press(t, m, "p", "enter")
	if _, ok := dialog(m).(passphraseDialog); !ok {
		t.Fatalf("no passphrase asked:\n%s", rendered(m))
	}
	m = typeText(t, m, "wrong")
	m = press(t, m, "enter")
	if s := rendered(m); !strings.Contains(s, "does not open the file") || strings.Contains(s, "wrong") {
		t.Fatalf("a wrong passphrase is not explained, or is shown:\n%s", s)
	}
	m = typeText(t, m, "open sesame")
	m = press(t, m, "enter")
	if m.c.identity.Profile != "dev" || dialog(m) != nil {
		t.Fatalf("did not switch to dev: %+v", m.c.identity)
	}
	if last := sess.switches[len(sess.switches)-1]; last.Passphrase != "open sesame" {
		t.Fatalf("the switch was sent %+v", last)
	}
}

// TestQuitWaitsForASettingInFlight: q while a setting is being changed
// waits for Twilio's answer and reports it, like an attach or a detach.
func TestQuitWaitsForASettingInFlight(t *testing.T) {
	c := newFakeClient()
	on := true
	c.services[0].StickySender = &on
	m := openedModel(t, c)
	c.mu.Lock()
	c.opGate = make(chan struct{}, 1)
	gate := c.opGate
	c.mu.Unlock()
	m = press(t, m, "i", "enter")
	m, save := step(t, m, keyPress("y"))
	m, cmd := step(t, m, keyPress("q"))
	if slices.ContainsFunc(flattenShallow(cmd), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok }) {
		t.Fatal("q quit with a setting change in flight")
	}
	if s := rendered(m); !strings.Contains(s, "quitting once this ends: turn sticky sender off in Acme Notifications") {
		t.Fatalf("the screen does not say it waits:\n%s", s)
	}
	gate <- struct{}{}
	var quit bool
	for _, msg := range flatten(save) {
		next, cmd := m.Update(msg)
		m = next.(Model)
		quit = quit || slices.ContainsFunc(flattenShallow(cmd), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok })
	}
	if !quit {
		t.Fatal("the dashboard did not quit once the change ended")
	}
	if r := m.QuitReport(); !strings.Contains(r, "✓ turn sticky sender off in Acme Notifications") {
		t.Fatalf("the report does not give the outcome: %q", r)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if got := c.services[0].StickySender; got == nil || *got {
		t.Errorf("sticky sender on the server: %v, want off", got)
	}
}

// TestQuitLineCountsManyChanges: quitting during a batch says how many
// changes it waits for before naming two of them, so a narrow line
// still tells the count.
func TestQuitLineCountsManyChanges(t *testing.T) {
	m := openedModel(t, newFakeClient())
	for i, s := range pool(sampleSenders())[:5] {
		m.c.beginChange(change{key: changeKey{svcSID(1), s.SID}, op: opDetach, name: fmt.Sprintf("sender%d", i)})
	}
	m.quitting = true
	line := ansi.Strip(m.statusLine(&m.c))
	if !strings.Contains(line, "quitting once 5 changes end: detach sender0 from") {
		t.Errorf("the quit line is %q", line)
	}
	m.c.width = 400
	if line := ansi.Strip(m.statusLine(&m.c)); !strings.HasSuffix(line, "and 3 more") {
		t.Errorf("a wide quit line is %q", line)
	}
}
