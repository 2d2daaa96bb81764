package ui

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// The fault matrix: 18 faults × 5 operations = 90 cells, each run by
// TestFaultMatrix18x5 on an 80×24 dashboard against the demo fake, over
// real HTTP with a real api.Client. The table is faultMatrix; the
// operations are faultOp.

// faultOp is one column of the matrix: an operation of the dashboard.
type faultOp int

const (
	colList     faultOp = iota // first load of a service's senders, picked in the service picker
	colFetch                   // FetchService of a service opened by SID (--service)
	colAttach                  // POST …/ChannelSenders from the add form (typed SID)
	colDetach                  // DELETE …/ChannelSenders/XE… after the confirmation
	colServices                // the service picker's list
	numOps
)

func (o faultOp) String() string {
	return [...]string{"list", "fetch", "attach", "detach", "services"}[o]
}

// route is the fake's route the operation's request goes to.
func (o faultOp) route() twiliotest.Route {
	return [...]twiliotest.Route{
		twiliotest.RouteListChannelSenders, twiliotest.RouteFetchService,
		twiliotest.RouteCreateChannelSender, twiliotest.RouteDeleteChannelSender,
		twiliotest.RouteListServices,
	}[o]
}

// Timing of a cell: the per-request deadline that turns FaultHang into a
// timeout, and the bound of everything a cell runs.
const (
	cellRequestTimeout = 500 * time.Millisecond
	cellTimeout        = 15 * time.Second
	cellSettle         = 10 * time.Second
)

// Senders of the demo data set the cells act on.
const (
	faultService   = twiliotest.DemoServiceNotifications
	freeSenderSID  = twiliotest.DemoFreeWhatsAppUS // on the account, attached nowhere
	faultServiceNm = "Acme Notifications"
)

// outcome is what one cell must end in.
type outcome struct {
	ok       bool     // the operation succeeds in the end (after safe retries)
	requests int      // requests the operation's route receives
	atLeast  bool     // requests is a lower bound (net/http may retry a dropped GET itself)
	applied  bool     // attach/detach changed the server, whatever the reply said
	real     bool     // not injected: the real condition (unknown sender, sender elsewhere, gone)
	screen   []string // overrides the row's screen text for this cell
}

func fail(n int) outcome          { return outcome{requests: n} }
func failMin(n int) outcome       { return outcome{requests: n, atLeast: true} }
func failApplied(n int) outcome   { return outcome{requests: n, applied: true} }
func pass(n int) outcome          { return outcome{ok: true, requests: n, applied: true} }
func passUnapplied(n int) outcome { return outcome{ok: true, requests: n} }

func (o outcome) realCase(screen ...string) outcome {
	o.real, o.screen = true, screen
	return o
}

func (o outcome) showing(screen ...string) outcome {
	o.screen = screen
	return o
}

// faultRow is one row of the matrix: a fault of twiliotest.FaultCases and
// its outcome per operation.
type faultRow struct {
	twiliotest.FaultCase
	screen []string        // shown when an operation fails (case-insensitive)
	cells  [numOps]outcome // list, fetch, attach, detach, services
}

