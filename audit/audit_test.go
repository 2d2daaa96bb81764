package audit

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDefaultDir(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"override", map[string]string{EnvStateDir: "/x/state", "XDG_STATE_HOME": "/xdg", "HOME": "/home/u"}, "/x/state"},
		{"XDG", map[string]string{"XDG_STATE_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/senderpool"},
		{"relative XDG ignored", map[string]string{"XDG_STATE_HOME": "xdg", "HOME": "/home/u"}, "/home/u/.local/state/senderpool"},
		{"HOME", map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/senderpool"},
		{"nothing", map[string]string{}, ""},
	} {
		got, err := defaultDir("linux", func(k string) string { return tt.env[k] })
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// TestCommand: the twilio-cli command of every kind of change, its
// arguments quoted for a POSIX shell.
func TestCommand(t *testing.T) {
	t.Parallel()
	const base = "twilio api:messaging:v1:services"
	e := func(a Action, s *Sender) Entry {
		return Entry{Action: a, Service: Service{SID: svcA}, Sender: s}
	}
	move := e(ActionMove, &Sender{SID: numPN})
	move.To = &Service{SID: svcB}
	alphaMove := e(ActionMove, &Sender{SID: alpha, Text: "ACME"})
	alphaMove.To = &Service{SID: svcB}
	for _, tt := range []struct {
		name string
		e    Entry
		want string
	}{
		{"attach number", e(ActionAttach, &Sender{SID: numPN}), base + ":phone-numbers:create --service-sid " + svcA + " --phone-number-sid " + numPN},
		{"detach number", e(ActionDetach, &Sender{SID: numPN}), base + ":phone-numbers:remove --service-sid " + svcA + " --sid " + numPN},
		{"attach short code", e(ActionAttach, &Sender{SID: numSC}), base + ":short-codes:create --service-sid " + svcA + " --short-code-sid " + numSC},
		{"detach short code", e(ActionDetach, &Sender{SID: numSC}), base + ":short-codes:remove --service-sid " + svcA + " --sid " + numSC},
		{"attach alpha", e(ActionAttach, &Sender{Text: "ACME Inc"}), base + ":alpha-senders:create --service-sid " + svcA + " --alpha-sender 'ACME Inc'"},
		{"attach alpha with a quote", e(ActionAttach, &Sender{Text: "O'Hare"}), base + ":alpha-senders:create --service-sid " + svcA + ` --alpha-sender 'O'\''Hare'`},
		{"attach hostile alpha", e(ActionAttach, &Sender{Text: "$(rm -rf ~)`x`;\n"}), base + ":alpha-senders:create --service-sid " + svcA + " --alpha-sender '$(rm -rf ~)`x`;\n'"},
		{"detach alpha", e(ActionDetach, &Sender{SID: alpha, Text: "ACME"}), base + ":alpha-senders:remove --service-sid " + svcA + " --sid " + alpha},
		{"attach per-country alpha", e(ActionAttach, &Sender{Text: "ACME", Country: "DE"}), base + ":destination-alpha-senders:create --service-sid " + svcA + " --alpha-sender ACME --iso-country-code DE"},
		{"detach per-country alpha", e(ActionDetach, &Sender{SID: alpha, Country: "DE"}), base + ":destination-alpha-senders:remove --service-sid " + svcA + " --sid " + alpha},
		{"attach channel sender", e(ActionAttach, &Sender{SID: chXE, Text: "whatsapp:+1415"}), base + ":channel-senders:create --messaging-service-sid " + svcA + " --sid " + chXE},
		{"detach channel sender", e(ActionDetach, &Sender{SID: chXE}), base + ":channel-senders:remove --messaging-service-sid " + svcA + " --sid " + chXE},
		{"move", move, base + ":phone-numbers:remove --service-sid " + svcA + " --sid " + numPN + " && " + base + ":phone-numbers:create --service-sid " + svcB + " --phone-number-sid " + numPN},
		{"move alpha", alphaMove, base + ":alpha-senders:remove --service-sid " + svcA + " --sid " + alpha + " && " + base + ":alpha-senders:create --service-sid " + svcB + " --alpha-sender ACME"},
		{"sticky sender", Entry{Action: ActionSetting, Service: Service{SID: svcA}, Setting: &Setting{Name: "StickySender", Value: "false"}}, base + ":update --sid " + svcA + " --sticky-sender false"},
		{"area code geomatch", Entry{Action: ActionSetting, Service: Service{SID: svcA}, Setting: &Setting{Name: "AreaCodeGeomatch", Value: "true"}}, base + ":update --sid " + svcA + " --area-code-geomatch true"},
		{"empty value", Entry{Action: ActionSetting, Service: Service{SID: svcA}, Setting: &Setting{Name: "FallbackUrl", Value: ""}}, base + ":update --sid " + svcA + " --fallback-url ''"},
	} {
		got, err := Command(tt.e)
		if err != nil || got != tt.want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", tt.name, got, err, tt.want)
		}
	}
	for name, e := range map[string]Entry{
		"detach alpha without SID":  e(ActionDetach, &Sender{Text: "ACME"}),
		"attach number without SID": e(ActionAttach, &Sender{Resource: ResourcePhoneNumbers}),
		"no sender":                 e(ActionAttach, nil),
		"unknown action":            e("teleport", &Sender{SID: numPN}),
	} {
		if _, err := Command(e); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// TestRoundTrip: entries come back as appended (time UTC to the
// millisecond, the command set), hostile text stored as given on one
// line; the filter selects by time, service and change.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	l := newLog(t)
	ctx := t.Context()
	t0 := time.Date(2025, 3, 4, 5, 6, 7, 891_234_567, time.FixedZone("X", 3600))
	intent := detachEntry("ch-1", PhaseIntent, "")
	intent.Time = t0
	intent.Service.Name = "evil\x1b]52;c;AAAA\a\nname\u202e"
	outcome := intent
	outcome.Phase, outcome.Outcome, outcome.Time = PhaseOutcome, OutcomeFailed, t0.Add(time.Second)
	outcome.ErrorCode, outcome.Status, outcome.Error, outcome.RequestID = 21710, 400, "refused", "RQ0123"
	set := Entry{Change: "ch-2", Account: acct, Service: Service{SID: svcB}, Action: ActionSetting,
		Setting: &Setting{Name: "StickySender", Value: "false"}, Phase: PhaseIntent, Time: t0.Add(2 * time.Second)}
	mv := Entry{Change: "ch-3", Move: "mv-1", Account: acct, Service: Service{SID: svcA}, To: &Service{SID: svcB, Name: "B"},
		Action: ActionMove, Sender: &Sender{SID: numPN}, Phase: PhaseIntent, Time: t0.Add(3 * time.Second)}
	for _, e := range []Entry{intent, outcome, set, mv} {
		mustDo(t, l.Append(ctx, e))
	}
	raw, err := os.ReadFile(l.Path())
	mustDo(t, err)
	if n := strings.Count(string(raw), "\n"); n != 4 || strings.ContainsAny(string(raw), "\x1b\a") {
		t.Errorf("%d lines or raw controls:\n%q", n, raw)
	}
	if !strings.Contains(string(raw), `"time":"2025-03-04T04:06:07.891Z"`) {
		t.Errorf("time not UTC with ms:\n%s", raw)
	}
	want := func(e Entry) Entry {
		e.Time = e.Time.UTC().Truncate(time.Millisecond)
		e.Command, _ = Command(e)
		return e
	}
	r := read(t, l, Filter{})
	if !reflect.DeepEqual(r.Entries, []Entry{want(intent), want(outcome), want(set), want(mv)}) || r.Torn || r.Skipped != 0 {
		t.Fatalf("Read = %+v", r)
	}
	for _, tt := range []struct {
		f    Filter
		want []string
	}{
		{Filter{Since: t0.Add(time.Second).Truncate(time.Millisecond)}, []string{"ch-1", "ch-2", "ch-3"}},
		{Filter{Service: svcB}, []string{"ch-2", "ch-3"}},
		{Filter{Service: svcA}, []string{"ch-1", "ch-1", "ch-3"}},
		{Filter{Change: "ch-2"}, []string{"ch-2"}},
	} {
		var got []string
		for _, e := range read(t, l, tt.f).Entries {
			got = append(got, e.Change)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Read(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

// TestAppendRefuses malformed entries, writing nothing.
func TestAppendRefuses(t *testing.T) {
	t.Parallel()
	l := newLog(t)
	with := func(f func(*Entry)) Entry { e := detachEntry("ch-1", PhaseIntent, ""); f(&e); return e }
	for name, e := range map[string]Entry{
		"no change ID":          with(func(e *Entry) { e.Change = "" }),
		"change ID with spaces": with(func(e *Entry) { e.Change = "a b" }),
		"bad account":           with(func(e *Entry) { e.Account = "AC" }),
		"bad service":           with(func(e *Entry) { e.Service.SID = "MG\x1b" }),
		"bad sender":            with(func(e *Entry) { e.Sender.SID = "PN1" }),
		"intent with outcome":   with(func(e *Entry) { e.Outcome = OutcomeOK }),
		"outcome without one":   with(func(e *Entry) { e.Phase = PhaseOutcome }),
		"unknown phase":         with(func(e *Entry) { e.Phase = "after" }),
		"move without To":       with(func(e *Entry) { e.Action = ActionMove }),
		"To without a move":     with(func(e *Entry) { e.To = &Service{SID: svcB} }),
		"setting with a sender": with(func(e *Entry) { e.Action = ActionSetting; e.Setting = &Setting{Name: "StickySender"} }),
		"bad setting name": with(func(e *Entry) {
			e.Action, e.Sender, e.Setting = ActionSetting, nil, &Setting{Name: "sticky; rm", Value: "x"}
		}),
		"huge error": with(func(e *Entry) { e.Error = strings.Repeat("x", maxText+1) }),
	} {
		if err := l.Append(t.Context(), e); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := os.Stat(l.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was written: %v", err)
	}
}

// TestTornAndMalformedLines: a last line cut short is Torn, not a
// problem; lines that do not decode (binary, raw escapes, too long, a
// newer format) are reported by number and the rest still read. The next
// append ends the cut line, which is then reported, and stands alone.
func TestTornAndMalformedLines(t *testing.T) {
	t.Parallel()
	l := newLog(t)
	ctx := t.Context()
	mustDo(t, l.Append(ctx, detachEntry("ch-1", PhaseIntent, "")))
	good, err := os.ReadFile(l.Path())
	mustDo(t, err)
	appendRaw(t, l, "\x00\xff\xfe\n"+"\x1b[2J\x1b]0;pwned\a\n"+strings.Repeat("x", 2*maxLine)+"\n"+
		strings.Replace(string(good), `"v":1`, `"v":7`, 1)+"\n"+string(good))
	appendRaw(t, l, string(good[:len(good)/2]))

	r := read(t, l, Filter{})
	var lines []int
	for _, p := range r.Problems {
		lines = append(lines, p.Line)
	}
	if len(r.Entries) != 2 || !r.Torn || r.Skipped != 5 || !slices.Equal(lines, []int{2, 3, 4, 5, 6}) {
		t.Fatalf("Read = %d entries, torn %v, skipped %d, problems %v", len(r.Entries), r.Torn, r.Skipped, r.Problems)
	}
	if !strings.Contains(r.Problems[0].String(), "line 2: not UTF-8") || !strings.Contains(r.Problems[2].Reason, "more than") || !strings.Contains(r.Problems[3].Reason, "newer") {
		t.Errorf("problems: %v", r.Problems)
	}

	mustDo(t, l.Append(ctx, detachEntry("ch-2", PhaseOutcome, OutcomeOK)))
	r = read(t, l, Filter{})
	if len(r.Entries) != 3 || r.Torn || r.Skipped != 6 || r.Entries[2].Change != "ch-2" {
		t.Errorf("after an append: %d entries, torn %v, skipped %d", len(r.Entries), r.Torn, r.Skipped)
	}
}

// TestConcurrentAppends: goroutines (each with its own Log) and separate
// processes appending at once interleave no lines: every one decodes and
// none is missing.
func TestConcurrentAppends(t *testing.T) {
	t.Parallel()
	l := newLog(t)
	const workers, procs, n = 4, 3, 40
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for p := range procs {
		cmd := startChild(t, l.Dir(), "p"+strconv.Itoa(p), n)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		mustDo(t, cmd.Start())
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() { errs[w] = appendMany(t.Context(), l.Dir(), "g"+strconv.Itoa(w), n) })
	}
	wg.Wait()
	mustDo(t, errors.Join(errs...))
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i])
		}
	}
	r := read(t, l, Filter{})
	seen := map[string]bool{}
	for _, e := range r.Entries {
		seen[e.Change] = true
	}
	if r.Skipped != 0 || r.Torn || len(r.Entries) != (workers+procs)*n || len(seen) != len(r.Entries) {
		t.Errorf("%d entries (%d distinct), skipped %d, torn %v; want %d", len(r.Entries), len(seen), r.Skipped, r.Torn, (workers+procs)*n)
	}
}

// TestChanges pairs intents with outcomes; an intent with none is
// interrupted, as is an outcome that says so.
func TestChanges(t *testing.T) {
	t.Parallel()
	es := []Entry{
		detachEntry("ch-ok", PhaseIntent, ""),
		detachEntry("ch-cut", PhaseIntent, ""),
		detachEntry("ch-ctrlc", PhaseIntent, ""),
		detachEntry("ch-ok", PhaseOutcome, OutcomeOK),
		detachEntry("ch-ctrlc", PhaseOutcome, OutcomeInterrupted),
		detachEntry("ch-late", PhaseOutcome, OutcomeFailed), // its intent before Since
	}
	got := map[string]bool{}
	var order []string
	for _, c := range Changes(es) {
		got[c.ID] = c.Interrupted()
		order = append(order, c.ID)
		if c.Last().Change != c.ID {
			t.Errorf("%s: Last = %s", c.ID, c.Last().Change)
		}
	}
	want := map[string]bool{"ch-ok": false, "ch-cut": true, "ch-ctrlc": true, "ch-late": false}
	if !reflect.DeepEqual(got, want) || !slices.Equal(order, []string{"ch-ok", "ch-cut", "ch-ctrlc", "ch-late"}) {
		t.Errorf("Changes = %v in order %v; want %v", got, order, want)
	}
}

// TestPermissions: the dir is made 0700, the log and its lock 0600.
func TestPermissions(t *testing.T) {
	t.Parallel()
	l := newLog(t)
	mustDo(t, l.Append(t.Context(), detachEntry("ch-1", PhaseIntent, "")))
	for path, want := range map[string]os.FileMode{
		l.Dir():                              0o700 | os.ModeDir,
		l.Path():                             0o600,
		filepath.Join(l.Dir(), LockFileName): 0o600,
	} {
		fi, err := os.Stat(path)
		mustDo(t, err)
		if fi.Mode() != want && !(isWindows() && fi.Mode().IsRegular() == want.IsRegular()) {
			t.Errorf("%s is %v, want %v", path, fi.Mode(), want)
		}
	}
}

// TestMissingLogIsEmpty: reading before anything was written is no error
// and creates nothing.
func TestMissingLogIsEmpty(t *testing.T) {
	t.Parallel()
	l := newLog(t)
	if r := read(t, l, Filter{}); len(r.Entries) != 0 {
		t.Errorf("Read = %+v", r)
	}
	if _, err := os.Stat(l.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read created the dir: %v", err)
	}
}
