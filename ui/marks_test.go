package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// spaceKey is the space bar as Bubble Tea v2 reports it ("space").
var spaceKey = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}

// pressMarks presses keys, "space" being the space bar.
func pressMarks(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		if k == "space" {
			m = update(t, m, spaceKey)
			continue
		}
		m = press(t, m, k)
	}
	return m
}

// markedSIDs are the marked SIDs, sorted.
func markedSIDs(m Model) []string {
	return slices.Sorted(maps.Keys(listOf(m).marks))
}

func statusOf(m Model) string { return ansi.Strip(sendersOf(m).statusLine(&m.c)) }

// The fake's six senders in list order: WhatsApp xe1, xe2; Messenger
// xe3, xe6; RCS xe5, xe4.
func TestMarkKeys(t *testing.T) {
	all := []string{xe(1), xe(2), xe(3), xe(4), xe(5), xe(6)}
	for _, tt := range []struct {
		name   string
		keys   []string
		marks  []string
		cursor string
		screen string
	}{
		{"space marks and moves down", []string{"space"}, []string{xe(1)}, xe(2), onSenders},
		{"space, space: two, over a group header", []string{"space", "space", "space"}, []string{xe(1), xe(2), xe(3)}, xe(6), onSenders},
		{"space on a marked sender unmarks it", []string{"space", "k", "space"}, nil, xe(2), onSenders},
		{"space at the bottom stays there", []string{"G", "space"}, []string{xe(4)}, xe(4), onSenders},
		{"V marks from the last mark down to the cursor", []string{"space", "j", "j", "V"}, []string{xe(1), xe(2), xe(3), xe(6)}, xe(6), onSenders},
		{"V marks upwards too", []string{"G", "space", "k", "k", "V"}, []string{xe(4), xe(5), xe(6)}, xe(6), onSenders},
		{"V goes on from where it ended", []string{"space", "j", "V", "j", "j", "V"}, []string{xe(1), xe(2), xe(3), xe(5), xe(6)}, xe(5), onSenders},
		{"* marks all", []string{"*"}, all, xe(1), onSenders},
		{"* when all are marked unmarks them", []string{"*", "*"}, nil, xe(1), onSenders},
		{"* after some marks marks the rest", []string{"space", "*"}, all, xe(2), onSenders},
		{"U clears", []string{"*", "U"}, nil, xe(1), onSenders},
		{"esc clears the marks and stays", []string{"*", "esc"}, nil, xe(1), onSenders},
		{"esc without marks goes back", []string{"esc"}, nil, "", onServices},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := pressMarks(t, openedModel(t, newFakeClient()), tt.keys...)
			if shown(m) != tt.screen {
				t.Fatalf("on screen %s, want %s", shown(m), tt.screen)
			}
			if tt.screen != onSenders {
				return
			}
			if got := markedSIDs(m); !slices.Equal(got, tt.marks) {
				t.Errorf("marked %v, want %v", got, tt.marks)
			}
			if got := selectedSID(m); got != tt.cursor {
				t.Errorf("cursor on %s, want %s", got, tt.cursor)
			}
			for _, sid := range all {
				row, _ := listOf(m).rowOf(sid)
				line := listLine(t, m, row)
				marked := strings.HasPrefix(ansi.Strip(line), "›"+markGlyph) || strings.HasPrefix(ansi.Strip(line), " "+markGlyph)
				if marked != slices.Contains(tt.marks, sid) {
					t.Errorf("row of %s %q: marked %v, want %v", sid, ansi.Strip(line), marked, !marked)
				}
			}
		})
	}
}

// listLine is the list's row at index i as rendered.
func listLine(t *testing.T, m Model, i int) string {
	t.Helper()
	s := sendersOf(m)
	lines := strings.Split(s.list.view(s.listWidth(), m.c.styles, nil), "\n")
	if i-s.list.offset >= len(lines) {
		t.Fatalf("row %d is not on screen", i)
	}
	return lines[i-s.list.offset]
}

