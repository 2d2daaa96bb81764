package ui

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/text"
)

// detachConcurrency is how many detaches of a batch are in flight at
// once: Twilio limits concurrent requests per account, and bulk lowers
// this further when it is throttled.
const detachConcurrency = 4

// detachManyRequest is the many-detach confirmation's answer: detach
// exactly these senders, fixed when it opened.
type detachManyRequest struct{ senders []api.PoolSender }

// detachEnd is one detach of a batch that ended for good.
type detachEnd struct {
	sender api.PoolSender
	err    error
}

// detachManyMsg is a batch's progress: the detaches that ended since the
// last message (many coalesce into one while Update is busy) and the
// batch's counts. The last one (done) also carries the failures no
// earlier message told (throttled to the last attempt) and what never
// started; next reads the following message.
type detachManyMsg struct {
	batch      int
	service    string
	ended      []detachEnd
	progress   bulk.Progress
	done       bool
	failed     []detachEnd
	notStarted []api.PoolSender
	next       tea.Cmd
}

// askDetachMany opens one confirmation for every marked sender, hidden
// ones included (it says how many the filter hides): the targets are
// fixed now.
func (s sendersScreen) askDetachMany(c *common) (layer, tea.Cmd, action) {
	targets := s.list.markedSenders()
	for _, x := range targets {
		if err := api.ValidatePoolSID(x.SID); err != nil {
			c.notice = "✗ cannot detach: a marked sender has a malformed SID (" + text.OneLine(x.SID) + "); unmark it"
			return s, nil, nil
		}
		if _, busy := c.changeOn(s.service.SID, x.SID); busy {
			c.notice = "✗ " + text.Or(x.Address, text.Clean(x.SID)) + " is being attached or detached already: wait, or unmark it"
			return s, nil, nil
		}
	}
	d := newConfirmDetachMany(targets, s.service, s.detachManyWarnings(c, targets), s.poolAfterDetachMany(targets), s.list.hiddenMarks())
	return s, nil, openDialog{d.setSize(s.width, s.height)}
}

// poolAfterDetachMany is the pool against its limit now and once the
// targets are gone: "312/400 numbers and short codes (274 after)".
func (s sendersScreen) poolAfterDetachMany(targets []api.PoolSender) string {
	totals := s.list.kindTotals()
	size := poolSize(totals)
	n := 0
	for _, t := range targets {
		if t.CountsAgainstLimit() {
			n++
		}
	}
	if n > 0 {
		size += fmt.Sprintf(" (%d after)", limitedCount(totals)-n)
	}
	return size
}

// detachManyWarnings adds up what detaching every target changes for
// this service: each target's api.DetachWarnings against the pool
// without the other targets (so a kind the batch empties is the last of
// its kind), counted by warning.
func (s sendersScreen) detachManyWarnings(c *common, targets []api.PoolSender) []string {
	going := make(map[string]bool, len(targets))
	for _, t := range targets {
		going[t.SID] = true
	}
	var rest []api.PoolSender
	for _, p := range s.senders() {
		if !going[p.SID] {
			rest = append(rest, p)
		}
	}
	var sticky, campaign []kindTotal
	var lastKinds []string
	unknown := 0
	for _, t := range targets {
		for _, w := range api.DetachWarnings(&s.service, s.campaign.campaign, rest, t) {
			switch w {
			case api.WarnStickySender:
				sticky = addKind(sticky, t.Kind)
			case api.WarnLastOfKind:
				if n := len(lastKinds); s.complete() && (n == 0 || lastKinds[n-1] != t.Kind) {
					lastKinds = append(lastKinds, t.Kind) // targets come in kind order
				}
			case api.WarnLeavesCampaign:
				campaign = addKind(campaign, t.Kind)
			}
		}
		if !s.campaign.known && isUSLongCode(t) {
			unknown++
		}
	}
	var out []string
	if len(sticky) > 0 {
		out = append(out, "Sticky sender is on: the recipients who last heard from "+andCounts(sticky)+" get other senders.")
	}
	for _, k := range lastKinds {
		one := kindSingular(k)
		out = append(out, "The service will have no "+one+" left.")
	}
	if n := totalOf(campaign); n > 0 {
		id := ""
		if cp := s.campaign.campaign; cp != nil && cp.CampaignID != "" {
			id = " (" + cp.CampaignID + ")"
		}
		out = append(out, usNumbers(n)+" the service's US A2P campaign"+id+".")
	}
	if unknown > 0 {
		why := "not loaded yet"
		if err := s.campaign.load.err; err != nil {
			why = "could not be loaded: " + errorText(c, err)
		}
		out = append(out, "If this service has a US A2P campaign ("+why+"), "+strings.ToLower(usNumbers(unknown)[:1])+usNumbers(unknown)[1:]+" it.")
	}
	for i := range out {
		out[i] = text.OneLine(out[i])
	}
	return out
}