// faultMatrix is the table: the 18 shared fault cases × 5 columns (list,
// fetch, attach, detach, services) = 90 cells. What a cell ends in for
// this dashboard (its retries, its timeout's wording) is here; the fault
// and the words of its error are the shared case's.
func faultMatrix(t *testing.T) []faultRow {
	f1, f4 := fail(1), fail(4)
	same := func(o outcome) [numOps]outcome { return [numOps]outcome{o, o, o, o, o} }
	cells := map[string][numOps]outcome{
		"401 wrong secret":        same(f1),
		"403 forbidden":           same(f1),
		"404 gone":                {f1, f1, f1.realCase(), pass(1).realCase("already detached"), f1},
		"400 with a Twilio code":  same(f1),
		"409 duplicate":           {f1, f1, f1.realCase(), f1, f1},
		"429 with Retry-After":    same(f1), // 1 s: longer than the client's 5 ms cap, so not waited
		"429 without Retry-After": same(f4),
		"500":                     same(f1),
		"503":                     same(f4),
		"503 once then fine":      same(pass(2)),
		// attach: the banner must keep "it may have taken effect", the
		// part that tells the user to look before trying again.
		"slow reply past the timeout":    {f4, f4, f1.showing("timeout", "may have taken effect"), f4, f4},
		"connection dropped":             {failMin(4), failMin(4), f1, failMin(4), failMin(4)},
		"connection dropped mid-body":    {f4, f4, failApplied(1), pass(1), f4},
		"malformed JSON":                 {f1, f1, failApplied(1), pass(1), f1},
		"HTML page from a proxy":         same(f1),
		"HTML 200 from a captive portal": same(f1),
		// DELETE's success has no body: an empty 200 cannot be told from it.
		"empty 200 body": {f1, f1, f1, passUnapplied(1), f1},
		// Not a list: the fault has nothing to change.
		"next_page_url on another host": {f1, pass(1), pass(1), pass(1), f1},
	}
	var rows []faultRow
	for _, c := range twiliotest.FaultCases() {
		cs, ok := cells[c.Name]
		if !ok {
			t.Fatalf("fault case %q has no row in the dashboard's matrix", c.Name)
		}
		row := faultRow{FaultCase: c, screen: c.Words, cells: cs}
		if c.Fault.Kind == twiliotest.FaultHang {
			row.screen = []string{"timeout"} // the per-request timeout's words
		}
		attach := &row.cells[colAttach]
		switch {
		case attach.real:
			attach.screen = append(c.RealAttachWords, twiliotest.TwilioWords("", c.Fault.Code)[2])
		case attach.screen == nil && c.AttachWords != nil:
			attach.screen = c.AttachWords
		}
		rows = append(rows, row)
		delete(cells, c.Name)
	}
	for name := range cells {
		t.Errorf("the dashboard's matrix has a row %q that no fault case has", name)
	}
	return rows
}

func TestFaultMatrix18x5(t *testing.T) {
	rows := faultMatrix(t)
	if got := len(rows) * int(numOps); got != 90 {
		t.Fatalf("the matrix has %d cells; update the count in the name and comments", got)
	}
	t.Logf("fault matrix: %d faults × %d operations = %d cells", len(rows), numOps, len(rows)*int(numOps))
	for _, row := range rows {
		for op := range numOps {
			t.Run(row.Name+"/"+op.String(), func(t *testing.T) {
				t.Parallel()
				runFaultCell(t, row, op, row.cells[op])
			})
		}
	}
}

// runFaultCell runs one cell: set up, inject, act (probing the keyboard
// while the request is in flight), check the outcome, clear the fault,
// press r and check that the screen equals the server.
func runFaultCell(t *testing.T, row faultRow, op faultOp, want outcome) {
	fake, l := newFaultCell(t, op)
	route := op.route()
	inject := func() {
		if !want.real {
			fake.AddFault(route, row.Fault)
		}
	}
	var target string // the sender attached or detached
	base := 0         // requests on route before the operation (the index's)
	switch op {
	case colServices:
		inject()
		l.send(startMsg{})
		l.probe(false)
		l.settle()
	case colFetch:
		inject()
		l.send(startMsg{})
		l.probe(false)
		l.settle()
	case colList:
		l.send(startMsg{})
		l.settle()
		base = fake.Requests(route)
		inject()
		l.press("enter")
		l.probe(false)
		l.settle()
	case colAttach:
		l.openService()
		target = freeSenderSID
		if want.real {
			target = row.RealAttach
		}
		inject()
		l.press("a")
		l.settle()
		l.typeText(target)
		l.press("enter")
		l.probe(true)
		l.settle()
	case colDetach:
		l.openService()
		sel, ok := selectedSender(l.m)
		if !ok {
			t.Fatal("no sender selected")
		}
		target = sel.SID
		if want.real {
			if err := fake.Detach(faultService, target); err != nil {
				t.Fatal(err)
			}
		}
		inject()
		l.press("d", "y")
		l.probe(true)
		l.settle()
	}

	// Retries only where safe: count what reached the server.
	got := fake.Requests(route) - base
	if got != want.requests && !(want.atLeast && got >= want.requests) {
		t.Errorf("%s: %d requests reached the server, want %d (at least: %v)", route, got, want.requests, want.atLeast)
	}

	screen := want.screen
	if screen == nil && !want.ok {
		screen = row.screen
	}
	checkScreen(t, l.m, screen)
	checkOutcome(t, l, fake, op, want, target)

	// The fault clears; r brings back exactly the server's state.
	l.clearAndRefresh(fake, op)
	if op == colFetch && !strings.Contains(l.m.header(&l.m.c), faultServiceNm) {
		t.Errorf("after the fault cleared and r, the header lacks the service's name %q", faultServiceNm)
	}
	checkScreen(t, l.m, nil)
}

