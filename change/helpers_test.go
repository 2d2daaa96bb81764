package change_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// Short names for the demo's services.
const (
	notif   = twiliotest.DemoServiceNotifications
	mkt     = twiliotest.DemoServiceMarketing
	sandbox = twiliotest.DemoServiceSandbox
)

// env is one test's fake, a plain client on it (to arrange and look),
// the change client under test and its records.
type env struct {
	fake    *twiliotest.Fake
	raw     *api.Client
	c       *change.Client
	log     *audit.Log
	journal *journal.Journal
}

func newEnv(t testing.TB, demo twiliotest.DemoOptions, opts change.Options) *env {
	t.Helper()
	fake, raw := apitest.Demo(t, demo, api.Config{})
	e := &env{fake: fake, raw: raw}
	if opts.Audit == nil {
		l, err := audit.Open(audit.Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		opts.Audit = l
	}
	if opts.Journal == nil {
		j, err := journal.Open(t.TempDir(), journal.Options{})
		if err != nil {
			t.Fatal(err)
		}
		opts.Journal = j
	}
	e.log, e.journal = opts.Audit, opts.Journal
	if opts.Profile == "" {
		opts.Profile = "test"
	}
	e.c = change.New(raw, opts)
	return e
}

// entries is everything the audit log holds.
func (e *env) entries(t testing.TB) []audit.Entry {
	t.Helper()
	res, err := e.log.Read(context.Background(), audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped > 0 || res.Torn {
		t.Fatalf("audit log: %d lines skipped (%v), torn %v", res.Skipped, res.Problems, res.Torn)
	}
	return res.Entries
}

// sends counts the requests that change something (neither GET nor HEAD).
func (e *env) sends() int {
	n := 0
	for _, r := range e.fake.Records() {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			n++
		}
	}
	return n
}

// lastID is the Twilio-Request-Id of the fake's last answer to method.
func (e *env) lastID(t testing.TB, method string) string {
	t.Helper()
	recs := e.fake.Records()
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Method == method {
			return recs[i].RequestID
		}
	}
	t.Fatalf("no %s request was made", method)
	return ""
}

// member fetches a sender of a service by its SID, as the dashboard has it.
func (e *env) member(t testing.TB, svc, sid string) api.PoolSender {
	t.Helper()
	p, err := e.raw.FindPoolSenderBySID(context.Background(), svc, sid)
	if err != nil {
		t.Fatalf("%s in %s: %v", sid, svc, err)
	}
	return p
}

// has reports whether p is in svc: by SID, or by text (and destination
// country) for an alpha sender, which has a new SID in every service.
func (e *env) has(t testing.TB, svc string, p api.PoolSender) bool {
	t.Helper()
	found := false
	err := e.raw.ListSourcePages(context.Background(), svc, p.Source, func(page []api.PoolSender) error {
		for _, q := range page {
			switch p.Source {
			case api.SourceAlphaSenders:
				found = found || strings.EqualFold(q.Address, p.Address)
			case api.SourceDestinationAlphaSenders:
				found = found || strings.EqualFold(q.Address, p.Address) && q.DestinationCountry == p.DestinationCountry
			default:
				found = found || q.SID == p.SID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// moveKind is one kind of sender a move carries, from the demo.
type moveKind struct {
	name     string
	from, to string
	sid      string
}

var moveKinds = []moveKind{
	{"channel sender", notif, sandbox, twiliotest.DemoSenderWhatsAppUS},
	{"phone number", notif, sandbox, twiliotest.DemoNumberUSSanFrancisco},
	{"short code", mkt, sandbox, twiliotest.DemoShortCode},
	{"alpha sender", notif, sandbox, twiliotest.DemoAlphaGlobal},
	{"per-country alpha sender", notif, sandbox, twiliotest.DemoAlphaGermany},
}

// byMove is the entries of one move, by action.
func byMove(entries []audit.Entry, move string) map[audit.Action][]audit.Entry {
	out := map[audit.Action][]audit.Entry{}
	for _, e := range entries {
		if e.Move == move {
			out[e.Action] = append(out[e.Action], e)
		}
	}
	return out
}

// moveOf is the ID of the only move in the entries.
func moveOf(t testing.TB, entries []audit.Entry) string {
	t.Helper()
	id := ""
	for _, e := range entries {
		if e.Action == audit.ActionMove {
			if id != "" && e.Move != id {
				t.Fatalf("two moves: %s and %s", id, e.Move)
			}
			id = e.Move
		}
	}
	if id == "" {
		t.Fatal("no move entry")
	}
	return id
}