// TestMarkGutterWithoutColour: the mark is a glyph in the gutter's second
// cell, the cursor's "›" in the first: both read with no colour at all,
// and the row keeps its width.
func TestMarkGutterWithoutColour(t *testing.T) {
	st := styles{} // no colour, as NO_COLOR renders
	p := api.PoolSender{SID: xe(1), Address: "whatsapp:+14155550100", Country: "US"}
	for _, tt := range []struct {
		selected, marked bool
		want             string
	}{
		{false, false, "  whatsapp"}, {true, false, "› whatsapp"}, {false, true, " ✓whatsapp"}, {true, true, "›✓whatsapp"},
	} {
		row := senderRow(p, tt.selected, tt.marked, 40, st, nil)
		if !strings.HasPrefix(row, tt.want) || ansi.StringWidth(row) != 40 {
			t.Errorf("selected %v marked %v: %q (%d cells), want it to start %q in 40 cells", tt.selected, tt.marked, row, ansi.StringWidth(row), tt.want)
		}
	}
}

// TestEscPrecedence: with an error, a filter and marks, esc dismisses the
// error, then clears the filter, then the marks, then goes back; help
// shows the one esc that works each time.
func TestEscPrecedence(t *testing.T) {
	c := newFakeClient()
	m := pressMarks(t, openedModel(t, c), "space", "space", "/")
	m = typeText(t, m, "whatsapp")
	m = press(t, m, "enter")
	c.mu.Lock()
	c.opErr = &api.Error{Status: 400, Code: 21610, Message: "refused"}
	c.mu.Unlock()
	m = press(t, m, "d", "y") // both marked fail: a report, then an error to dismiss
	if _, ok := dialog(m).(batchReport); !ok {
		t.Fatalf("no report after the failed batch:\n%s", rendered(m))
	}
	m = press(t, m, "esc")
	if sendersOf(m).alert == nil || len(markedSIDs(m)) != 2 {
		t.Fatalf("after a failed detach of the marks: alert %v, marks %v", sendersOf(m).alert, markedSIDs(m))
	}
	for _, want := range []string{"dismiss error", "clear filter", "clear marks", "back to services"} {
		escs := escHelp(m)
		if !slices.Equal(escs, []string{want}) {
			t.Fatalf("help offers esc as %v, want only %q", escs, want)
		}
		m = press(t, m, "esc")
	}
	if shown(m) != onServices {
		t.Fatalf("four escs ended on %s", shown(m))
	}
}

// escHelp is what help says esc does on the screen on top.
func escHelp(m Model) []string {
	var out []string
	for _, b := range flat(m.top().help(&m.c)) {
		if b.Enabled() && slices.Contains(b.Keys(), "esc") {
			out = append(out, b.Help().Desc)
		}
	}
	return out
}

// TestMarksSurvive: marks are kept by SID across a refresh, a filter
// and pages arriving; a sender gone from the server loses its mark, and
// does not get it back when it returns.
func TestMarksSurvive(t *testing.T) {
	t.Run("refresh", func(t *testing.T) {
		m := pressMarks(t, openedModel(t, newFakeClient()), "space", "j", "space", "r")
		if got := markedSIDs(m); !slices.Equal(got, []string{xe(1), xe(3)}) {
			t.Fatalf("after r the marks are %v", got)
		}
	})
	t.Run("filter", func(t *testing.T) {
		m := pressMarks(t, openedModel(t, newFakeClient()), "space", "/")
		m = typeText(t, m, "kind:rcs")
		m = press(t, m, "enter")
		if got := markedSIDs(m); !slices.Equal(got, []string{xe(1)}) {
			t.Fatalf("under the filter the marks are %v", got)
		}
		if s := statusOf(m); !strings.Contains(s, "1 marked: 1 WhatsApp · 1 hidden") {
			t.Fatalf("the status line does not count the hidden mark: %q", s)
		}
		m = press(t, m, "esc")
		if got := markedSIDs(m); !slices.Equal(got, []string{xe(1)}) || strings.Contains(statusOf(m), "hidden") {
			t.Fatalf("after the filter cleared: marks %v, status %q", got, statusOf(m))
		}
	})
	t.Run("pages arriving", func(t *testing.T) {
		c := newFakeClient()
		c.senders[svcSID(1)] = manySenders(30)
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
		m = pressMarks(t, m, "space", "space")
		marked := markedSIDs(m)
		m = run(t, m, tea.Batch(more...))
		if listOf(m).totalCount() != 30 || !slices.Equal(markedSIDs(m), marked) || len(marked) != 2 {
			t.Fatalf("after every page the marks are %v, were %v (%d senders)", markedSIDs(m), marked, listOf(m).totalCount())
		}
	})
	t.Run("gone from the server", func(t *testing.T) {
		c := newFakeClient()
		m := pressMarks(t, openedModel(t, c), "space", "space")
		c.mu.Lock()
		kept := c.senders[svcSID(1)]
		gone := kept[1] // xe2, detached by someone else
		c.senders[svcSID(1)] = slices.Delete(slices.Clone(kept), 1, 2)
		c.mu.Unlock()
		m = press(t, m, "r")
		if got := markedSIDs(m); !slices.Equal(got, []string{xe(1)}) {
			t.Fatalf("after its sender went, the marks are %v", got)
		}
		c.mu.Lock()
		c.senders[svcSID(1)] = append(c.senders[svcSID(1)], gone)
		c.mu.Unlock()
		m = press(t, m, "r")
		if got := markedSIDs(m); !slices.Equal(got, []string{xe(1)}) {
			t.Fatalf("a sender that came back is marked again: %v", got)
		}
	})
}

