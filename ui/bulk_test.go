package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	changes "github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// drive runs cmd and every command that follows from it, feeding their
// messages to m, until stop holds after a message (then the commands
// not run yet are returned, to go on with) or nothing is left. quit
// tells whether the dashboard asked to end.
func drive(t *testing.T, m Model, cmd tea.Cmd, stop func(Model) bool) (Model, tea.Cmd, bool) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	quit := false
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, msg := range flattenShallow(next) {
			switch msg.(type) {
			case nil, spinner.TickMsg:
				continue
			case tea.QuitMsg:
				quit = true
				continue
			}
			if fmt.Sprintf("%T", msg) == "tea.backgroundColorMsg" {
				continue
			}
			n, more := m.Update(msg)
			m = n.(Model)
			if more != nil {
				queue = append(queue, more)
			}
			if stop != nil && stop(m) {
				return m, tea.Batch(queue...), quit
			}
		}
	}
	return m, nil, quit
}

func inFlight(n int) func(Model) bool {
	return func(m Model) bool { return sendersOf(m).batch.last.InFlight == n }
}

// gated is the fake's six senders, all marked, with every detach held
// until the test lets it go.
func gated(t *testing.T) (Model, *fakeClient, chan struct{}) {
	c := newFakeClient()
	m := pressMarks(t, openedModel(t, c), "*")
	c.mu.Lock()
	c.opGate = make(chan struct{}, 6)
	gate := c.opGate
	c.mu.Unlock()
	return m, c, gate
}

func reportOf(m Model) (batchReport, bool) {
	r, ok := dialog(m).(batchReport)
	return r, ok
}

// TestBatchProgress: while a batch runs, a bar and its counts sit above
// the status line and follow it; rows go as their detach ends; the
// cursor, the detail pane and the filter still work.
func TestBatchProgress(t *testing.T) {
	m, c, gate := gated(t)
	m = press(t, m, "d")
	m, cmd := step(t, m, keyPress("y"))
	m, cmd, _ = drive(t, m, cmd, inFlight(4))
	lines := strings.Split(rendered(m), "\n")
	bar := lines[len(lines)-3]
	for _, want := range []string{"░", "detaching 0/6", "4 in flight", "2 to go", "esc stop"} {
		if !strings.Contains(bar, want) {
			t.Errorf("the line above the status line lacks %q: %q", want, bar)
		}
	}
	gate <- struct{}{}
	m, cmd, _ = drive(t, m, cmd, func(m Model) bool { return sendersOf(m).batch.last.Done == 1 })
	if s := rendered(m); !strings.Contains(s, "detaching 1/6") || len(listedSIDs(m)) != 5 {
		t.Fatalf("after one detach: %d listed\n%s", len(listedSIDs(m)), s)
	}
	// Still usable: the cursor moves, the detail pane opens and closes,
	// the filter narrows.
	before := selectedSID(m)
	m = press(t, m, "j")
	if selectedSID(m) == before {
		t.Error("j did not move the cursor during the batch")
	}
	m = press(t, m, "tab")
	if !sendersOf(m).detail {
		t.Error("tab did not open the detail pane during the batch")
	}
	m = press(t, m, "esc", "/")
	m = typeText(t, m, "rcs")
	m = press(t, m, "enter")
	if n := listOf(m).senderCount(); n != 2 {
		t.Errorf("the filter shows %d senders during the batch, want the 2 RCS", n)
	}
	for range 5 {
		gate <- struct{}{}
	}
	m, _, _ = drive(t, m, cmd, nil)
	if sendersOf(m).batch.running || countCalls(c) < 6 || len(c.senders[svcSID(1)]) != 0 {
		t.Fatalf("the batch did not end: running %v, %d left", sendersOf(m).batch.running, len(c.senders[svcSID(1)]))
	}
	if !strings.Contains(m.c.notice, "✓ detached 6 from Acme Notifications") || dialog(m) != nil {
		t.Fatalf("a clean batch ends with a notice and no dialog: %q, %T", m.c.notice, dialog(m))
	}
}

