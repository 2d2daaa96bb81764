package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/journal"
)

// recordedFake is the demo on a fake of its own, with a state dir and a
// config dir that last across the runs of one test.
type recordedFake struct {
	fake             *twiliotest.Fake
	env              map[string]string
	state, configDir string
}

func newRecordedFake(t *testing.T) *recordedFake {
	t.Helper()
	fake, env, err := cliFake(t)
	if err != nil {
		t.Fatal(err)
	}
	r := &recordedFake{fake: fake, env: env, state: t.TempDir(), configDir: t.TempDir()}
	env["SENDERPOOL_STATE_DIR"], env["SENDERPOOL_CONFIG_DIR"] = r.state, r.configDir
	return r
}

func (r *recordedFake) run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runWithStdin(t, r.env, stdin, args...)
}

// entries is what the audit log holds.
func (r *recordedFake) entries(t *testing.T) []audit.Entry {
	t.Helper()
	l, err := audit.Open(audit.Options{Dir: r.state})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Read(t.Context(), audit.Filter{})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("read the audit log: %v %v", err, res.Problems)
	}
	return res.Entries
}

// checkNoSecret fails when the auth token is in a file of the state or
// config dir.
func (r *recordedFake) checkNoSecret(t *testing.T) {
	t.Helper()
	for _, dir := range []string{r.state, r.configDir} {
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := os.ReadFile(path)
			if strings.Contains(string(b), twiliotest.DemoAuthToken) {
				t.Errorf("%s holds the auth token", path)
			}
			return nil
		})
	}
}