// TestMarkAllUnderAFilter: * marks only what the filter shows, and
// unmarks only that when all of it is marked.
func TestMarkAllUnderAFilter(t *testing.T) {
	m := pressMarks(t, openedModel(t, newFakeClient()), "space", "/")
	m = typeText(t, m, "kind:rcs")
	m = press(t, m, "enter", "*")
	if got := markedSIDs(m); !slices.Equal(got, []string{xe(1), xe(4), xe(5)}) {
		t.Fatalf("* under kind:rcs marked %v", got)
	}
	if s := statusOf(m); !strings.Contains(s, "3 marked: 1 WhatsApp · 2 RCS · 1 hidden") {
		t.Fatalf("status line %q", s)
	}
	m = press(t, m, "*")
	if got := markedSIDs(m); !slices.Equal(got, []string{xe(1)}) {
		t.Fatalf("* again under kind:rcs left %v, want the hidden mark only", got)
	}
}

// TestMarksStatusLineCountsByKind on the demo's pool of every kind.
func TestMarksStatusLineCountsByKind(t *testing.T) {
	_, client := demoClient(t, api.Config{})
	m := start(t, newTestModel(t, client, 120, 30, func(o *Options) { o.ServiceSID = twiliotest.DemoServiceNotifications }))
	if s := statusOf(m); strings.Contains(s, "marked") {
		t.Fatalf("no marks, yet the status line says %q", s)
	}
	for _, addr := range []string{"+14155550142", "+12125550187", "Acme"} {
		m = cursorTo(t, m, addr)
		m = pressMarks(t, m, "space")
	}
	if s := statusOf(m); !strings.Contains(s, "3 marked: 2 numbers · 1 alpha · ") {
		t.Fatalf("the status line does not count the marks by kind: %q", s)
	}
}

// TestCopyMarked: y copies the marked SIDs one a line in list order,
// hidden ones included; without marks the highlighted one; a malformed
// SID among the marks copies nothing and says why.
func TestCopyMarked(t *testing.T) {
	m := pressMarks(t, openedModel(t, newFakeClient()), "space", "j", "space", "/")
	m = typeText(t, m, "kind:rcs")
	m = press(t, m, "enter")
	_, cmd := step(t, m, keyPress("y"))
	if got := clipboardOf(cmd); got != xe(1)+"\n"+xe(3) {
		t.Fatalf("y copied %q, want the two marked SIDs", got)
	}
	m = press(t, m, "U")
	_, cmd = step(t, m, keyPress("y"))
	if got := clipboardOf(cmd); got != selectedSID(m) {
		t.Fatalf("without marks y copied %q, want %s", got, selectedSID(m))
	}

	c := newFakeClient()
	bad := "XE\x1b[31mbad"
	c.senders[svcSID(1)] = append(c.senders[svcSID(1)], sender(bad, "whatsapp:+10000000000", "WhatsApp", "US"))
	m = pressMarks(t, openedModel(t, c), "*")
	m, cmd = step(t, m, keyPress("y"))
	if clipboardOf(cmd) != "" {
		t.Fatal("a malformed marked SID was copied")
	}
	if s := statusOf(m); !strings.Contains(s, "not copied") || !strings.Contains(s, "malformed") || strings.Contains(m.c.notice, "\x1b") {
		t.Fatalf("the notice does not say why nothing was copied, or lets the escape through: %q", m.c.notice)
	}
}