// TestEscStopsTheBatch: esc stops the batch after the requests in
// flight; no new request starts; help offers esc "stop the batch" only
// while it can; the report counts the rest as not started and r retries
// exactly them.
func TestEscStopsTheBatch(t *testing.T) {
	m, c, gate := gated(t)
	m = press(t, m, "d")
	m, cmd := step(t, m, keyPress("y"))
	m, cmd, _ = drive(t, m, cmd, inFlight(4))
	if got := escHelp(m); !slices.Equal(got, []string{"stop the batch"}) {
		t.Fatalf("while the batch runs esc is %v", got)
	}
	m = press(t, m, "esc")
	if s := rendered(m); !strings.Contains(s, "stopping") {
		t.Fatalf("esc does not say it stops:\n%s", s)
	}
	if got := escHelp(m); slices.Contains(got, "stop the batch") {
		t.Fatalf("esc is still offered to stop a stopping batch: %v", got)
	}
	calls := countCalls(c) // the four in flight wait at the gate, uncounted
	for range 4 {
		gate <- struct{}{}
	}
	m, rest, _ := drive(t, m, cmd, func(m Model) bool { return !sendersOf(m).batch.running })
	if n := countCalls(c) - calls; n != 4 || len(c.senders[svcSID(1)]) != 2 {
		t.Fatalf("%d detaches were sent, want the 4 in flight when esc came", n)
	}
	m, _, _ = drive(t, m, rest, nil)
	r, ok := reportOf(m)
	if !ok {
		t.Fatalf("no report:\n%s", rendered(m))
	}
	left := poolSIDs(r.retry)
	flat := strings.Join(strings.Fields(rendered(m)), " ")
	for _, want := range []string{"✓ detached 4", "2 senders not started: the batch was stopped.", "r retries the 2 failed and not started"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report lacks %q:\n%s", want, rendered(m))
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(left)), markedSIDs(m)) {
		t.Fatalf("retry would run %v; marked are %v", left, markedSIDs(m))
	}
	gate <- struct{}{}
	gate <- struct{}{}
	m = press(t, m, "r")
	if len(c.senders[svcSID(1)]) != 0 || dialog(m) != nil {
		t.Fatalf("after the retry %d are left, dialog %T", len(c.senders[svcSID(1)]), dialog(m))
	}
}

// TestBatchReportListsFailures: the report names each failed sender
// with Twilio's words, its code and what to do; r runs a new batch on
// exactly those.
func TestBatchReportListsFailures(t *testing.T) {
	fake, client := demoWith(t, twiliotest.DemoOptions{Senders: 20}, api.Config{})
	svc := twiliotest.DemoServiceNotifications
	fake.AddFault(twiliotest.RouteDeleteChannelSender, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21610, Message: "Attempt to send to unsubscribed recipient", Service: svc, Times: 2})
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = svc }))
	m = pressMarks(t, m, "g", "space", "space", "space", "space", "space")
	targets := markedSIDs(m)
	m = press(t, m, "d", "y")
	r, ok := reportOf(m)
	if !ok {
		t.Fatalf("no report:\n%s", rendered(m))
	}
	failed := slices.DeleteFunc(slices.Clone(targets), func(sid string) bool { return !slices.Contains(fake.PoolSIDs(svc), sid) })
	if len(failed) != 2 || len(r.failed) != 2 || !slices.Equal(slices.Sorted(slices.Values(poolSIDs(r.retry))), failed) {
		t.Fatalf("failed on the server %v; the report has %d failures and retries %v", failed, len(r.failed), poolSIDs(r.retry))
	}
	flat := strings.Join(strings.Fields(rendered(m)), " ")
	for _, want := range []string{"Failed (2):", "Attempt to send to unsubscribed recipient · error 21610", "now still in Acme Notifications", "r retries the 2"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report lacks %q:\n%s", want, rendered(m))
		}
	}
	for _, l := range r.failed {
		if !slices.ContainsFunc(r.retry, func(p api.PoolSender) bool { return addressOf(p) == l.name }) {
			t.Errorf("%s is listed as failed but not retried", l.name)
		}
	}
	deletes := fake.Requests(twiliotest.RouteDeleteChannelSender)
	m = press(t, m, "r")
	if got := fake.Requests(twiliotest.RouteDeleteChannelSender) - deletes; got != 2 {
		t.Fatalf("the retry sent %d detaches, want exactly the 2 failed", got)
	}
	for _, sid := range targets {
		if slices.Contains(fake.PoolSIDs(svc), sid) {
			t.Errorf("%s is still in the service after the retry", sid)
		}
	}
	if len(markedSIDs(m)) != 0 || dialog(m) != nil {
		t.Fatalf("after the retry: marks %v, dialog %T", markedSIDs(m), dialog(m))
	}
}