// usNumbers is "1 US number leaves", "3 US numbers leave".
func usNumbers(n int) string {
	if n == 1 {
		return "1 US number leaves"
	}
	return fmt.Sprintf("%d US numbers leave", n)
}

func addKind(totals []kindTotal, kind string) []kindTotal {
	if n := len(totals); n > 0 && totals[n-1].kind == kind {
		totals[n-1].n++
		return totals
	}
	return append(totals, kindTotal{kind, 1})
}

func totalOf(totals []kindTotal) int {
	n := 0
	for _, t := range totals {
		n += t.n
	}
	return n
}

// andCounts is "12 numbers and 1 short code".
func andCounts(totals []kindTotal) string {
	parts := make([]string, len(totals))
	for i, t := range totals {
		parts[i] = kindCount(t.kind, t.n)
	}
	return strings.Join(parts, " and ")
}

// kindSingular is one sender of a kind in a sentence.
func kindSingular(kind string) string {
	switch kind {
	case api.KindPhoneNumber:
		return "phone number"
	case api.KindShortCode:
		return "short code"
	case api.KindAlpha:
		return "alpha sender"
	case api.KindOther:
		return "channel sender of no known type"
	}
	return text.Clean(kind) + " sender"
}

// startDetachMany detaches the senders the confirmation named, at most
// detachConcurrency at a time (bulk.Run, which also backs off when
// Twilio throttles), each a change in flight so that quitting waits for
// it or reports it. Rows go as their detach succeeds; failures stay
// marked, so a second d retries them.
func (s sendersScreen) startDetachMany(c *common, req detachManyRequest) (layer, tea.Cmd, action) {
	if c.readOnly() || s.batch.running {
		return s, nil, nil
	}
	svc := s.service.SID
	var targets []api.PoolSender
	for _, x := range req.senders {
		if _, busy := c.changeOn(svc, x.SID); busy || api.ValidatePoolSID(x.SID) != nil {
			continue
		}
		targets = append(targets, x)
	}
	if len(targets) == 0 {
		return s, nil, nil
	}
	ctx, cancel := context.WithCancel(c.ctx)
	s.batch = newDetachProgress(c.nextID(), targets, cancel)
	beginDetaches(c, svc, targets)
	return s, runDetachMany(ctx, c.client, s.batch.id, svc, targets), nil
}

// beginDetaches records the batch's changes in one copy of the map, not
// one per sender.
func beginDetaches(c *common, svc string, targets []api.PoolSender) {
	c.changes = maps.Clone(c.changes)
	if c.changes == nil {
		c.changes = make(map[changeKey]change, len(targets))
	}
	for _, t := range targets {
		k := changeKey{svc, t.SID}
		c.changes[k] = change{key: k, op: opDetach, name: text.Or(t.Address, text.Clean(t.SID))}
	}
}

// endDetaches forgets the changes of these SIDs.
func endDetaches(c *common, svc string, sids []string) {
	if len(c.changes) == 0 || len(sids) == 0 {
		return
	}
	c.changes = maps.Clone(c.changes)
	for _, sid := range sids {
		delete(c.changes, changeKey{svc, sid})
	}
}

