package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/senderpool/senderpool/api"
)

func TestPickServiceAndBrowse(t *testing.T) {
	m := start(t, newTestModel(t, newFakeClient(), 120, 30))
	s := rendered(m)
	for _, want := range []string{"Acme Notifications", "Acme Marketing", "Sandbox (empty)", svcSID(1), "DEMO", "3 Messaging Services"} {
		if !strings.Contains(s, want) {
			t.Fatalf("services screen lacks %q:\n%s", want, s)
		}
	}
	m = press(t, m, "enter")
	s = rendered(m)
	for _, want := range []string{"WhatsApp (2)", "Messenger (2)", "RCS (2)", "› whatsapp:+14155550100", "2 WhatsApp · 2 Messenger · 2 RCS · pool 0/400", "Acme Notifications"} {
		if !strings.Contains(s, want) {
			t.Fatalf("senders screen lacks %q:\n%s", want, s)
		}
	}
	// Details of the first sender, dates in the configured zone.
	for _, want := range []string{"SID       " + xe(1), "Created   2026-03-14 09:26:53 UTC"} {
		if !strings.Contains(s, want) {
			t.Fatalf("detail pane lacks %q:\n%s", want, s)
		}
	}
	m = press(t, m, "j", "j")
	if got, _ := selectedSender(m); got.SID != xe(3) {
		t.Fatalf("after j j selected %s, want the first Messenger sender %s", got.SID, xe(3))
	}
	m = press(t, m, "s")
	if shown(m) != onServices {
		t.Fatal("s did not go back to the services")
	}
	m = press(t, m, "j", "j", "enter")
	if !strings.Contains(rendered(m), "No senders in this service's pool.") {
		t.Fatalf("empty service not explained:\n%s", rendered(m))
	}
}

func TestScreensGolden(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys []string
	}{
		{"services_80x24", 80, 24, nil},
		{"senders_wide_120x30", 120, 30, []string{"enter", "j"}},
		{"senders_narrow_80x24", 80, 24, []string{"enter", "j"}},
		{"help_80x24", 80, 24, []string{"enter", "?"}},
		{"too_small_39x10", 39, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := start(t, newTestModel(t, newFakeClient(), tt.w, tt.h))
			m = press(t, m, tt.keys...)
			checkWidth(t, m)
			golden.RequireEqual(t, rendered(m))
		})
	}
}

func TestLayoutStacksDetailWhenNarrow(t *testing.T) {
	for _, tt := range []struct {
		w       int
		stacked bool
	}{{80, true}, {99, true}, {100, false}, {160, false}} {
		m := start(t, newTestModel(t, newFakeClient(), tt.w, 30))
		m = press(t, m, "enter")
		checkWidth(t, m)
		lines := strings.Split(rendered(m), "\n")
		var listLine, detailLine = -1, -1
		for i, l := range lines {
			if strings.Contains(l, "› whatsapp:+14155550100") && listLine < 0 {
				listLine = i
			}
			if strings.Contains(l, "Details") && detailLine < 0 {
				detailLine = i
			}
		}
		if listLine < 0 || detailLine < 0 {
			t.Fatalf("width %d: list or detail missing:\n%s", tt.w, rendered(m))
		}
		if stacked := detailLine > listLine; stacked != tt.stacked {
			t.Errorf("width %d: stacked=%v, want %v:\n%s", tt.w, stacked, tt.stacked, rendered(m))
		}
	}
}