func addressOf(p api.PoolSender) string { return p.Address }

// TestReasonHasTwilioHint: a failure's reason adds the hint Twilio's
// code has.
func TestReasonHasTwilioHint(t *testing.T) {
	err := fmt.Errorf("attach: %w", &api.Error{Status: 400, Code: api.CodeInAnotherService, Message: "Phone Number is already in a Messaging Service"})
	if got := reasonText(nil, err); !strings.Contains(got, "error 21712") || !strings.Contains(got, "detach it there first") {
		t.Fatalf("the reason %q lacks the code or the hint", got)
	}
}

// moveEnv is the demo over real HTTP with a journal, so that moves can
// be made.
func moveEnv(t *testing.T, opts twiliotest.DemoOptions) (*twiliotest.Fake, *changes.Client) {
	t.Helper()
	fake, client := apitest.Demo(t, opts, api.Config{})
	j, err := journal.Open(t.TempDir(), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fake, changes.New(client, changes.Options{Journal: j})
}

// openMoveOf marks n senders from the top and presses m.
func openMoveOf(t *testing.T, m Model, n int) (Model, []string) {
	t.Helper()
	m = press(t, m, "g")
	for range n {
		m = pressMarks(t, m, "space")
	}
	return press(t, m, "m"), markedSIDs(m)
}

// TestMoveMarkedOnTheDemoFake: twenty marked senders moved over real
// HTTP end in the other service, exactly those; the confirmation says
// what a move is.
func TestMoveMarkedOnTheDemoFake(t *testing.T) {
	fake, client := moveEnv(t, twiliotest.DemoOptions{Senders: 60})
	from, to := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = from }))
	before, beforeTo := fake.PoolSIDs(from), fake.PoolSIDs(to)
	m, targets := openMoveOf(t, m, 20)
	if len(targets) != 20 {
		t.Fatalf("marked %d", len(targets))
	}
	if s := rendered(m); !strings.Contains(s, "Move 20 senders to which service?") || !strings.Contains(s, "Acme Marketing") || strings.Contains(s, "› Acme Notifications") {
		t.Fatalf("the picker:\n%s", s)
	}
	m = press(t, m, "enter")
	flat := strings.Join(strings.Fields(rendered(m)), " ")
	for _, want := range []string{"Move 20 senders to Acme Marketing?", "Senders 20: 20 WhatsApp", "From Acme Notifications", "To Acme Marketing", "and 17 more", "a detach from Acme Notifications, then an attach to Acme Marketing; if the attach fails, the sender is put back", "[ Move 20 ]"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, rendered(m))
		}
	}
	m = press(t, m, "y")
	wantFrom := slices.DeleteFunc(slices.Clone(before), func(sid string) bool { return slices.Contains(targets, sid) })
	wantTo := slices.Sorted(slices.Values(append(slices.Clone(beforeTo), targets...)))
	if got := fake.PoolSIDs(from); !slices.Equal(got, wantFrom) {
		t.Fatalf("%s has %d senders, want %d", from, len(got), len(wantFrom))
	}
	if got := fake.PoolSIDs(to); !slices.Equal(got, wantTo) {
		t.Fatalf("%s has %v, want exactly the 20 moved added", to, got)
	}
	if got := listedSIDs(m); !slices.Equal(got, wantFrom) || len(markedSIDs(m)) != 0 || len(m.c.changes) != 0 {
		t.Fatalf("after the move: %d listed, marks %v, %d changes", len(got), markedSIDs(m), len(m.c.changes))
	}
	if !strings.Contains(m.c.notice, "✓ moved 20 to Acme Marketing") {
		t.Fatalf("the notice %q", m.c.notice)
	}
}

