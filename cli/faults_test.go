package cli

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api/twiliotest"
)

// The subcommands' fault matrix: 18 faults × 4 subcommands (services,
// list, attach, detach --yes) = 72 cells, run by TestCLIFaultMatrix18x4
// against the demo fake over real HTTP. The client is the one the program
// builds (default retry policy: 4 attempts, backoff from 500 ms), so the
// cells run all at once; the slowest waits 3 s of Retry-After.

// cliOp is one column: a subcommand.
type cliOp int

const (
	cliServices cliOp = iota
	cliList
	cliAttach
	cliDetach
	numCLIOps
)

func (o cliOp) String() string { return [...]string{"services", "list", "attach", "detach"}[o] }

func (o cliOp) route() twiliotest.Route {
	return [...]twiliotest.Route{
		twiliotest.RouteListServices, twiliotest.RouteListChannelSenders,
		twiliotest.RouteCreateChannelSender, twiliotest.RouteDeleteChannelSender,
	}[o]
}

// Senders of the demo data set the cells act on.
const (
	cliService  = twiliotest.DemoServiceNotifications
	cliFree     = twiliotest.DemoFreeWhatsAppUS   // attached nowhere
	cliAttached = twiliotest.DemoSenderWhatsAppUS // attached to cliService
)

// cliOutcome is what one cell must end in.
type cliOutcome struct {
	ok         bool          // exit 0
	requests   int           // requests the subcommand's route receives
	atLeast    bool          // requests is a lower bound
	applied    bool          // attach/detach changed the server (for a failed detach: the sender is gone)
	real       bool          // not injected: the real condition
	stderr     []string      // overrides the row's stderr text
	minElapsed time.Duration // a Retry-After that must have been waited
}

func cliFail(n int) cliOutcome        { return cliOutcome{requests: n} }
func cliFailMin(n int) cliOutcome     { return cliOutcome{requests: n, atLeast: true} }
func cliFailApplied(n int) cliOutcome { return cliOutcome{requests: n, applied: true} }
func cliPass(n int) cliOutcome        { return cliOutcome{ok: true, requests: n, applied: true} }

func (o cliOutcome) realCase(stderr ...string) cliOutcome {
	o.real, o.stderr = true, stderr
	return o
}

func (o cliOutcome) saying(stderr ...string) cliOutcome {
	o.stderr = stderr
	return o
}

// cliFaultRow is one row: a fault of twiliotest.FaultCases and its
// outcome per subcommand.
type cliFaultRow struct {
	twiliotest.FaultCase
	wrongSecret bool   // no fault: the real 401 of a wrong auth token
	timeout     string // --timeout; default 20s
	stderr      []string
	cells       [numCLIOps]cliOutcome // services, list, attach, detach
}

// cliFaultMatrix is the table: the 18 shared fault cases × 4 columns = 72
// cells. What a cell ends in for the subcommands (their retries, the
// --timeout's words, "Twilio error N") is here; the fault and the words
// of its error are the shared case's.
func cliFaultMatrix(t *testing.T) []cliFaultRow {
	f1, f4 := cliFail(1), cliFail(4)
	same := func(o cliOutcome) [numCLIOps]cliOutcome { return [numCLIOps]cliOutcome{o, o, o, o} }
	// Retry-After: 1 is within the default 8 s cap: waited before each retry.
	waited := cliOutcome{requests: 4, minElapsed: 3 * time.Second}
	cells := map[string][numCLIOps]cliOutcome{
		"401 wrong secret":        same(f1),
		"403 forbidden":           same(f1),
		"404 gone":                {f1, f1, f1.realCase(), cliFailApplied(1).realCase("was not found", "Twilio error 20404")},
		"400 with a Twilio code":  same(f1),
		"409 duplicate":           {f1, f1, f1.realCase(), f1},
		"429 with Retry-After":    same(waited),
		"429 without Retry-After": same(f4),
		"500":                     same(f1),
		"503":                     same(f4),
		"503 once then fine":      same(cliPass(2)),
		// --timeout ends the call, retries included: one request each.
		// (TestCLIListHungServerTimesOut asks for a message that says "timeout".)
		"slow reply past the timeout":    same(f1),
		"connection dropped":             {cliFailMin(4), cliFailMin(4), f1, cliFailMin(4)},
		"connection dropped mid-body":    {f4, f4, cliFailApplied(1), cliPass(1)},
		"malformed JSON":                 {f1, f1, cliFailApplied(1), cliPass(1)},
		"HTML page from a proxy":         same(f1),
		"HTML 200 from a captive portal": same(f1), // a portal's 200 page is not the API's word that it acted
		// DELETE's success has no body: an empty 200 cannot be told from it.
		"empty 200 body":                {f1, f1, f1, {ok: true, requests: 1}},
		"next_page_url on another host": {f1, f1, cliPass(1), cliPass(1)},
	}
	var rows []cliFaultRow
	for _, c := range twiliotest.FaultCases() {
		cs, ok := cells[c.Name]
		if !ok {
			t.Fatalf("fault case %q has no row in the subcommands' matrix", c.Name)
		}
		row := cliFaultRow{FaultCase: c, stderr: c.Words, cells: cs}
		if c.Fault.Kind == twiliotest.FaultStatus {
			// The subcommands name Twilio's code in words of their own.
			row.stderr = append(slices.Clone(c.Words), fmt.Sprintf("Twilio error %d", c.Fault.Code))
		}
		switch {
		case c.Fault.Status == http.StatusUnauthorized:
			row.wrongSecret = true // the real 401 of a wrong auth token, not an injected one
		case c.Fault.Kind == twiliotest.FaultHang:
			row.timeout, row.stderr = "1s", []string{"deadline exceeded"}
		}
		attach := &row.cells[cliAttach]
		switch {
		case attach.real:
			attach.stderr = append(slices.Clone(c.RealAttachWords), fmt.Sprintf("Twilio error %d", c.Fault.Code))
		case attach.stderr == nil && c.AttachWords != nil:
			attach.stderr = c.AttachWords
		}
		rows = append(rows, row)
		delete(cells, c.Name)
	}
	for name := range cells {
		t.Errorf("the subcommands' matrix has a row %q that no fault case has", name)
	}
	return rows
}

