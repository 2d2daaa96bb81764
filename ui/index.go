package ui

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/index"
)

// indexState is the account-wide index (who holds which sender, each
// pool's counts) as far as it is read. The services screen builds it and
// keeps it true after the dashboard's own changes; every layer reads it
// through common's helpers, which say nothing of a service not read yet.
//
// While a build runs, what it has read is its services' entries (Build
// returns the index itself only when it ends); a change made meanwhile
// is applied to those entries and kept, to be applied again to the index
// the build returns (Apply is idempotent: an add replaces, a remove of a
// sender not there is no error).
type indexState struct {
	owner   Identity     // whose account it was read from
	req     int          // the build that fills it
	running bool         // that build runs
	ix      *index.Index // the index the build returned; nil while it runs
	// entries are the running build's services, by SID, as each pool is
	// read (or fails), with the changes made since applied.
	entries map[string]index.ServiceEntry
	held    map[string][]string // the entries' sender SIDs → the services holding them
	pending []index.Change      // changes made while the build runs
	err     error               // why the last build ended early
	readAt  time.Time           // when the last build ended; zero while the first runs
}

// indexMsg is one step of a build: a service whose pool has been read
// (entry), or the end (done, with the index and Build's error). next
// reads the following step; a stale step is dropped and its build
// cancelled.
type indexMsg struct {
	req   int
	entry index.ServiceEntry
	done  bool
	ix    *index.Index
	err   error
	next  tea.Cmd
}

// buildIndex runs index.Build in the background and returns its services
// one message at a time as their pools are read.
func buildIndex(ctx context.Context, req int, lister index.Lister) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan indexMsg)
		go func() {
			defer close(ch)
			send := func(m indexMsg) bool {
				select {
				case ch <- m:
					return true
				case <-ctx.Done():
					return false
				}
			}
			ix, err := index.Build(ctx, lister, index.Options{
				Account:   true, // the not-ONLINE counts
				OnService: func(e index.ServiceEntry) { send(indexMsg{req: req, entry: e}) },
			})
			send(indexMsg{req: req, done: true, ix: ix, err: err})
		}()
		return readIndex(ch)()
	}
}

// listedServices is a Lister whose services are those a screen has
// listed already: a build then reads only their pools.
type listedServices struct {
	index.Lister
	services []api.Service
}

func (l listedServices) ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error {
	return fn(l.services)
}

func readIndex(ch <-chan indexMsg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		if !m.done {
			m.next = readIndex(ch)
		}
		return m
	}
}

// beginIndex forgets the index and starts filling it anew for build req.
func (c *common) beginIndex(req int) {
	c.index = indexState{owner: c.identity, req: req, running: true}
}

// indexStep records one step of build req; false when it is stale.
func (c *common) indexStep(msg indexMsg) bool {
	st := &c.index
	if msg.req != st.req || !st.running || st.owner != c.identity {
		return false
	}
	if !msg.done {
		e := msg.entry
		st.entries = maps.Clone(st.entries)
		if st.entries == nil {
			st.entries = map[string]index.ServiceEntry{}
		}
		// A change made before this pool was read may not be in it.
		for _, ch := range st.pending {
			if ch.ServiceSID == e.Service.SID {
				e = applyToEntry(e, ch)
			}
		}
		st.entries[e.Service.SID] = e
		st.reindexHeld()
		return true
	}
	st.running = false
	st.err = msg.err
	st.readAt = c.clock()
	if msg.ix != nil {
		// One at a time: one change Apply refuses (a service the build
		// did not list) must not hold back the others.
		for _, ch := range st.pending {
			_ = msg.ix.Apply(ch)
		}
	}
	st.ix, st.entries, st.held, st.pending = msg.ix, nil, nil, nil
	return true
}

// reindexHeld rebuilds the lookup of the entries' senders.
func (st *indexState) reindexHeld() {
	held := make(map[string][]string, len(st.held))
	for sid, e := range st.entries {
		for _, p := range e.Senders {
			held[p.SID] = append(held[p.SID], sid)
		}
	}
	st.held = held
}

// applyIndex keeps the index true after a change this dashboard made and
// Twilio confirmed.
func (c *common) applyIndex(chs ...index.Change) {
	st := &c.index
	if st.owner != c.identity || (!st.running && st.ix == nil) {
		return
	}
	now := c.clock()
	for i := range chs {
		if chs[i].At.IsZero() {
			chs[i].At = now
		}
		if chs[i].Op == index.OpAdd && chs[i].Sender.Kind == "" {
			chs[i].Sender.Kind = kindOfSID(chs[i].Sender)
		}
	}
	if !st.running {
		for _, ch := range chs {
			_ = st.ix.Apply(ch) // a service created since the build is not in it; r reads it
		}
		return
	}
	st.pending = append(slices.Clip(st.pending), chs...)
	st.entries = maps.Clone(st.entries)
	for _, ch := range chs {
		if e, ok := st.entries[ch.ServiceSID]; ok {
			st.entries[ch.ServiceSID] = applyToEntry(e, ch)
		}
	}
	st.reindexHeld()
}

// kindOfSID is a sender's kind when the reply did not say it.
func kindOfSID(p api.PoolSender) string {
	if k := api.SIDKind(p.SID); k != "" && k != api.KindChannelSender {
		return k
	}
	return api.SenderKind(api.ChannelSender{Sender: p.Address, SID: p.SID})
}