// TestMoveWhoseAttachFails: every attach to the other service fails, so
// each move is rolled back: the report says they are back in A, and the
// server agrees.
func TestMoveWhoseAttachFails(t *testing.T) {
	fake, client := moveEnv(t, twiliotest.DemoOptions{})
	from, to := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: to, Times: -1}, twiliotest.AttachRoutes()...)
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = from }))
	before := fake.PoolSIDs(from)
	m, targets := openMoveOf(t, m, 3)
	m = press(t, m, "enter", "y")
	r, ok := reportOf(m)
	if !ok {
		t.Fatalf("no report:\n%s", rendered(m))
	}
	if got := fake.PoolSIDs(from); !slices.Equal(got, before) {
		t.Fatalf("after the rolled-back moves %s has %v, had %v", from, got, before)
	}
	if len(r.failed) != 3 || len(r.retry) != 3 {
		t.Fatalf("the report has %d failures and %d to retry", len(r.failed), len(r.retry))
	}
	for _, f := range r.failed {
		if f.where != "back in Acme Notifications ("+from+")" || f.loud {
			t.Errorf("%s: where %q", f.name, f.where)
		}
	}
	flat := strings.Join(strings.Fields(rendered(m)), " ")
	if !strings.Contains(flat, "the attach failed:") || !strings.Contains(flat, "now back in Acme Notifications") {
		t.Errorf("the report does not say why and where:\n%s", rendered(m))
	}
	if !slices.Equal(markedSIDs(m), slices.Sorted(slices.Values(targets))) {
		t.Errorf("the failed ones are not all still marked: %v", markedSIDs(m))
	}
}

// TestMoveInNoServiceIsLoud: a move whose attach and rollback both fail
// leaves its sender in no service; the report says so first, loudly,
// and does not offer to retry it as a move.
func TestMoveInNoServiceIsLoud(t *testing.T) {
	fake, client := moveEnv(t, twiliotest.DemoOptions{})
	from := twiliotest.DemoServiceNotifications
	fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Times: -1}, twiliotest.AttachRoutes()...)
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = from }))
	m, _ = openMoveOf(t, m, 2)
	m = press(t, m, "enter", "y")
	r, ok := reportOf(m)
	if !ok || len(r.failed) != 2 {
		t.Fatalf("no report of 2 failures:\n%s", rendered(m))
	}
	for _, f := range r.failed {
		if !f.loud || !strings.Contains(f.where, "IN NO SERVICE") {
			t.Errorf("%s: where %q, loud %v", f.name, f.where, f.loud)
		}
	}
	if len(r.retry) != 0 {
		t.Errorf("a sender in no service is offered a retry of the move: %v", poolSIDs(r.retry))
	}
	if s := rendered(m); !strings.Contains(s, "⚠ now IN NO SERVICE") {
		t.Errorf("the report does not say it loudly:\n%s", s)
	}
}