func TestCLIFaultMatrix18x4(t *testing.T) {
	rows := cliFaultMatrix(t)
	if got := len(rows) * int(numCLIOps); got != 72 {
		t.Fatalf("the matrix has %d cells; update the count in the name and comments", got)
	}
	t.Logf("CLI fault matrix: %d faults × %d subcommands = %d cells", len(rows), numCLIOps, len(rows)*int(numCLIOps))
	// The cells mostly wait (backoff, Retry-After, --timeout): run them all
	// at once, whatever -parallel is, then check each in its own subtest.
	results := make([][numCLIOps]cliResult, len(rows))
	var wg sync.WaitGroup
	for i, row := range rows {
		for op := range numCLIOps {
			wg.Go(func() { results[i][op] = execCLICell(t, row, op, row.cells[op]) })
		}
	}
	wg.Wait()
	for i, row := range rows {
		for op := range numCLIOps {
			t.Run(row.Name+"/"+op.String(), func(t *testing.T) {
				checkCLICell(t, row, op, row.cells[op], results[i][op])
			})
		}
	}
}

// cliResult is what one run of a cell produced.
type cliResult struct {
	err            error // the cell could not be set up
	args           []string
	code           int
	stdout, stderr string
	elapsed        time.Duration
	requests       int // on the subcommand's route
	target         string
	onServer       bool // target attached to cliService afterwards
}

// execCLICell sets up a cell, injects its fault and runs the subcommand.
// It runs on its own goroutine: it reports problems in the result.
func execCLICell(t *testing.T, row cliFaultRow, op cliOp, want cliOutcome) (r cliResult) {
	fake, env, err := cliFake(t)
	if err != nil {
		return cliResult{err: err}
	}
	if row.wrongSecret {
		env["TWILIO_AUTH_TOKEN"] = "wrong-" + twiliotest.DemoAuthToken
	}
	timeout := row.timeout
	if timeout == "" {
		timeout = "20s"
	}
	r.target = map[cliOp]string{cliAttach: cliFree, cliDetach: cliAttached}[op]
	if want.real {
		switch {
		case op == cliAttach:
			r.target = row.RealAttach
		case op == cliDetach:
			if err := fake.Detach(cliService, r.target); err != nil {
				return cliResult{err: err}
			}
		}
	} else if !row.wrongSecret {
		fake.AddFault(op.route(), row.Fault)
	}
	r.args = map[cliOp][]string{
		cliServices: {"services"},
		cliList:     {"list", "--service", cliService},
		cliAttach:   {"attach", "--service", cliService, r.target},
		cliDetach:   {"detach", "--service", cliService, r.target, "--yes"},
	}[op]
	r.args = append(r.args, "--timeout", timeout)
	start := time.Now()
	r.code, r.stdout, r.stderr = runCLI(t, env, r.args...)
	r.elapsed = time.Since(start)
	r.requests = fake.Requests(op.route())
	r.onServer = slices.Contains(fake.AttachedSIDs(cliService), r.target)
	return r
}