// checkOutcome checks what the screen and the server say after the
// operation: an error where it failed, nothing shown as done that was not.
func checkOutcome(t *testing.T, l *loop, fake *twiliotest.Fake, op faultOp, want outcome, target string) {
	t.Helper()
	s := rendered(l.m)
	switch op {
	case colServices:
		if want.ok {
			if got, srv := pickerSIDs(l.m), fake.ServiceSIDs(); !slices.Equal(got, srv) {
				t.Errorf("the picker shows %v, the server has %v", got, srv)
			}
		} else {
			// Pages that arrived before the failure may stay, under the error.
			checkSubset(t, "picker", pickerSIDs(l.m), fake.ServiceSIDs())
			if len(servicesOf(l.m).picker.services) == 0 && !strings.Contains(s, "Could not load the Messaging Services") {
				t.Errorf("a failed load is not shown as failed:\n%s", s)
			}
		}
	case colList:
		if want.ok {
			if got, srv := listedSIDs(l.m), fake.PoolSIDs(faultService); !slices.Equal(got, srv) {
				t.Errorf("the list shows %v, the server has %v", got, srv)
			}
		} else {
			checkSubset(t, "list", listedSIDs(l.m), fake.PoolSIDs(faultService))
			if listOf(l.m).rowCount() == 0 && !strings.Contains(s, "Could not load the senders") {
				t.Errorf("a failed load is not shown as failed:\n%s", s)
			}
		}
	case colFetch:
		// The list is another request: it loads whatever the fetch does.
		if got, srv := listedSIDs(l.m), fake.PoolSIDs(faultService); !slices.Equal(got, srv) {
			t.Errorf("the list shows %v, the server has %v", got, srv)
		}
		hasName := strings.Contains(l.m.header(&l.m.c), faultServiceNm)
		if want.ok && !hasName {
			t.Errorf("the header lacks the service's name after a successful fetch: %q", ansi.Strip(l.m.header(&l.m.c)))
		}
		if !want.ok && hasName {
			t.Errorf("the header shows a name although the fetch failed")
		}
	case colAttach:
		onServer := slices.Contains(fake.PoolSIDs(faultService), target)
		listed := slices.Contains(listedSIDs(l.m), target)
		if want.ok {
			if !onServer || !listed || !strings.Contains(s, "✓ attached") {
				t.Errorf("attach should have succeeded: on server %v, listed %v:\n%s", onServer, listed, s)
			}
			return
		}
		if onServer != want.applied {
			t.Errorf("after the failed attach the server has the sender: %v, want %v", onServer, want.applied)
		}
		if listed {
			t.Errorf("a failed attach is listed as attached:\n%s", s)
		}
		if strings.Contains(s, "✓ attached") {
			t.Errorf("a failed attach shows a success mark:\n%s", s)
		}
		if !isForm(l.m) || form(l.m).input.Value() != target {
			t.Errorf("the form did not come back with the typed SID (dialog %T, field %q)", dialog(l.m), form(l.m).input.Value())
		}
	case colDetach:
		onServer := slices.Contains(fake.PoolSIDs(faultService), target)
		listed := slices.Contains(listedSIDs(l.m), target)
		if want.ok {
			if onServer == want.applied {
				t.Errorf("after the detach the server has the sender: %v (applied %v)", onServer, want.applied)
			}
			// A detach that succeeds refetches the list: it ends equal to the server.
			if listed != onServer {
				t.Errorf("after the detach the list shows the sender: %v, the server: %v", listed, onServer)
			}
			return
		}
		if !onServer {
			t.Errorf("the failed detach removed the sender on the server")
		}
		if !listed {
			t.Errorf("a failed detach removed the sender from the list:\n%s", s)
		}
		if strings.Contains(s, "✓ detached") || strings.Contains(s, "already detached") {
			t.Errorf("a failed detach shows a success mark:\n%s", s)
		}
	}
}