// TestBatchAttachDetach: several senders as arguments or on stdin, one
// line each, exit 1 when one failed; every change recorded, intent then
// outcome with the request id, and no secret in the files.
func TestBatchAttachDetach(t *testing.T) {
	r := newRecordedFake(t)
	notif := twiliotest.DemoServiceNotifications

	code, out, errOut := r.run(t, "", "attach", "--service", notif, twiliotest.DemoFreeNumberUS, "+18885550111", twiliotest.DemoFreeNumberVoiceOnly)
	if code != exitAPI {
		t.Fatalf("attach of 3 with one voice-only: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "✓ attached +14155550177") || !strings.HasPrefix(lines[1], "✓ attached +18885550111") ||
		!strings.HasPrefix(lines[2], "✗ "+twiliotest.DemoFreeNumberVoiceOnly+": ") {
		t.Fatalf("attach lines:\n%s", out)
	}
	if !strings.Contains(errOut, "1 of 3 senders did not succeed") {
		t.Errorf("stderr %q", errOut)
	}
	pool := r.fake.PoolSIDs(notif)
	if !slices.Contains(pool, twiliotest.DemoFreeNumberUS) || !slices.Contains(pool, twiliotest.DemoFreeTollFree) || slices.Contains(pool, twiliotest.DemoFreeNumberVoiceOnly) {
		t.Fatalf("pool after the batch: %v", pool)
	}

	// The record: an intent and an outcome for each, with request ids.
	changes := audit.Changes(r.entries(t))
	if len(changes) != 3 {
		t.Fatalf("%d changes recorded, want 3", len(changes))
	}
	outcomes := map[audit.Outcome]int{}
	for _, c := range changes {
		if c.Intent == nil || c.Outcome == nil || c.Intent.Action != audit.ActionAttach {
			t.Fatalf("change %+v lacks its intent or outcome", c)
		}
		if c.Outcome.RequestID == "" || !strings.HasPrefix(c.Outcome.RequestID, "RQ") {
			t.Errorf("outcome without the request id: %+v", c.Outcome)
		}
		outcomes[c.Outcome.Outcome]++
		if c.Outcome.Outcome == audit.OutcomeFailed && c.Outcome.ErrorCode == 0 {
			t.Errorf("a failed outcome without Twilio's code: %+v", c.Outcome)
		}
	}
	if outcomes[audit.OutcomeOK] != 2 || outcomes[audit.OutcomeFailed] != 1 {
		t.Errorf("outcomes %v", outcomes)
	}

	// detach of many off a terminal needs --yes, and - always does.
	before := r.fake.TotalRequests()
	if code, _, errOut := r.run(t, "", "detach", "--service", notif, twiliotest.DemoFreeNumberUS, twiliotest.DemoFreeTollFree); code != exitSetup || !strings.Contains(errOut, "--yes") {
		t.Fatalf("detach of two without --yes: exit %d %q", code, errOut)
	}
	if code, _, errOut := r.run(t, twiliotest.DemoFreeNumberUS+"\n", "detach", "--service", notif, "-"); code != exitSetup || !strings.Contains(errOut, "stdin holds the senders") {
		t.Fatalf("detach - without --yes: exit %d %q", code, errOut)
	}
	if r.fake.TotalRequests() != before {
		t.Fatal("a refused detach made a request")
	}

	// detach from stdin, comments and blank lines skipped, --json.
	stdin := "# retired\n\n" + twiliotest.DemoFreeNumberUS + "\n  +18885550111  \n" + twiliotest.DemoUnknownNumber + "\n"
	code, out, errOut = r.run(t, stdin, "detach", "--service", notif, "--yes", "--json", "-")
	if code != exitAPI {
		t.Fatalf("detach -: exit %d: %s", code, errOut)
	}
	var got []batchLine
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("detach --json: %v\n%s", err, out)
	}
	want := []struct{ sender, sid, outcome string }{
		{twiliotest.DemoFreeNumberUS, twiliotest.DemoFreeNumberUS, "detached"},
		{"+18885550111", twiliotest.DemoFreeTollFree, "detached"},
		{twiliotest.DemoUnknownNumber, twiliotest.DemoUnknownNumber, "failed"},
	}
	if len(got) != len(want) {
		t.Fatalf("detach --json: %d lines:\n%s", len(got), out)
	}
	for i, w := range want {
		if got[i].Sender != w.sender || got[i].SID != w.sid || got[i].Outcome != w.outcome {
			t.Errorf("line %d: %+v, want %+v", i, got[i], w)
		}
	}
	if got[2].Error == nil || !strings.Contains(got[2].Error.Message, "not in the service") {
		t.Errorf("the unknown sender's error: %+v", got[2].Error)
	}
	for i, line := range strings.Split(strings.TrimSpace(out), "\n")[1:len(want)] {
		if !strings.HasPrefix(line, "  {") {
			t.Errorf("JSON line %d is not one object a line: %q", i, line)
		}
	}
	if pool := r.fake.PoolSIDs(notif); slices.Contains(pool, twiliotest.DemoFreeNumberUS) || slices.Contains(pool, twiliotest.DemoFreeTollFree) {
		t.Errorf("still in the pool: %v", pool)
	}
	r.checkNoSecret(t)
}

// TestBatchInputChecked: every sender is checked before anything is
// sent; a malformed one is named with its stdin line.
func TestBatchInputChecked(t *testing.T) {
	r := newRecordedFake(t)
	notif := twiliotest.DemoServiceNotifications
	tests := []struct {
		name   string
		stdin  string
		args   []string
		stderr string
	}{
		{"a malformed line", twiliotest.DemoFreeNumberUS + "\n# ok\n+1 (415) x\n", []string{"attach", "--service", notif, "-"}, "stdin line 3"},
		{"a word on attach", "Acme\n", []string{"attach", "--service", notif, "-"}, "--alpha"},
		{"an alpha SID on attach", "", []string{"attach", "--service", notif, twiliotest.DemoFreeNumberUS, "AI" + strings.Repeat("0", 32)}, "--alpha"},
		{"- among others", "", []string{"detach", "--service", notif, "--yes", "-", twiliotest.DemoFreeNumberUS}, "stands alone"},
		{"empty stdin", "# nothing\n\n", []string{"detach", "--service", notif, "--yes", "-"}, "no SENDER"},
		{"a malformed SID", "", []string{"detach", "--service", notif, "--yes", twiliotest.DemoFreeNumberUS, "PN123"}, `"PN123"`},
		{"read-only", "", []string{"attach", "--read-only", "--service", notif, twiliotest.DemoFreeNumberUS, twiliotest.DemoFreeTollFree}, "read-only"},
		{"--concurrency 0", "", []string{"attach", "--concurrency", "0", "--service", notif, twiliotest.DemoFreeNumberUS, twiliotest.DemoFreeTollFree}, "--concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := r.fake.TotalRequests()
			code, out, errOut := r.run(t, tt.stdin, tt.args...)
			if code != exitSetup || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, exitSetup, tt.stderr)
			}
			if out != "" || r.fake.TotalRequests() != before {
				t.Errorf("printed %q or sent a request", out)
			}
		})
	}
	if len(r.entries(t)) != 0 {
		t.Error("a refused batch was recorded")
	}
}