// TestMoveOne: m without marks moves the highlighted sender alone.
func TestMoveOne(t *testing.T) {
	fake, client := moveEnv(t, twiliotest.DemoOptions{})
	from, to := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = from }))
	m = press(t, m, "g")
	sel := mustSelected(t, m)
	m = press(t, m, "m")
	if s := rendered(m); !strings.Contains(s, "Move "+sel.Address+" to which service?") {
		t.Fatalf("the picker does not name the sender:\n%s", s)
	}
	m = press(t, m, "enter")
	if s := strings.Join(strings.Fields(rendered(m)), " "); !strings.Contains(s, "Move 1 sender to Acme Marketing?") || !strings.Contains(s, sel.SID) {
		t.Fatalf("the confirmation does not name it:\n%s", rendered(m))
	}
	m = press(t, m, "y")
	if !slices.Contains(fake.PoolSIDs(to), sel.SID) || slices.Contains(fake.PoolSIDs(from), sel.SID) || listOf(m).has(sel.SID) {
		t.Fatalf("%s did not move", sel.SID)
	}
	if !strings.Contains(m.c.notice, "✓ moved "+sel.Address+" to Acme Marketing") {
		t.Fatalf("the notice %q", m.c.notice)
	}
}

// TestThrottledBatchFinishes: on an account that takes two requests at
// once, a batch of 40 meets 429s, shows that it waits, and still ends
// with all 40 detached; the notice counts the throttles.
func TestThrottledBatchFinishes(t *testing.T) {
	fake, client := demoWith(t, twiliotest.DemoOptions{Senders: 40}, api.Config{})
	svc := twiliotest.DemoServiceNotifications
	m := start(t, newTestModel(t, client, 120, 40, func(o *Options) { o.ServiceSID = svc }))
	m = pressMarks(t, m, "g")
	for range 40 {
		m = pressMarks(t, m, "space")
	}
	targets := markedSIDs(m)
	fake.SetConcurrency(twiliotest.ConcurrencyLimit{MaxInFlight: 2})
	gate := fake.Hold(twiliotest.RouteDeleteChannelSender)
	m = press(t, m, "d")
	m, cmd := step(t, m, keyPress("y"))
	seen := false
	m, cmd, _ = drive(t, m, cmd, func(m Model) bool {
		seen = strings.Contains(rendered(m), "throttled: resuming in")
		return seen
	})
	if !seen {
		t.Fatal("the batch ended without showing a throttled state")
	}
	gate.Open()
	m, _, _ = drive(t, m, cmd, nil)
	for _, sid := range targets {
		if slices.Contains(fake.PoolSIDs(svc), sid) {
			t.Fatalf("%s is still in the service", sid)
		}
	}
	if fake.Throttled() == 0 || !strings.Contains(m.c.notice, "✓ detached 40") || !strings.Contains(m.c.notice, "Twilio throttled it") {
		t.Fatalf("throttled %d times; notice %q", fake.Throttled(), m.c.notice)
	}
}

// TestQuitStopsTheBatch: q with a batch running stops it, waits for the
// requests in flight only, and the report after exit tells the batch's
// outcome.
func TestQuitStopsTheBatch(t *testing.T) {
	m, c, gate := gated(t)
	m = press(t, m, "d")
	m, cmd := step(t, m, keyPress("y"))
	m, cmd, _ = drive(t, m, cmd, inFlight(4))
	m, q := step(t, m, keyPress("q"))
	if slices.ContainsFunc(flattenShallow(q), func(msg tea.Msg) bool { _, ok := msg.(tea.QuitMsg); return ok }) {
		t.Fatal("q quit with requests in flight")
	}
	for range 4 {
		gate <- struct{}{}
	}
	m, _, quit := drive(t, m, cmd, nil)
	if !quit || len(c.senders[svcSID(1)]) != 2 {
		t.Fatalf("quit %v with %d left, want a quit after the 4 in flight", quit, len(c.senders[svcSID(1)]))
	}
	r := m.QuitReport()
	for _, want := range []string{"✓ detached 4 from Acme Notifications", "2 not started (stopped)"} {
		if !strings.Contains(r, want) {
			t.Errorf("the quit report lacks %q: %q", want, r)
		}
	}
	if strings.Contains(r, "may or may not") {
		t.Errorf("the quit report calls known outcomes unknown: %q", r)
	}
}