// applyToEntry is an entry read by a running build with one change made:
// its senders and counts by kind. Whether the senders changed are ONLINE
// is not known here, so the not-ONLINE count is not claimed until the
// build's index says it.
func applyToEntry(e index.ServiceEntry, ch index.Change) index.ServiceEntry {
	senders := slices.DeleteFunc(slices.Clone(e.Senders), func(p api.PoolSender) bool { return strings.EqualFold(p.SID, ch.Sender.SID) })
	if ch.Op == index.OpAdd {
		p := ch.Sender
		p.ServiceSID = ch.ServiceSID
		senders = append(senders, p)
	}
	e.Senders = senders
	e.ChangedAt = ch.At
	counts := index.Counts{Total: len(senders), ByKind: map[string]int{}}
	for _, p := range senders {
		counts.ByKind[p.Kind]++
	}
	e.Counts = counts
	return e
}

// indexOK reports whether the index is of the account connected now.
func (c *common) indexOK() bool { return c.index.owner == c.identity && c.index.req != 0 }

// indexEntry is what the index has read of a service; false when it has
// not read it (yet).
func (c *common) indexEntry(sid string) (index.ServiceEntry, bool) {
	if !c.indexOK() {
		return index.ServiceEntry{}, false
	}
	st := c.index
	if st.running {
		e, ok := st.entries[sid]
		return e, ok
	}
	if st.ix == nil {
		return index.ServiceEntry{}, false
	}
	e, ok := st.ix.Service(sid)
	if ok && e.ReadAt.IsZero() && e.Err == nil {
		return index.ServiceEntry{}, false // listed, its pool never read
	}
	return e, ok
}

// holder is a service that holds a sender, as the index read it.
type holder struct {
	service string         // MG…
	sender  api.PoolSender // as that service's pool lists it
}

// holdersOf are the services other than except that hold the sender
// with this SID, among the services the index has read.
func (c *common) holdersOf(sid, except string) []holder {
	if sid == "" || !c.indexOK() {
		return nil
	}
	st := c.index
	var out []holder
	if st.running {
		for _, svc := range st.held[sid] {
			if svc == except {
				continue
			}
			e := st.entries[svc]
			if i := slices.IndexFunc(e.Senders, func(p api.PoolSender) bool { return p.SID == sid }); i >= 0 {
				out = append(out, holder{svc, e.Senders[i]})
			}
		}
		slices.SortFunc(out, func(a, b holder) int { return strings.Compare(a.service, b.service) })
		return out
	}
	if st.ix == nil || api.ValidatePoolSID(sid) != nil {
		return nil
	}
	hits, err := st.ix.Holders(sid)
	if err != nil {
		return nil
	}
	for _, h := range hits {
		if h.ServiceSID != except {
			out = append(out, holder{h.ServiceSID, h.Sender})
		}
	}
	return out
}

// indexAge is how long ago the index was read, in a few words.
func indexAge(readAt, now time.Time) string {
	d := now.Sub(readAt)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "min", "min") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "h", "h") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day", "days") + " ago"
}

// indexChanges are what a message of this dashboard's own changes does
// to the index: the attaches, detaches and moves Twilio confirmed. unsure
// is set when a change's outcome is not known, so only a new read can
// tell.
func indexChanges(msg tea.Msg) (chs []index.Change, unsure bool) {
	switch msg := msg.(type) {
	case attachedMsg:
		if msg.err == nil && msg.sender.SID != "" {
			chs = append(chs, index.Change{Op: index.OpAdd, ServiceSID: msg.service, Sender: msg.sender})
		}
	case detachedMsg:
		if msg.err == nil || api.IsNotFound(msg.err) {
			chs = append(chs, index.Change{Op: index.OpRemove, ServiceSID: msg.service, Sender: msg.sender})
		}
	case batchMsg:
		ends := msg.ended
		if msg.done {
			ends = append(slices.Clip(ends), msg.results...) // every sender's outcome; applying one twice is harmless
		}
		for _, e := range ends {
			switch {
			case msg.kind == batchMove && (e.outcome == bulk.OK || e.outcome == bulk.Failed):
				if e.outcome == bulk.OK {
					e.err = nil
				}
				more, unknown := moveChanges(msg.service, msg.to, e.sender, e.moved, e.err)
				chs, unsure = append(chs, more...), unsure || unknown
			case msg.kind == batchDetach && (e.outcome == bulk.OK || e.outcome == bulk.Failed && api.IsNotFound(e.err)):
				chs = append(chs, index.Change{Op: index.OpRemove, ServiceSID: msg.service, Sender: e.sender})
			}
		}
		return chs, unsure
	case movedOutMsg:
		return moveChanges(msg.from, msg.to, msg.sender, msg.moved, msg.err)
	case movedMsg:
		return moveChanges(msg.from, msg.to, msg.sender, msg.moved, msg.err)
	}
	return chs, false
}

// moveChanges are what one move did, as far as it is known.
func moveChanges(from, to string, p, moved api.PoolSender, err error) ([]index.Change, bool) {
	remove := index.Change{Op: index.OpRemove, ServiceSID: from, Sender: p}
	add := func() index.Change {
		if moved.SID == "" {
			moved = p
		}
		return index.Change{Op: index.OpAdd, ServiceSID: to, Sender: moved}
	}
	if err == nil {
		return []index.Change{remove, add()}, false
	}
	switch placeAfter(err) {
	case placeStillInFrom, placeBackInFrom:
		return nil, false
	case placeInTo:
		return []index.Change{remove, add()}, false
	case placeInNoService:
		return []index.Change{remove}, false
	}
	return nil, true
}