// TestDetachManyConfirmation: d with marks opens one confirmation with
// the counts by kind, the first names, and each marked sender's
// warnings (api.DetachWarnings) added up.
func TestDetachManyConfirmation(t *testing.T) {
	_, client := demoClient(t, api.Config{})
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = twiliotest.DemoServiceNotifications }))
	m = press(t, m, "/")
	m = typeText(t, m, "kind:phone")
	m = press(t, m, "enter", "*", "esc")
	m = cursorTo(t, m, "whatsapp:+14155550100")
	m = pressMarks(t, m, "space")
	s := sendersOf(m)
	targets := s.list.markedSenders()
	m = press(t, m, "d")
	d, ok := confirmOf(m)
	if !ok {
		t.Fatalf("d with marks opened no confirmation:\n%s", rendered(m))
	}
	if req, ok := d.onYes.(detachManyRequest); !ok || !slices.Equal(poolSIDs(req.senders), poolSIDs(targets)) {
		t.Fatalf("the confirmation's answer is %#v, want the %d marked senders", d.onYes, len(targets))
	}

	// What every target's own warnings add up to, against the pool
	// without the other targets.
	going := map[string]bool{}
	for _, x := range targets {
		going[x.SID] = true
	}
	var rest []api.PoolSender
	for _, p := range s.senders() {
		if !going[p.SID] {
			rest = append(rest, p)
		}
	}
	count := map[api.DetachWarning]map[string]int{}
	for _, x := range targets {
		for _, w := range api.DetachWarnings(&s.service, s.campaign.campaign, rest, x) {
			if count[w] == nil {
				count[w] = map[string]int{}
			}
			count[w][x.Kind]++
		}
	}
	numbers := count[api.WarnStickySender][api.KindPhoneNumber]
	campaign := count[api.WarnLeavesCampaign][api.KindPhoneNumber]
	if numbers != 4 || campaign != 3 || count[api.WarnLastOfKind][api.KindPhoneNumber] != 4 || count[api.WarnLastOfKind][api.KindWhatsApp] != 0 {
		t.Fatalf("the demo's warnings changed: %v", count)
	}
	flat := strings.Join(strings.Fields(rendered(m)), " ")
	for _, want := range []string{
		"Detach 5 senders?",
		"Senders 5: 1 WhatsApp · 4 numbers",
		"whatsapp:+14155550100", "and 2 more",
		fmt.Sprintf("Sticky sender is on: the recipients who last heard from %d numbers get other senders.", numbers),
		"The service will have no phone number left.",
		fmt.Sprintf("%d US numbers leave the service's US A2P campaign (", campaign),
		"4/400 numbers and short codes (0 after)",
		"[ Detach 5 ]",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, rendered(m))
		}
	}
	if strings.Contains(flat, "no WhatsApp sender left") || strings.Contains(flat, "Hidden") {
		t.Errorf("the confirmation says what is untrue here:\n%s", rendered(m))
	}
	m = press(t, m, "n")
	if dialog(m) != nil || len(markedSIDs(m)) != 5 {
		t.Fatalf("n closed nothing or lost the marks: %v", markedSIDs(m))
	}
}

// TestDetachManyOnTheDemoFake: twenty marked senders detached over real
// HTTP leave the server without exactly those twenty; the rows and the
// marks go.
func TestDetachManyOnTheDemoFake(t *testing.T) {
	fake, client := demoWith(t, twiliotest.DemoOptions{Senders: 60}, api.Config{})
	svc := twiliotest.DemoServiceNotifications
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = svc }))
	before := fake.PoolSIDs(svc)
	m = press(t, m, "g")
	for range 20 {
		m = pressMarks(t, m, "space")
	}
	targets := markedSIDs(m)
	if len(targets) != 20 {
		t.Fatalf("20 spaces marked %d", len(targets))
	}
	m = press(t, m, "d")
	if !strings.Contains(rendered(m), "Detach 20 senders?") {
		t.Fatalf("no confirmation of 20:\n%s", rendered(m))
	}
	m = press(t, m, "y")
	want := slices.DeleteFunc(slices.Clone(before), func(sid string) bool { return slices.Contains(targets, sid) })
	if got := fake.PoolSIDs(svc); !slices.Equal(got, want) {
		t.Fatalf("the server has %d senders, want the %d without exactly the 20 marked", len(got), len(want))
	}
	if got := listedSIDs(m); !slices.Equal(got, want) {
		t.Fatalf("the list shows %d senders, the server %d", len(got), len(want))
	}
	if len(markedSIDs(m)) != 0 || len(m.c.changes) != 0 || sendersOf(m).batch.running {
		t.Fatalf("after the batch: marks %v, changes %d, running %v", markedSIDs(m), len(m.c.changes), sendersOf(m).batch.running)
	}
	if s := statusOf(m); !strings.Contains(s, "✓ detached 20") || strings.Contains(s, "failed") {
		t.Fatalf("the notice %q", s)
	}
}