// TestBatchFitsSmallTerminals: with the bar, the screen fits 80×24 and
// 40×12, and the bar and the status line both show.
func TestBatchFitsSmallTerminals(t *testing.T) {
	for _, size := range []tea.WindowSizeMsg{teaSize(80, 24), teaSize(40, 12)} {
		t.Run(fmt.Sprintf("%dx%d", size.Width, size.Height), func(t *testing.T) {
			m, _, gate := gated(t)
			m = update(t, m, size)
			m = press(t, m, "d")
			m, cmd := step(t, m, keyPress("y"))
			m, cmd, _ = drive(t, m, cmd, inFlight(4))
			defer func() {
				for range 6 {
					gate <- struct{}{}
				}
				drive(t, m, cmd, nil)
			}()
			checkWidth(t, m)
			lines := strings.Split(rendered(m), "\n")
			if len(lines) > size.Height {
				t.Fatalf("%d lines in %d", len(lines), size.Height)
			}
			if bar := lines[len(lines)-3]; !strings.Contains(bar, "detaching 0/6") {
				t.Errorf("no bar above the status line: %q\n%s", bar, rendered(m))
			}
			if status := lines[len(lines)-2]; !strings.Contains(status, "marked") {
				t.Errorf("the status line is gone: %q", status)
			}
		})
	}
}

// TestReportFitsSmallTerminals: the report of many failures fits 40×12
// and scrolls.
func TestReportFitsSmallTerminals(t *testing.T) {
	c := newFakeClient()
	c.opErr = &api.Error{Status: 400, Code: 21610, Message: "refused"}
	m := pressMarks(t, openedModel(t, c), "*")
	m = update(t, m, teaSize(40, 12))
	m = press(t, m, "d", "y")
	if _, ok := reportOf(m); !ok {
		t.Fatalf("no report:\n%s", rendered(m))
	}
	checkWidth(t, m)
	if n := len(strings.Split(rendered(m), "\n")); n > 12 {
		t.Fatalf("%d lines in 12", n)
	}
	first := rendered(m)
	if !answers(&m.c, m.top(), keyPress("j")) {
		t.Fatal("a long report offers no scrolling")
	}
	if m = press(t, m, "j"); rendered(m) == first {
		t.Fatal("j did not scroll the report")
	}
}

// TestReadOnlyOffersNoMove: m is not offered read-only, and a move asked
// anyway does nothing.
func TestReadOnlyOffersNoMove(t *testing.T) {
	c := newFakeClient()
	m := openedModel(t, c, func(o *Options) { o.Identity.ReadOnly = true })
	if answers(&m.c, m.top(), keyPress("m")) {
		t.Fatal("m is offered read-only")
	}
	sel := mustSelected(t, m)
	m = update(t, m, moveOutRequest{to: sampleServices()[1], senders: []api.PoolSender{sel}})
	if len(m.c.changes) != 0 || len(c.senders[svcSID(1)]) != 6 || len(c.senders[svcSID(2)]) != 0 {
		t.Fatal("a move was made read-only")
	}
}

// TestReportOpensUnderADialog: a report that comes while help is open
// waits under it, so keys meant for help never reach it.
func TestReportOpensUnderADialog(t *testing.T) {
	m, c, gate := gated(t)
	c.mu.Lock()
	c.opErr = &api.Error{Status: 400, Code: 21610, Message: "refused"}
	c.mu.Unlock()
	m = press(t, m, "d")
	m, cmd := step(t, m, keyPress("y"))
	m, cmd, _ = drive(t, m, cmd, inFlight(4))
	m = press(t, m, "?")
	for range 6 {
		gate <- struct{}{}
	}
	m, _, _ = drive(t, m, cmd, nil)
	if !helpOpen(m) {
		t.Fatalf("the report took the top from help: %T", dialog(m))
	}
	m = press(t, m, "esc")
	if _, ok := reportOf(m); !ok {
		t.Fatalf("no report once help closed: %T", dialog(m))
	}
}