// TestAuditRefusedSendsNothing: a state dir that cannot hold the log
// refuses the change (exit 1) before any request.
func TestAuditRefusedSendsNothing(t *testing.T) {
	r := newRecordedFake(t)
	if err := os.Chmod(r.state, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"attach", "--service", twiliotest.DemoServiceNotifications, twiliotest.DemoFreeNumberUS},
		{"detach", "--service", twiliotest.DemoServiceNotifications, "--yes", twiliotest.DemoNumberUSNewYork},
		{"service", "set", "--service", twiliotest.DemoServiceNotifications, "--yes", "--sticky-sender=false"},
	} {
		before := r.fake.Records()
		code, out, errOut := r.run(t, "", args...)
		if code != exitAPI || !strings.Contains(errOut, "audit log") || out != "" {
			t.Errorf("%v: exit %d, out %q, stderr %q", args, code, out, errOut)
		}
		for _, rec := range r.fake.Records()[len(before):] {
			if rec.Method != "GET" {
				t.Errorf("%v sent %s %s", args, rec.Method, rec.Path)
			}
		}
	}
	// No state dir to be found at all: refused as a set-up problem.
	env := map[string]string{}
	for k, v := range r.env {
		env[k] = v
	}
	delete(env, "SENDERPOOL_STATE_DIR")
	before := r.fake.TotalRequests()
	code, _, errOut := runWithStdin(t, env, "", "attach", "--service", twiliotest.DemoServiceNotifications, twiliotest.DemoFreeNumberUS)
	if code != exitSetup || !strings.Contains(errOut, "SENDERPOOL_STATE_DIR") || r.fake.TotalRequests() != before {
		t.Errorf("no state dir: exit %d %q", code, errOut)
	}
}

// TestMove: a move ends in the target; one whose attach fails is rolled
// back and says so; both are recorded.
func TestMove(t *testing.T) {
	r := newRecordedFake(t)
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	code, out, errOut := r.run(t, "", "move", "--from", notif, "--to", mkt, "--yes", "+12125550187", "Acme")
	if code != exitOK {
		t.Fatalf("move: exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "✓ +12125550187") || !strings.Contains(out, "moved to "+mkt+" (Acme Marketing)") {
		t.Errorf("move printed:\n%s", out)
	}
	if slices.Contains(r.fake.PoolSIDs(notif), twiliotest.DemoNumberUSNewYork) || !slices.Contains(r.fake.PoolSIDs(mkt), twiliotest.DemoNumberUSNewYork) {
		t.Fatal("the number did not move")
	}

	// The attach to the target fails: rolled back into the source.
	r.fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Code: 21710, Message: "pool full", Service: mkt, Times: -1}, twiliotest.AttachRoutes()...)
	code, out, errOut = r.run(t, "", "move", "--from", notif, "--to", mkt, "--yes", "--json", twiliotest.DemoNumberUSSanFrancisco)
	if code != exitAPI {
		t.Fatalf("failing move: exit %d: %s", code, errOut)
	}
	var got []batchLine
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("move --json: %v\n%s", err, out)
	}
	if got[0].Outcome != "failed" || got[0].Where != "from" || got[0].Move == "" || got[0].Error == nil || got[0].Error.Code != 21710 {
		t.Errorf("move --json line: %+v", got[0])
	}
	if !slices.Contains(r.fake.PoolSIDs(notif), twiliotest.DemoNumberUSSanFrancisco) {
		t.Fatal("the number was not rolled back")
	}
	code, out, _ = r.run(t, "", "move", "--from", notif, "--to", mkt, "--yes", twiliotest.DemoNumberUSSanFrancisco)
	if code != exitAPI || !strings.Contains(out, "✗ +14155550142") || !strings.Contains(out, "rolled back to "+notif+" (Acme Notifications)") {
		t.Errorf("failing move: exit %d:\n%s", code, out)
	}
	r.fake.ClearFaults()

	// Refused before anything is sent.
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"move", "--to", mkt, "--yes", twiliotest.DemoNumberUSChicago}, "--from"},
		{[]string{"move", "--from", notif, "--to", notif, "--yes", twiliotest.DemoNumberUSChicago}, "same service"},
		{[]string{"move", "--from", notif, "--to", mkt, twiliotest.DemoNumberUSChicago}, "--yes"},
		{[]string{"move", "--from", notif, "--to", "MG123", "--yes", twiliotest.DemoNumberUSChicago}, "--to"},
		{[]string{"move", "--from", notif, "--to", mkt, "--finish", twiliotest.DemoNumberUSChicago}, "--resume"},
	} {
		before := r.fake.TotalRequests()
		if code, _, errOut := r.run(t, "", tt.args...); code != exitSetup || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%v: exit %d %q", tt.args, code, errOut)
		}
		if r.fake.TotalRequests() != before {
			t.Errorf("%v made a request", tt.args)
		}
	}

	// The record names the moves and their steps.
	moves := 0
	for _, c := range audit.Changes(r.entries(t)) {
		if c.Intent != nil && c.Intent.Action == audit.ActionMove {
			moves++
			if c.Outcome == nil || c.Intent.To == nil || c.Intent.To.SID != mkt {
				t.Errorf("move change %+v", c)
			}
		}
	}
	if moves != 4 {
		t.Errorf("%d moves recorded, want 4", moves)
	}
	r.checkNoSecret(t)
}