// checkCLICell checks a cell's run: exit code, one clear line on stderr,
// retries only where safe, nothing reported as done that was not.
func checkCLICell(t *testing.T, row cliFaultRow, op cliOp, want cliOutcome, r cliResult) {
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Logf("senderpool %s: exit %d in %v", strings.Join(r.args, " "), r.code, r.elapsed.Round(time.Millisecond))
	if r.requests != want.requests && !(want.atLeast && r.requests >= want.requests) {
		t.Errorf("%s: %d requests reached the server, want %d (at least: %v)", op.route(), r.requests, want.requests, want.atLeast)
	}
	if r.elapsed < want.minElapsed {
		t.Errorf("took %v: Retry-After was not waited (want at least %v)", r.elapsed, want.minElapsed)
	}
	for _, bad := range []string{"&{", "{Status:", "%!", "(*api.", "0xc0", "goroutine ", "panic", "<html", "<title", twiliotest.DemoAuthToken} {
		if strings.Contains(r.stdout+r.stderr, bad) {
			t.Errorf("the output shows %q:\nstdout %q\nstderr %q", bad, r.stdout, r.stderr)
		}
	}
	if want.ok {
		if r.code != exitOK || r.stdout == "" {
			t.Errorf("exit %d, want %d, stdout %q, stderr %q", r.code, exitOK, r.stdout, r.stderr)
		}
	} else {
		if r.code != exitAPI {
			t.Errorf("exit %d, want %d (stdout %q, stderr %q)", r.code, exitAPI, r.stdout, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("a failed %s printed to stdout: %q", op, r.stdout)
		}
		line := strings.TrimSuffix(r.stderr, "\n")
		if !strings.HasPrefix(line, "senderpool: ") || strings.Contains(line, "\n") {
			t.Errorf("stderr is not one line starting with \"senderpool: \": %q", r.stderr)
		}
		texts := want.stderr
		if texts == nil {
			texts = row.stderr
		}
		for _, w := range texts {
			if !strings.Contains(strings.ToLower(line), strings.ToLower(w)) {
				t.Errorf("stderr lacks %q: %q", w, r.stderr)
			}
		}
	}
	switch op {
	case cliAttach:
		if r.onServer != want.applied {
			t.Errorf("after attach (exit %d) the server has %s: %v, want %v", r.code, r.target, r.onServer, want.applied)
		}
	case cliDetach:
		if r.onServer == want.applied {
			t.Errorf("after detach (exit %d) the server has %s: %v, want %v", r.code, r.target, r.onServer, !want.applied)
		}
	}
}

// cliFake serves a fresh demo fake and returns the environment that points
// the program at it with the demo account's auth token.
func cliFake(t *testing.T) (*twiliotest.Fake, map[string]string, error) {
	fake := twiliotest.Demo(twiliotest.DemoOptions{})
	srv, err := twiliotest.Start(fake)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(srv.Close)
	return fake, map[string]string{
		"TWILIO_ACCOUNT_SID": twiliotest.DemoAccountSID,
		"TWILIO_AUTH_TOKEN":  twiliotest.DemoAuthToken,
		"SENDERPOOL_API_URL": srv.URL,
	}, nil
}

// TestCLIListHungServerTimesOut: a server that never answers makes
// `list --timeout 2s` give up in about 2 s, saying that it timed out.
func TestCLIListHungServerTimesOut(t *testing.T) {
	t.Parallel()
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultHang, Times: -1})
	start := time.Now()
	code, stdout, stderr := runCLI(t, env, "list", "--service", cliService, "--timeout", "2s")
	elapsed := time.Since(start)
	if elapsed > 10*time.Second || elapsed < 2*time.Second {
		t.Errorf("gave up after %v, want about 2s", elapsed)
	}
	if code != exitAPI || stdout != "" {
		t.Errorf("exit %d, want %d; stdout %q", code, exitAPI, stdout)
	}
	low := strings.ToLower(stderr)
	if !strings.Contains(low, "timeout") && !strings.Contains(low, "timed out") {
		t.Errorf("the message does not say it timed out (or name --timeout): %q", stderr)
	}
}

// TestCLITimeoutDefaultIsBounded: without --timeout a subcommand is still
// bounded, by at most a minute.
func TestCLITimeoutDefaultIsBounded(t *testing.T) {
	g, err := parseFlags(t, "list", "--service", cliService)
	if err != nil {
		t.Fatal(err)
	}
	if g.timeout <= 0 || g.timeout > 60*time.Second {
		t.Errorf("default --timeout is %v, want in (0, 60s]", g.timeout)
	}
	if g, err := parseFlags(t, "list", "--timeout", "2s"); err != nil || g.timeout != 2*time.Second {
		t.Errorf("--timeout 2s: %v, %v", g.timeout, err)
	}
	for _, bad := range []string{"0", "-1s", "soon"} {
		if _, err := parseFlags(t, "list", "--timeout", bad); err == nil {
			t.Errorf("--timeout %s accepted", bad)
		}
	}
}