// checkSubset fails when shown holds a SID the server does not have.
func checkSubset(t *testing.T, what string, shown, server []string) {
	t.Helper()
	for _, sid := range shown {
		if !slices.Contains(server, sid) {
			t.Errorf("the %s shows %s, which the server does not have", what, sid)
		}
	}
}

// checkScreen checks that every line fits, that the screen shows want
// (case-insensitive) and nothing a user should never see.
func checkScreen(t *testing.T, m Model, want []string) {
	t.Helper()
	checkWidth(t, m)
	s := rendered(m)
	low := flatScreen(m)
	for _, w := range want {
		if !strings.Contains(low, strings.ToLower(w)) {
			t.Errorf("the screen lacks %q:\n%s", w, s)
		}
	}
	for _, bad := range []string{"&{", "{Status:", "%!", "(*api.", "0xc0", "goroutine ", "panic", "<html", "<title", twiliotest.DemoAuthToken} {
		if strings.Contains(s, bad) {
			t.Errorf("the screen shows %q:\n%s", bad, s)
		}
	}
}

// screenShows reports whether the screen shows every string of want.
func screenShows(m Model, want []string) bool {
	low := flatScreen(m)
	for _, w := range want {
		if !strings.Contains(low, strings.ToLower(w)) {
			return false
		}
	}
	return true
}

// flatScreen is the screen in lower case with every run of white space,
// line breaks included, made one space: text wrapped over lines matches.
func flatScreen(m Model) string {
	return strings.ToLower(strings.Join(strings.Fields(rendered(m)), " "))
}

func pickerSIDs(m Model) []string {
	out := make([]string, 0, len(servicesOf(m).picker.services))
	for _, s := range servicesOf(m).picker.services {
		out = append(out, s.SID)
	}
	slices.Sort(out)
	return out
}

// newFaultCell serves a fresh demo fake and builds a dashboard on it with
// a real client: fast retries, a short per-request deadline.
func newFaultCell(t *testing.T, op faultOp) (*twiliotest.Fake, *loop) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	fake, client := demoClient(t, api.Config{
		HTTPClient: &http.Client{Transport: tr, Timeout: cellRequestTimeout},
		Retry:      api.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
	})
	ctx, cancel := context.WithTimeout(t.Context(), cellTimeout)
	t.Cleanup(cancel)
	m := newTestModel(t, client, 80, 24, func(o *Options) {
		o.Context = ctx
		if op == colFetch {
			o.ServiceSID = faultService
		}
	})
	return fake, newLoop(t, m)
}

// loop is a small Bubble Tea runtime for tests: commands run in their own
// goroutines, as in the real program, so a test can press keys while a
// request is in flight; their messages are fed back by settle.
type loop struct {
	t       *testing.T
	m       Model
	msgs    chan tea.Msg
	done    chan struct{}
	pending int
}