// TestPendingMoveResumed: a move journaled up to its detach is named by
// every command that connects, and move --resume --finish --yes ends it
// in the target.
func TestPendingMoveResumed(t *testing.T) {
	r := newRecordedFake(t)
	notif, mkt := twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing
	j, err := journal.Open(r.configDir, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := journal.NewID()
	ctx := t.Context()
	if err := j.Begin(ctx, journal.MoveEntry{
		ID: id, Account: twiliotest.DemoAccountSID, From: notif, FromName: "Acme Notifications", To: mkt, ToName: "Acme Marketing",
		Sender: journal.Sender{SID: twiliotest.DemoSenderWhatsAppUS, Kind: api.KindWhatsApp, Text: "whatsapp:+14155550100"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := r.fake.Detach(notif, twiliotest.DemoSenderWhatsAppUS); err != nil {
		t.Fatal(err)
	}
	if err := j.Step(ctx, id, journal.StepDetached); err != nil {
		t.Fatal(err)
	}

	// A read-only command warns and goes on.
	code, out, errOut := r.run(t, "", "services")
	if code != exitOK || !strings.Contains(out, "Acme Marketing") {
		t.Fatalf("services: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"cut off half-way", "senderpool move --resume", "whatsapp:+14155550100", "detached, not yet attached: in no service, or already in the second", "Acme Notifications (" + notif + ")"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the warning %q lacks %q", errOut, want)
		}
	}
	// Off a terminal, --resume needs a choice and --yes.
	if code, _, errOut := r.run(t, "", "move", "--resume"); code != exitSetup || !strings.Contains(errOut, "--finish or --roll-back") {
		t.Errorf("move --resume: exit %d %q", code, errOut)
	}
	code, out, errOut = r.run(t, "", "move", "--resume", "--finish", "--yes")
	if code != exitOK || !strings.Contains(out, "finished, in Acme Marketing") {
		t.Fatalf("move --resume --finish: exit %d\n%s%s", code, out, errOut)
	}
	if !slices.Contains(r.fake.PoolSIDs(mkt), twiliotest.DemoSenderWhatsAppUS) || slices.Contains(r.fake.PoolSIDs(notif), twiliotest.DemoSenderWhatsAppUS) {
		t.Fatal("the move was not finished on the fake")
	}
	if moves, _, err := j.Pending(ctx); err != nil || len(moves) != 0 {
		t.Fatalf("still pending: %v %v", moves, err)
	}
	code, out, errOut = r.run(t, "", "move", "--resume", "--roll-back", "--yes")
	if code != exitOK || !strings.Contains(out, "no move is pending") || strings.Contains(errOut, "cut off") {
		t.Errorf("nothing pending: exit %d %q %q", code, out, errOut)
	}
}

// TestFindOnTheDemo: held by a service, in no service, not found, and a
// malformed query refused before anything is read.
// find --unattached lists exactly the account's senders no service
// holds, in the pool's order, the same in JSON.
func TestFindUnattached(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "--demo", "find", "--unattached", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []struct{ SID, Kind string }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var sids []string
	for _, g := range got {
		sids = append(sids, g.SID)
	}
	want := []string{twiliotest.DemoFreeNumberUS, twiliotest.DemoFreeTollFree, twiliotest.DemoFreeNumberVoiceOnly, twiliotest.DemoFreeNumberIreland, twiliotest.DemoFreeShortCode, twiliotest.DemoFreeShortCodeUK}
	for _, w := range want {
		if !slices.Contains(sids, w) {
			t.Errorf("--unattached lacks %s: %v", w, sids)
		}
	}
	if len(sids) != 11 {
		t.Errorf("%d senders in no service, want the demo's 11: %v", len(sids), sids)
	}
	if !slices.IsSortedFunc(got, func(a, b struct{ SID, Kind string }) int {
		return slices.Index(api.KindNames(), a.Kind) - slices.Index(api.KindNames(), b.Kind)
	}) {
		t.Errorf("not in the pool's order of kinds: %v", got)
	}
}

func TestFindOnTheDemo(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"held", []string{"find", "+12125550187", "acme"}, exitOK,
			[]string{"+12125550187: +12125550187 (phone-number, " + twiliotest.DemoNumberUSNewYork + ") in Acme Notifications (" + twiliotest.DemoServiceNotifications + ")", "acme: Acme (alpha"}, ""},
		{"in no service", []string{"find", twiliotest.DemoFreeWhatsAppUS, "+14155550177"}, exitOK,
			[]string{twiliotest.DemoFreeWhatsAppUS + ": whatsapp:+14155550123 (whatsapp, " + twiliotest.DemoFreeWhatsAppUS + ") in no service", "+14155550177: +14155550177 (phone-number, " + twiliotest.DemoFreeNumberUS + ") in no service"}, ""},
		{"not found", []string{"find", "+19995550100", "+12125550187"}, exitAPI, []string{"+19995550100: not found", "+12125550187: "}, "1 of 2 queries were not found"},
		{"malformed", []string{"find", "+12125550187", "PN12"}, exitSetup, nil, `"PN12"`},
		{"nothing", []string{"find"}, exitSetup, nil, "QUERY"},
		{"unattached", []string{"find", "--unattached"}, exitOK, []string{"KIND          SID                                 SENDER",
			"phone-number  " + twiliotest.DemoFreeNumberUS + "  +14155550177", "short-code    " + twiliotest.DemoFreeShortCodeUK + "  60777",
			"whatsapp      " + twiliotest.DemoFreeWhatsAppUS + "  whatsapp:+14155550123"}, ""},
		{"unattached and a query", []string{"find", "--unattached", "+14155550177"}, exitSetup, nil, "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"--demo"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(errOut, "reading pools") {
				t.Error("progress off a terminal")
			}
		})
	}
	code, out, _ := runCLI(t, nil, "--demo", "find", "--json", "+12125550187", "+19995550100")
	var got []findLine
	if err := json.Unmarshal([]byte(out), &got); code != exitAPI || err != nil || len(got) != 2 {
		t.Fatalf("find --json: exit %d %v\n%s", code, err, out)
	}
	if !got[0].Found || len(got[0].Holders) != 1 || got[0].Holders[0].ServiceSID != twiliotest.DemoServiceNotifications || got[1].Found {
		t.Errorf("find --json: %+v", got)
	}
}