func TestStaleRepliesDropped(t *testing.T) {
	c := newFakeClient()
	m := start(t, newTestModel(t, c, 120, 30))
	m = press(t, m, "enter")
	oldReq := sendersOf(m).sources[0].load.req
	m = press(t, m, "s", "j", "enter") // now on Acme Marketing, which is empty
	if sendersOf(m).sources[0].load.req == oldReq {
		t.Fatal("switching service did not issue a new request id")
	}
	late := pageMsg[api.PoolSender]{req: oldReq, items: pool(sampleSenders())}
	m = update(t, m, late)
	if n := listOf(m).senderCount(); n != 0 {
		t.Fatalf("a reply for the old service put %d senders on screen", n)
	}
	m = update(t, m, pageMsg[api.PoolSender]{req: oldReq, done: true, err: errors.New("late failure")})
	if sendersOf(m).sources[0].load.err != nil {
		t.Fatal("a late error for the old service was shown")
	}
	late2 := serviceMsg{req: oldReq, service: &api.Service{SID: svcSID(1), FriendlyName: "Old"}}
	m = update(t, m, late2)
	if shownService(m).SID != svcSID(2) {
		t.Fatalf("late FetchService reply changed the service to %s", shownService(m).SID)
	}
}

func TestFirstPageShownBeforeLast(t *testing.T) {
	c := newFakeClient()
	c.senders[svcSID(1)] = manySenders(25)
	c.pageSize = 10
	c.gate = make(chan struct{})
	m := newTestModel(t, c, 120, 30, func(o *Options) { o.ServiceSID = svcSID(1) })
	next, cmd := m.Update(startMsg{})
	m = next.(Model)
	// Run the start batch by hand, stopping at the first page: later pages
	// are held by the gate.
	var more []tea.Cmd
	for _, msg := range flatten(cmd) {
		switch msg := msg.(type) {
		case pageMsg[api.PoolSender]:
			var next tea.Model
			var c tea.Cmd
			next, c = m.Update(msg)
			m, more = next.(Model), append(more, c)
		case serviceMsg:
			m = update(t, m, msg)
		}
	}
	s := rendered(m)
	if listOf(m).senderCount() != 10 || !strings.Contains(s, "loading senders… 10 so far") {
		t.Fatalf("first page not painted while the rest loads (have %d):\n%s", listOf(m).senderCount(), s)
	}
	if !strings.Contains(s, "Acme Notifications") {
		t.Errorf("header does not name the service opened by SID:\n%s", s)
	}
	close(c.gate)
	m = run(t, m, tea.Batch(more...))
	if listOf(m).senderCount() != 25 || sendersOf(m).sources[0].load.running {
		t.Fatalf("after all pages: %d senders, busy=%v", listOf(m).senderCount(), sendersOf(m).sources[0].load.running)
	}
	if !strings.Contains(rendered(m), "1/25 · 7 WhatsApp · 6 Messenger · 6 RCS · 6 Instagram") {
		t.Errorf("summary missing:\n%s", rendered(m))
	}
}

func TestErrorShownAndRetried(t *testing.T) {
	c := newFakeClient()
	c.err = &api.Error{Status: 401, Code: 20003, Message: "Authenticate", MoreInfo: "https://www.twilio.com/docs/errors/20003"}
	m := start(t, newTestModel(t, c, 100, 24))
	s := rendered(m)
	for _, want := range []string{"✗ Authenticate", "error 20003", "https://www.twilio.com/docs/errors/20003", "r retry"} {
		if !strings.Contains(s, want) {
			t.Fatalf("error screen lacks %q:\n%s", want, s)
		}
	}
	c.mu.Lock()
	c.err = nil
	c.mu.Unlock()
	m = press(t, m, "r")
	if strings.Contains(rendered(m), "✗") || len(servicesOf(m).picker.services) != 3 {
		t.Fatalf("r did not recover:\n%s", rendered(m))
	}
}

func TestRefreshKeepsListUntilComplete(t *testing.T) {
	c := newFakeClient()
	m := start(t, newTestModel(t, c, 120, 30))
	m = press(t, m, "enter", "j")
	before, _ := selectedSender(m)
	c.mu.Lock()
	c.senders[svcSID(1)] = append(sampleSenders(), sender(xe(50), "whatsapp:+10000000001", "WhatsApp", "US"))
	c.mu.Unlock()
	m = press(t, m, "r")
	if listOf(m).senderCount() != 7 {
		t.Fatalf("refresh shows %d senders, want 7", listOf(m).senderCount())
	}
	if after, _ := selectedSender(m); after.SID != before.SID {
		t.Errorf("refresh moved the cursor from %s to %s", before.SID, after.SID)
	}
}