func newLoop(t *testing.T, m Model) *loop {
	l := &loop{t: t, m: m, msgs: make(chan tea.Msg), done: make(chan struct{})}
	t.Cleanup(func() { close(l.done) })
	return l
}

// send feeds one message to Update and starts the command it returns.
// Update must return at once, whatever is in flight.
func (l *loop) send(msg tea.Msg) {
	l.t.Helper()
	start := time.Now()
	next, cmd := l.m.Update(msg)
	if d := time.Since(start); d > time.Second {
		l.t.Errorf("Update(%T) took %v: the UI froze", msg, d)
	}
	l.m = next.(Model)
	l.spawn(cmd)
}

func (l *loop) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	l.pending++
	go func() {
		msg := cmd()
		select {
		case l.msgs <- msg:
		case <-l.done:
		}
	}()
}

// settle feeds back messages until no command is left running; a command
// that never ends (a request without a deadline) fails the test.
func (l *loop) settle() {
	l.t.Helper()
	deadline := time.NewTimer(cellSettle)
	defer deadline.Stop()
	for l.pending > 0 {
		select {
		case msg := <-l.msgs:
			l.pending--
			l.handle(msg)
		case <-deadline.C:
			l.t.Fatalf("%d commands still running after %v: the screen would spin forever:\n%s", l.pending, cellSettle, rendered(l.m))
		}
	}
}

func (l *loop) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
		return // ticks only animate
	case tea.BatchMsg:
		for _, c := range msg {
			l.spawn(c)
		}
		return
	}
	l.send(msg)
}

func (l *loop) press(keys ...string) {
	l.t.Helper()
	for _, k := range keys {
		l.send(keyPress(k))
	}
}

func (l *loop) typeText(s string) {
	l.t.Helper()
	for _, r := range s {
		l.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// openService loads the picker and opens the first service.
func (l *loop) openService() {
	l.t.Helper()
	l.send(startMsg{})
	l.settle()
	l.press("enter")
	l.settle()
	if shownService(l.m).SID != faultService || listOf(l.m).rowCount() == 0 {
		l.t.Fatalf("did not open %s:\n%s", faultService, rendered(l.m))
	}
}

// clearAndRefresh clears the faults, dismisses what the failure left open and
// presses r: no error may remain, and the screen shows exactly what the
// server has.
func (l *loop) clearAndRefresh(fake *twiliotest.Fake, op faultOp) {
	l.t.Helper()
	fake.ClearFaults()
	if isForm(l.m) {
		l.press("esc")
	}
	if sendersOf(l.m).alert != nil {
		l.press("esc")
	}
	l.press("r")
	l.settle()
	if s := rendered(l.m); strings.Contains(s, "✗") {
		l.t.Errorf("an error is still shown after the fault cleared and r:\n%s", s)
	}
	if op == colServices {
		if got, want := pickerSIDs(l.m), fake.ServiceSIDs(); !slices.Equal(got, want) {
			l.t.Errorf("after r the picker shows %v, the server has %v", got, want)
		}
		l.checkCursorMoves(func(m Model) int { return servicesOf(m).picker.cursor })
		return
	}
	if got, want := listedSIDs(l.m), fake.PoolSIDs(faultService); !slices.Equal(got, want) {
		l.t.Errorf("after r the list shows %v, the server has %v", got, want)
	}
	l.checkCursorMoves(func(m Model) int { return listOf(m).cursor })
}

// probe presses keys while the operation's request is still in flight:
// help opens and closes, and (with a list) the cursor moves and back.
func (l *loop) probe(moveCursor bool) {
	l.t.Helper()
	if l.pending == 0 {
		l.t.Fatal("probe: nothing in flight")
	}
	l.press("?")
	if !helpOpen(l.m) || !strings.Contains(rendered(l.m), "Keys") {
		l.t.Errorf("? did not open the help while a request was in flight:\n%s", rendered(l.m))
	}
	l.press("?")
	if helpOpen(l.m) {
		l.t.Error("? did not close the help")
	}
	if moveCursor {
		l.checkCursorMoves(func(m Model) int { return listOf(m).cursor })
	}
}

// checkCursorMoves presses j (or k at the end) and back, and checks that
// the cursor moved and returned.
func (l *loop) checkCursorMoves(cursor func(Model) int) {
	l.t.Helper()
	before := cursor(l.m)
	there, back := "j", "k"
	l.press(there)
	if cursor(l.m) == before {
		there, back = "k", "j"
		l.press(there)
	}
	if cursor(l.m) == before {
		l.t.Errorf("neither j nor k moved the cursor:\n%s", rendered(l.m))
		return
	}
	l.press(back)
	if cursor(l.m) != before {
		l.t.Errorf("%s then %s left the cursor at %d, was %d", there, back, cursor(l.m), before)
	}
}

// TestFetchServiceFailureIsShown: a service opened by SID (--service)
// whose FetchService fails must say so, not just show the bare SID.
func TestFetchServiceFailureIsShown(t *testing.T) {
	fake, l := newFaultCell(t, colFetch)
	forbidden := faultCase(t, "403 forbidden")
	fake.AddFault(twiliotest.RouteFetchService, forbidden.Fault)
	l.send(startMsg{})
	l.settle()
	if fake.Requests(twiliotest.RouteFetchService) != 1 {
		t.Fatalf("%d fetches, want 1", fake.Requests(twiliotest.RouteFetchService))
	}
	checkScreen(t, l.m, forbidden.Words)
}

// TestRefreshRefetchesFailedService: once the fault clears, r must bring
// back the whole screen, the service's name included.
func TestRefreshRefetchesFailedService(t *testing.T) {
	fake, l := newFaultCell(t, colFetch)
	fake.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 503, Times: -1})
	l.send(startMsg{})
	l.settle()
	fake.ClearFaults()
	l.press("r")
	l.settle()
	if h := ansi.Strip(l.m.header(&l.m.c)); !strings.Contains(h, faultServiceNm) {
		t.Errorf("after the fault cleared and r, the header still lacks %q: %q (FetchService requests: %d)",
			faultServiceNm, h, fake.Requests(twiliotest.RouteFetchService))
	}
}