// TestFailingDetachKeepsItsMark: of three marked senders, the one whose
// detach fails stays listed and marked, the notice counts both ways, and
// a second d retries exactly it.
func TestFailingDetachKeepsItsMark(t *testing.T) {
	fake, client := demoClient(t, api.Config{})
	svc := twiliotest.DemoServiceNotifications
	fake.AddFault(twiliotest.RouteDeleteChannelSender, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21610, Message: "refused", Service: svc})
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = svc }))
	m = pressMarks(t, m, "g", "space", "space", "space")
	targets := markedSIDs(m)
	m = press(t, m, "d", "y")
	server := fake.PoolSIDs(svc)
	left := slices.DeleteFunc(slices.Clone(targets), func(sid string) bool { return !slices.Contains(server, sid) })
	if len(left) != 1 || !slices.Equal(markedSIDs(m), left) {
		t.Fatalf("after one refused detach: on the server %v of %v, marked %v", left, targets, markedSIDs(m))
	}
	flat := strings.Join(strings.Fields(rendered(m)), " ")
	for _, want := range []string{"✓ detached 2 from", "✗ 1 failed", "Failed (1):", "refused", "error 21610", "still in", "r retries the 1 failed"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report lacks %q:\n%s", want, rendered(m))
		}
	}
	m = press(t, m, "esc") // the report
	if !strings.Contains(rendered(m), "d retries them") {
		t.Errorf("the banner does not say d retries:\n%s", rendered(m))
	}
	m = press(t, m, "esc") // the error
	m = press(t, m, "d")
	if !strings.Contains(rendered(m), "Detach 1 sender?") {
		t.Fatalf("the second d does not ask for the one left:\n%s", rendered(m))
	}
	m = press(t, m, "y")
	if slices.Contains(fake.PoolSIDs(svc), left[0]) || len(markedSIDs(m)) != 0 {
		t.Fatalf("the retry left %s on the server, marks %v", left[0], markedSIDs(m))
	}
}

// TestDetachManyInFlight: while a batch runs its rows say so, its
// progress is on the status line, d and leaving the screen are off (and
// not in help), q waits for the batch and ctrl+c reports it unknown.
func TestDetachManyInFlight(t *testing.T) {
	c := newFakeClient()
	m := pressMarks(t, openedModel(t, c), "space", "space", "space")
	c.mu.Lock()
	c.opGate = make(chan struct{}, 3)
	gate := c.opGate
	c.mu.Unlock()
	m = press(t, m, "d")
	m, cmd := step(t, m, keyPress("y"))
	m, cmd, _ = drive(t, m, cmd, inFlight(3))
	if len(m.c.changes) != 4 || !sendersOf(m).batch.running { // three senders and the batch
		t.Fatalf("the batch did not start: %d changes", len(m.c.changes))
	}
	if s := rendered(m); !strings.Contains(s, "detaching 0/3") || strings.Count(s, "detaching…") < 3 || !strings.Contains(s, "esc stop") {
		t.Fatalf("the screen does not show the batch:\n%s", s)
	}
	for _, k := range []key.Binding{m.c.keys.Senders.Detach, m.c.keys.Senders.Back, m.c.keys.Senders.Services, m.c.keys.Senders.Move} {
		if answers(&m.c, m.top(), tea.KeyPressMsg{Code: []rune(k.Keys()[0])[0], Text: k.Keys()[0]}) && k.Keys()[0] != "esc" {
			t.Errorf("%s is offered while the batch runs", k.Keys()[0])
		}
	}
	if slices.ContainsFunc(escHelp(m), func(d string) bool { return d == "back to services" }) {
		t.Error("esc goes back while the batch runs")
	}
	if r := m.QuitReport(); strings.Count(r, "may or may not have happened") != 3 {
		t.Fatalf("ctrl+c now would not report the three detaches: %q", r)
	}
	m, q := step(t, m, keyPress("q"))
	if slices.ContainsFunc(flattenShallow(q), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok }) {
		t.Fatal("q quit with the batch in flight")
	}
	for range 3 {
		gate <- struct{}{}
	}
	m, _, quit := drive(t, m, cmd, nil)
	if !quit || len(c.senders[svcSID(1)]) != 3 {
		t.Fatalf("after the batch: quit %v, %d senders left on the server", quit, len(c.senders[svcSID(1)]))
	}
	if r := m.QuitReport(); !strings.Contains(r, "✓ detached 3 from Acme Notifications") {
		t.Fatalf("the quit report does not tell the batch: %q", r)
	}
}