// TestLog: the changes made, one a line, interrupted ones marked, hostile
// names made inert; --json has the entries with their commands.
func TestLog(t *testing.T) {
	r := newRecordedFake(t)
	notif := twiliotest.DemoServiceNotifications
	if code, _, errOut := r.run(t, "", "attach", "--service", notif, twiliotest.DemoFreeNumberUS); code != exitOK {
		t.Fatal(errOut)
	}
	// An intent with no outcome, as a crash leaves it, about a service
	// whose name holds an escape sequence.
	l, err := audit.Open(audit.Options{Dir: r.state})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(t.Context(), audit.Entry{
		Change: audit.NewChangeID(), Account: twiliotest.DemoAccountSID, Action: audit.ActionDetach, Phase: audit.PhaseIntent,
		Service: audit.Service{SID: twiliotest.DemoServiceMarketing, Name: "Evil\x1b]52;c;aGk=\x07\nName"},
		Sender:  &audit.Sender{SID: twiliotest.DemoNumberUK, Text: "+447700900456"},
	}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := r.run(t, "", "log", "--since", "1h")
	if code != exitOK {
		t.Fatalf("log: exit %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TIME") {
		t.Fatalf("log:\n%s", out)
	}
	for _, w := range []string{"(env)", "Acme Notifications (" + notif + ")", "attach", "+14155550177 " + twiliotest.DemoFreeNumberUS, " ok ", "RQ"} {
		if !strings.Contains(lines[1], w) {
			t.Errorf("line %q lacks %q", lines[1], w)
		}
	}
	if !strings.Contains(lines[2], "NO-OUTCOME") || !strings.Contains(errOut, "no outcome") {
		t.Errorf("the interrupted change is not marked: %q, %q", lines[2], errOut)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("a raw escape reached the terminal: %q", out)
	}
	code, out, _ = r.run(t, "", "log", "--service", twiliotest.DemoServiceMarketing, "--commands")
	if code != exitOK || strings.Contains(out, "Acme Notifications") || !strings.Contains(out, "twilio api:messaging:v1:services:phone-numbers:remove") {
		t.Errorf("log --service --commands:\n%s", out)
	}
	code, out, _ = r.run(t, "", "log", "--json", "--since", "2000-01-01T00:00:00Z")
	var entries []audit.Entry
	if err := json.Unmarshal([]byte(out), &entries); code != exitOK || err != nil || len(entries) != 3 {
		t.Fatalf("log --json: exit %d %v\n%s", code, err, out)
	}
	for _, e := range entries {
		if e.Command == "" || strings.Contains(e.Command, twiliotest.DemoAuthToken) {
			t.Errorf("entry's command %q", e.Command)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Error("a raw escape in --json")
	}
	for _, since := range []string{"yesterday", "-3h"} {
		if code, _, errOut := r.run(t, "", "log", "--since", since); code != exitSetup || !strings.Contains(errOut, "--since") {
			t.Errorf("--since %s: exit %d %q", since, code, errOut)
		}
	}
	if code, out, _ := r.run(t, "", "log", "--since", "2999-01-01T00:00:00Z"); code != exitOK || strings.Count(out, "\n") != 1 {
		t.Errorf("log of the future: %q", out)
	}
}

// TestDemoRecordApart: the demo's changes are recorded in the demo
// subdirectory of the state dir, never with the real account's.
func TestDemoRecordApart(t *testing.T) {
	state := t.TempDir()
	env := map[string]string{"SENDERPOOL_STATE_DIR": state}
	if code, _, errOut := runCLI(t, env, "--demo", "attach", "--service", twiliotest.DemoServiceNotifications, twiliotest.DemoFreeNumberUS); code != exitOK {
		t.Fatal(errOut)
	}
	if _, err := os.Stat(filepath.Join(state, audit.FileName)); !os.IsNotExist(err) {
		t.Errorf("the demo wrote the real log: %v", err)
	}
	fi, err := os.Stat(filepath.Join(state, demoDir, audit.FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the demo's log: %v %v", fi, err)
	}
	code, out, _ := runCLI(t, env, "--demo", "log")
	if code != exitOK || !strings.Contains(out, twiliotest.DemoFreeNumberUS) {
		t.Errorf("--demo log: %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, env, "log"); code != exitOK || strings.Contains(out, twiliotest.DemoFreeNumberUS) {
		t.Errorf("log shows the demo's change: %d\n%s", code, out)
	}
}