// TestTimeoutBoundsEveryRequest: with --timeout, a server that never
// answers (no per-connection deadline below it) ends each operation in an
// error that names the limit, and r brings the true state back.
func TestTimeoutBoundsEveryRequest(t *testing.T) {
	for _, op := range []faultOp{colServices, colList, colAttach, colDetach} {
		t.Run(op.String(), func(t *testing.T) {
			t.Parallel()
			fake, client := demoClient(t, api.Config{Retry: api.RetryPolicy{MaxAttempts: 1}})
			m := newTestModel(t, client, 80, 24, func(o *Options) { o.Timeout = 300 * time.Millisecond })
			l := newLoop(t, m)
			hang := twiliotest.Fault{Kind: twiliotest.FaultHang, Times: -1}
			switch op {
			case colServices:
				fake.AddFault(op.route(), hang)
				l.send(startMsg{})
			case colList:
				l.send(startMsg{})
				l.settle()
				fake.AddFault(op.route(), hang)
				l.press("enter")
			case colAttach:
				l.openService()
				fake.AddFault(op.route(), hang)
				l.press("a")
				l.settle()
				l.typeText(freeSenderSID)
				l.press("enter")
			case colDetach:
				l.openService()
				fake.AddFault(op.route(), hang)
				l.press("d", "y")
			}
			l.settle()
			checkScreen(t, l.m, []string{"gave up after --timeout 300ms"})
			l.clearAndRefresh(fake, op)
		})
	}
}

// faultCase is the shared fault case of that name.
func faultCase(t *testing.T, name string) twiliotest.FaultCase {
	t.Helper()
	for _, c := range twiliotest.FaultCases() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no fault case %q", name)
	return twiliotest.FaultCase{}
}