// onDetachMany takes a batch's progress: rows of detached senders go, the
// failed keep their mark; the last message says how it went.
func (s sendersScreen) onDetachMany(c *common, msg detachManyMsg) (layer, tea.Cmd, action) {
	if msg.batch != s.batch.id || !s.batch.running || msg.service != s.service.SID {
		return s, nil, nil
	}
	ended := msg.ended
	if msg.done {
		ended = append(ended[:len(ended):len(ended)], msg.failed...)
	}
	sids := make([]string, 0, len(ended))
	removed := false
	for _, e := range ended {
		sids = append(sids, e.sender.SID)
		s.batch.record(e)
		if e.err == nil || api.IsNotFound(e.err) {
			for i := range s.sources {
				s.sources[i].items = removeSID(s.sources[i].items, e.sender.SID)
			}
			removed = true
		}
	}
	endDetaches(c, s.service.SID, sids)
	s.batch.last = msg.progress
	if removed {
		s.relist()
	}
	if !msg.done {
		return s, msg.next, nil
	}
	s.batch.notStarted = len(msg.notStarted)
	endDetaches(c, s.service.SID, s.batch.targets) // whatever is left: not started
	s.batch.stop()
	s.batch.running = false
	c.notice = s.batch.summary(c)
	if f := s.batch.failed; len(f) > 0 {
		name := text.Or(f[0].sender.Address, text.Clean(f[0].sender.SID))
		s.alert = fmt.Errorf("detach %s (%d of %d failed; they stay marked, d retries them): %w", name, len(f), len(s.batch.targets), f[0].err)
	}
	return s, s.loadSenders(c), nil
}

// runDetachMany runs the batch in the background and returns its
// progress one message at a time. The batch never waits for the
// messages: when nobody reads them it still runs to its end.
func runDetachMany(ctx context.Context, client Client, batch int, svc string, targets []api.PoolSender) tea.Cmd {
	return func() tea.Msg {
		f := &detachFeed{wake: make(chan struct{}, 1)}
		go func() {
			do := func(ctx context.Context, p api.PoolSender) error {
				err := client.DetachPoolSender(ctx, svc, p)
				if _, throttled := bulk.APIThrottled(err); !throttled {
					f.add(detachEnd{sender: p, err: err}) // a throttled one is retried, or failed in the report
				}
				return err
			}
			report := bulk.Run(ctx, targets, do, bulk.Options{Concurrency: detachConcurrency}, f.progress)
			f.finish(report)
		}()
		return f.read(batch, svc)()
	}
}

// detachFeed carries a batch's progress from its goroutines to Update:
// what happened since the last read, behind a mutex, and one pending
// wake-up, so that no writer ever waits for the reader.
type detachFeed struct {
	mu     sync.Mutex
	ended  []detachEnd
	last   bulk.Progress
	report *bulk.Report[api.PoolSender]
	wake   chan struct{}
}

func (f *detachFeed) add(e detachEnd) {
	f.mu.Lock()
	f.ended = append(f.ended, e)
	f.mu.Unlock()
	// No wake: bulk calls progress right after the job ends.
}

func (f *detachFeed) progress(p bulk.Progress) {
	f.mu.Lock()
	f.last = p
	f.mu.Unlock()
	f.signal()
}

func (f *detachFeed) finish(r bulk.Report[api.PoolSender]) {
	f.mu.Lock()
	f.report = &r
	f.mu.Unlock()
	f.signal()
}

func (f *detachFeed) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// read waits for news and takes all of it.
func (f *detachFeed) read(batch int, svc string) tea.Cmd {
	return func() tea.Msg {
		<-f.wake
		f.mu.Lock()
		defer f.mu.Unlock()
		msg := detachManyMsg{batch: batch, service: svc, ended: f.ended, progress: f.last}
		f.ended = nil
		if r := f.report; r != nil {
			msg.done = true
			for _, res := range r.Results {
				if _, throttled := bulk.APIThrottled(res.Err); res.Outcome == bulk.Failed && throttled {
					msg.failed = append(msg.failed, detachEnd{sender: res.Item, err: res.Err})
				}
			}
			msg.notStarted = r.NotStartedItems()
			return msg
		}
		msg.next = f.read(batch, svc)
		return msg
	}
}