func TestEveryWidthFits(t *testing.T) {
	c := newFakeClient()
	c.senders[svcSID(1)] = append(sampleSenders(),
		sender(xe(70), "whatsapp:+1"+strings.Repeat("9", 80), "WhatsApp", "US"),
		sender(xe(71), "rcs:エージェント_🚀_"+strings.Repeat("長", 40), "RCS", "JP"),
		sender(xe(72), "messenger:\x1b]2;pwned\x07evil", "Messenger", "US"),
	)
	for w := 20; w <= 130; w += 7 {
		for _, h := range []int{5, 10, 24} {
			m := start(t, newTestModel(t, c, w, h))
			m = press(t, m, "enter", "G", "k")
			checkWidth(t, m)
			if strings.Contains(m.View().Content, "\x1b]2;") {
				t.Fatal("an escape sequence from the API reached the screen")
			}
		}
	}
}

func TestFilterKeepsGroupsAndCounts(t *testing.T) {
	m := start(t, newTestModel(t, newFakeClient(), 100, 30))
	m = press(t, m, "enter", "/")
	m = typeText(t, m, "de")
	s := rendered(m)
	if !strings.Contains(s, "RCS (2 of 2)") || strings.Contains(s, "WhatsApp (") {
		t.Fatalf("filter 'de' (country DE) should show only the RCS group:\n%s", s)
	}
	if !strings.Contains(s, "2 of 6") {
		t.Fatalf("filter line lacks the count:\n%s", s)
	}
	m = press(t, m, "enter")
	if _, ok := selectedSender(m); !ok {
		t.Fatal("no selection inside the filtered list")
	}
	m = press(t, m, "/")
	m = update(t, m, keyPress("esc"))
	if listOf(m).senderCount() != 6 || filtering(m) {
		t.Fatalf("esc did not clear the filter: %d shown", listOf(m).senderCount())
	}
	// By SID, by type, case-insensitively; no match shows an empty list.
	for q, want := range map[string]int{strings.ToUpper(xe(3)): 1, "MESSENGER": 2, "zzz-no-match": 0} {
		m = press(t, m, "/")
		m = typeText(t, m, q)
		if n := listOf(m).senderCount(); n != want {
			t.Errorf("filter %q shows %d, want %d", q, n, want)
		}
		checkWidth(t, m)
		m = update(t, m, keyPress("esc"))
	}
}

func TestCopySID(t *testing.T) {
	m := start(t, newTestModel(t, newFakeClient(), 100, 30))
	m = press(t, m, "enter")
	next, cmd := m.Update(keyPress("y"))
	m = next.(Model)
	if cmd == nil {
		t.Fatal("y returned no command")
	}
	msg := cmd()
	if got := fmt.Sprint(msg); !strings.Contains(got, xe(1)) {
		t.Fatalf("clipboard message %#v does not carry the SID", msg)
	}
	if !strings.Contains(rendered(m), "copied "+xe(1)) {
		t.Fatalf("footer does not confirm the copy:\n%s", rendered(m))
	}
}

func TestAutoRefresh(t *testing.T) {
	c := newFakeClient()
	m := start(t, newTestModel(t, c, 100, 30))
	m = press(t, m, "enter")
	c.mu.Lock()
	c.senders[svcSID(1)] = c.senders[svcSID(1)][1:]
	c.mu.Unlock()
	m = press(t, m, "d") // a dialog is open: the timer must not refetch under it
	m = update(t, m, autoRefreshMsg{})
	if listOf(m).senderCount() != 6 {
		t.Fatal("auto-refresh ran while a dialog was open")
	}
	m = press(t, m, "esc")
	m = update(t, m, autoRefreshMsg{})
	if listOf(m).senderCount() != 5 {
		t.Fatalf("auto-refresh did not refetch: %d senders", listOf(m).senderCount())
	}
}