// parseFlags runs the command line with every command's work replaced by
// nothing, and returns what the global flags parsed to.
func parseFlags(t *testing.T, args ...string) (globalFlags, error) {
	t.Helper()
	a := testApp(System{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard})
	root := newCmdRoot(a, nil)
	var idle func(c *cobra.Command)
	idle = func(c *cobra.Command) {
		if c.RunE != nil {
			c.RunE = func(*cobra.Command, []string) error { return nil }
		}
		for _, sub := range c.Commands() {
			idle(sub)
		}
	}
	idle(root)
	root.SetArgs(args)
	_, err := root.ExecuteContextC(t.Context())
	return a.global, err
}

// TestCLITablesDoNotPrintEscapeSequences: text from the API (a sender id,
// a service's friendly name) may hold terminal escape sequences, which
// could retitle the terminal, clear it or fake output: the tables of
// `services` and `list` print them inert (the text package), as the
// dashboard does.
func TestCLITablesDoNotPrintEscapeSequences(t *testing.T) {
	t.Parallel()
	const hostile = "\x1b]0;pwned\x07\x1b[2J\r"
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	sid := "XE" + strings.Repeat("e", 32)
	fake.AddSender(twiliotest.SenderSeed{SID: sid, Sender: "whatsapp:+1415" + hostile, SenderType: "WhatsApp" + hostile, Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err := fake.Attach(twiliotest.DemoServiceSandbox, sid); err != nil {
		t.Fatal(err)
	}
	fake.AddService(twiliotest.ServiceSeed{SID: "MG" + strings.Repeat("e", 32), FriendlyName: "Evil" + hostile})
	for _, args := range [][]string{{"services"}, {"list", "--service", twiliotest.DemoServiceSandbox}} {
		code, stdout, stderr := runCLI(t, env, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if i := strings.IndexFunc(stdout, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
			t.Errorf("%v prints control characters from the API: %q", args, stdout)
		}
	}
}

// TestCLIListStatus: `list --status` adds each sender's status from the
// Senders API (asked beside the list, never without --status); a refusal
// there fails the command with that API's error.
func TestCLIListStatus(t *testing.T) {
	t.Parallel()
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, env, "list", "--service", cliService)
	if code != exitOK || strings.Contains(stdout, "STATUS") || fake.Requests(twiliotest.RouteListAccountSenders) != 0 {
		t.Fatalf("plain list: exit %d, %d status requests, stdout %q, stderr %q", code, fake.Requests(twiliotest.RouteListAccountSenders), stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, env, "list", "--service", cliService, "--status")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for sender, status := range map[string]string{"whatsapp:+4915112345678": "OFFLINE", "whatsapp:+14155550100": "ONLINE", "rcs:acme_alerts_agent": "ONLINE:UPDATING", "messenger:104794531907950": "-"} {
		if !tableRowEndsWith(stdout, sender, status) {
			t.Errorf("the row of %s does not end with %s:\n%s", sender, status, stdout)
		}
	}
	fake.AddFault(twiliotest.RouteListAccountSenders, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 403, Code: 20403, Message: "Permission denied", Times: -1})
	code, stdout, stderr = runCLI(t, env, "list", "--service", cliService, "--status")
	if code != exitAPI || stdout != "" || !strings.Contains(stderr, "--status") || !strings.Contains(stderr, "20403") {
		t.Errorf("refused status: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	fake.ClearFaults()
	fake.AddFault(twiliotest.RouteListChannelSenders, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 404, Code: 20404, Message: "The requested resource was not found", Times: -1})
	code, _, stderr = runCLI(t, env, "list", "--service", cliService, "--status")
	if code != exitAPI || !strings.Contains(stderr, "20404") || strings.Contains(stderr, "--status") {
		t.Errorf("a failed list with --status: exit %d, stderr %q; want the list's own error", code, stderr)
	}
	for _, args := range [][]string{{"list", "--service", cliService, "--status", "--json"}, {"services", "--status"}} {
		if code, _, stderr := runCLI(t, env, args...); code != exitSetup {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitSetup, stderr)
		}
	}
}

// tableRowEndsWith reports whether the table row holding key ends with last.
func tableRowEndsWith(table, key, last string) bool {
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Fields(line); slices.Contains(f, key) {
			return f[len(f)-1] == last
		}
	}
	return false
}