// TestReadOnlyMarksButDetachesNothing: marks and y work read-only; d is
// not offered and does nothing.
func TestReadOnlyMarksButDetachesNothing(t *testing.T) {
	c := newFakeClient()
	m := pressMarks(t, openedModel(t, c, func(o *Options) { o.Identity.ReadOnly = true }), "*")
	if len(markedSIDs(m)) != 6 {
		t.Fatalf("read-only * marked %v", markedSIDs(m))
	}
	if h := rendered(press(t, m, "?")); strings.Contains(h, "detach") {
		t.Fatalf("read-only help offers a detach:\n%s", h)
	}
	calls := countCalls(c)
	m = press(t, m, "d")
	if dialog(m) != nil || countCalls(c) != calls {
		t.Fatal("d did something in read-only mode")
	}
	m = update(t, m, detachManyRequest{senders: listOf(m).markedSenders()}) // even if asked
	if len(c.senders[svcSID(1)]) != 6 || len(m.c.changes) != 0 {
		t.Fatal("a detach request was sent in read-only mode")
	}
}

// TestMarkKeysListedExactlyWhenTheyWork: in each state, each mark key is
// in help exactly when the screen, given it directly, changes something.
func TestMarkKeysListedExactlyWhenTheyWork(t *testing.T) {
	keys := map[string]tea.KeyPressMsg{"space": spaceKey, "V": keyPress("V"), "*": keyPress("*"), "U": keyPress("U"), "esc": keyPress("esc")}
	noMatch := func(t *testing.T, m Model) Model {
		m = press(t, m, "/")
		m = typeText(t, m, "zzz")
		return press(t, m, "enter")
	}
	for _, tt := range []struct {
		name  string
		setup func(*testing.T, Model) Model
		want  map[string]bool
	}{
		{"no marks", func(t *testing.T, m Model) Model { return m }, map[string]bool{"space": true, "*": true, "esc": true}},
		{"one mark, cursor below", func(t *testing.T, m Model) Model { return pressMarks(t, m, "space") }, map[string]bool{"space": true, "V": true, "*": true, "U": true, "esc": true}},
		{"cursor on the last mark", func(t *testing.T, m Model) Model { return pressMarks(t, m, "space", "k") }, map[string]bool{"space": true, "*": true, "U": true, "esc": true}},
		{"all marked", func(t *testing.T, m Model) Model { return pressMarks(t, m, "*") }, map[string]bool{"space": true, "*": true, "U": true, "esc": true}},
		{"a filter that shows nothing", func(t *testing.T, m Model) Model { return noMatch(t, pressMarks(t, m, "space")) }, map[string]bool{"U": true, "esc": true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.setup(t, openedModel(t, newFakeClient()))
			for name, k := range keys {
				listed := answers(&m.c, m.top(), k)
				if listed != tt.want[name] {
					t.Errorf("%s listed: %v, want %v", name, listed, tt.want[name])
				}
				// Given straight to the screen, past the root's check.
				c := m.c
				next, _, act := sendersOf(m).update(&c, k)
				after := next.(sendersScreen)
				changed := act != nil || !slices.Equal(slices.Sorted(maps.Keys(after.list.marks)), markedSIDs(m)) ||
					after.list.chosen != listOf(m).chosen || after.filter.value() != sendersOf(m).filter.value()
				if changed != listed {
					t.Errorf("%s changes something: %v, but listed: %v", name, changed, listed)
				}
			}
		})
	}
}