// TestFooterKeepsHelpWhenNarrow: a footer too narrow for every key says
// some are left out and keeps "? help", which lists them all.
func TestFooterKeepsHelpWhenNarrow(t *testing.T) {
	for _, tt := range []struct {
		width    int
		elided   bool
		mustShow []string
	}{
		{120, false, []string{"a attach", "d detach", "? help", "q quit"}},
		{60, true, []string{"↑/↓ move", "…", "? help"}},
		{40, true, []string{"…", "? help"}},
	} {
		m := start(t, newTestModel(t, newFakeClient(), tt.width, 24))
		m = press(t, m, "enter")
		footer := ansi.Strip(m.footer(&m.c))
		if w := ansi.StringWidth(footer); w > tt.width {
			t.Errorf("width %d: footer is %d cells wide: %q", tt.width, w, footer)
		}
		for _, s := range tt.mustShow {
			if !strings.Contains(footer, s) {
				t.Errorf("width %d: footer %q lacks %q", tt.width, footer, s)
			}
		}
		if got := strings.Contains(footer, "…"); got != tt.elided {
			t.Errorf("width %d: footer %q: ellipsis %v, want %v", tt.width, footer, got, tt.elided)
		}
	}
}

// TestFilterServices: / on the service picker narrows it by name or SID,
// keeps its own filter apart from the senders', and esc clears it.
func TestFilterServices(t *testing.T) {
	m := start(t, newTestModel(t, newFakeClient(), 100, 30))
	m = press(t, m, "/")
	m = typeText(t, m, "MARKET")
	if got := pickerNames(m); !slices.Equal(got, []string{"Acme Marketing"}) {
		t.Fatalf("filter MARKET shows %v", got)
	}
	if s := rendered(m); !strings.Contains(s, "1 of 3") {
		t.Errorf("the status line does not count the matches:\n%s", s)
	}
	m = press(t, m, "enter") // keep the filter, back to the list
	if filtering(m) || !strings.Contains(rendered(m), `filter "market": 1 of 3 Messaging Services`) {
		t.Fatalf("enter did not keep the filter:\n%s", rendered(m))
	}
	m = press(t, m, "enter") // open the one service shown
	if shown(m) != onSenders || shownService(m).SID != svcSID(2) {
		t.Fatalf("opened %q, want %s", shownService(m).SID, svcSID(2))
	}
	if listOf(m).filter != "" {
		t.Errorf("the services' filter leaked into the senders': %q", listOf(m).filter)
	}
	m = press(t, m, "s")
	if got := pickerNames(m); !slices.Equal(got, []string{"Acme Marketing"}) {
		t.Errorf("back on the services the filter is gone: %v", got)
	}
	m = press(t, m, "/")
	if v := filterValue(m); v != "MARKET" {
		t.Errorf("editing starts from %q, want the filter in force", v)
	}
	m = typeText(t, m, "zzz")
	if s := rendered(m); !strings.Contains(s, `No Messaging Service matches "MARKETzzz"`) {
		t.Errorf("no word for an empty result:\n%s", s)
	}
	checkWidth(t, m)
	m = press(t, m, "esc")
	if got := pickerNames(m); len(got) != 3 || servicesOf(m).picker.cursor != 1 {
		t.Errorf("esc left %v with the cursor at %d, want all 3 and the cursor still on Acme Marketing", got, servicesOf(m).picker.cursor)
	}
}

func pickerNames(m Model) []string {
	var out []string
	for _, s := range servicesOf(m).picker.services {
		out = append(out, s.FriendlyName)
	}
	return out
}
