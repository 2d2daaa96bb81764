package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/text"
)

// batchState is a batch as the senders screen follows it. It is a value
// like the screen; its slices and maps are copied on write.
type batchState struct {
	id       int
	kind     batchKind
	from, to api.Service // to: a move's
	targets  []api.PoolSender
	sids     map[string]bool // the targets, whose changes end with the batch
	running  bool
	stopping bool               // esc or q: no new request starts
	cancel   context.CancelFunc // stops starting requests
	ticking  bool               // a countdown tick is on its way

	last  bulk.Progress // the latest snapshot
	at    time.Time     // when it was read, or the last tick
	ended map[string]bool
	done  int // succeeded (a detach answered 404 included: the sender is gone)
}

func newBatch(id int, kind batchKind, from, to api.Service, targets []api.PoolSender, cancel context.CancelFunc) batchState {
	sids := make(map[string]bool, len(targets))
	for _, t := range targets {
		sids[t.SID] = true
	}
	return batchState{
		id: id, kind: kind, from: from, to: to, targets: targets, sids: sids,
		running: true, cancel: cancel, last: bulk.Progress{Total: len(targets), Remaining: len(targets)},
	}
}

// has reports whether sid is one of the batch's targets still under way.
func (b batchState) has(sid string) bool { return b.running && b.sids[sid] && !b.ended[sid] }

// record notes one sender that ended.
func (b *batchState) record(e batchEnd) {
	b.ended = maps.Clone(b.ended)
	if b.ended == nil {
		b.ended = map[string]bool{}
	}
	b.ended[e.sender.SID] = true
}

func (b *batchState) stop() {
	if b.cancel != nil {
		b.cancel()
	}
}

// verb is what the batch does, for its progress line.
func (b batchState) verb() string {
	if b.kind == batchMove {
		return "moving"
	}
	return "detaching"
}

// beginBatch records the batch's changes in one copy of the map, not one
// per sender, so that quitting waits for them and ctrl+c reports them.
// A move is recorded as the detach it starts with, naming where to.
func beginBatch(c *common, b batchState) {
	c.changes = maps.Clone(c.changes)
	if c.changes == nil {
		c.changes = make(map[changeKey]change, len(b.targets))
	}
	for _, t := range b.targets {
		k := changeKey{b.from.SID, t.SID}
		c.changes[k] = change{key: k, op: opDetach, name: changeName(b.kind, t, b.to)}
	}
	// The batch itself, until its end: quitting waits for its outcome,
	// not only for its last sender's.
	what := "detach " + plural(len(b.targets), "sender", "senders")
	if b.kind == batchMove {
		what = "move " + plural(len(b.targets), "sender", "senders") + " to " + serviceTitleLong(b.to)
	}
	k := b.key()
	c.changes[k] = change{key: k, op: opSetting, name: "the batch (" + what + ")"}
}

// key names the batch among the changes in flight, beside its senders:
// no SID has a colon.
func (b batchState) key() changeKey { return changeKey{b.from.SID, fmt.Sprintf("batch:%d", b.id)} }

// changeName is a sender as a change in flight names it.
func changeName(kind batchKind, p api.PoolSender, to api.Service) string {
	name := text.Or(p.Address, text.Clean(p.SID))
	if kind == batchMove {
		name += " (a move to " + serviceTitleLong(to) + ")"
	}
	return name
}

// endBatchChanges forgets the changes of these SIDs.
func endBatchChanges(c *common, svc string, sids []string) {
	if len(c.changes) == 0 || len(sids) == 0 {
		return
	}
	c.changes = maps.Clone(c.changes)
	for _, sid := range sids {
		delete(c.changes, changeKey{svc, sid})
	}
}

// onBatch takes a batch's progress: detached rows go as they end; at the
// end the moved ones go, the failed keep their mark, and the report
// opens when something failed or never started.
func (s sendersScreen) onBatch(c *common, msg batchMsg) (layer, tea.Cmd, action) {
	b := s.batch
	if msg.batch != b.id || !b.running || msg.service != s.service.SID {
		return s, nil, nil
	}
	b.last, b.at = msg.progress, msg.at
	ended := msg.ended
	if msg.done {
		ended = msg.results
	}
	var sids []string
	removed := false
	for _, e := range ended {
		if e.outcome == bulk.NotStarted {
			continue
		}
		sids = append(sids, e.sender.SID)
		b.record(e)
		if s.leftService(b.kind, e) {
			for i := range s.sources {
				s.sources[i].items = removeSID(s.sources[i].items, e.sender.SID)
			}
			removed = true
		}
	}
	endBatchChanges(c, s.service.SID, sids)
	s.batch = b
	if removed {
		s.relist()
	}
	if !msg.done {
		var tick tea.Cmd
		if !b.last.Resume.IsZero() && !s.batch.ticking {
			s.batch.ticking = true
			tick = batchTick(b.id)
		}
		return s, tea.Batch(msg.next, tick), nil
	}
	return s.endBatch(c, msg)
}

// leftService reports whether a sender that ended is no longer in this
// service: detached (or gone already), or moved out, whatever then
// became of it.
func (s sendersScreen) leftService(kind batchKind, e batchEnd) bool {
	if kind == batchDetach {
		return e.outcome == bulk.OK || api.IsNotFound(e.err)
	}
	if e.outcome == bulk.OK {
		return true
	}
	place := placeAfter(e.err)
	return place == placeInTo || place == placeInNoService
}

// endBatch closes a batch: what never started is no longer in flight,
// the report is built, and the list is read again.
func (s sendersScreen) endBatch(c *common, msg batchMsg) (layer, tea.Cmd, action) {
	b := s.batch
	endBatchChanges(c, s.service.SID, append(slices.Collect(maps.Keys(b.sids)), b.key().sid))
	b.stop()
	b.running = false
	s.batch = b
	r := newBatchReport(c, b, msg.results, msg.throttles)
	acts := actions{batchEnded{r.farewell(c)}}
	if f := r.failed; len(f) > 0 {
		s.alert = errors.New(r.alertText(c))
	}
	c.notice = r.summary()
	if !r.clean() {
		acts = append(acts, openReport{r.setSize(s.width, s.height)})
	}
	return s, s.loadSenders(c), acts
}

// batchTick asks for the next second of a pause's countdown.
func batchTick(id int) tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return batchTickMsg{batch: id, at: t} })
}

func (s sendersScreen) onBatchTick(msg batchTickMsg) (layer, tea.Cmd, action) {
	if msg.batch != s.batch.id || !s.batch.running {
		return s, nil, nil
	}
	s.batch.at = msg.at
	if r := s.batch.last.Resume; r.IsZero() || !r.After(msg.at) {
		s.batch.ticking = false
		return s, nil, nil
	}
	return s, batchTick(s.batch.id), nil
}

// stopBatch stops starting new requests; those in flight end.
func (s sendersScreen) stopBatch(c *common) sendersScreen {
	if !s.batch.running || s.batch.stopping {
		return s
	}
	s.batch.stop()
	s.batch.stopping = true
	c.notice = "stopping: the requests in flight end, no new one starts"
	return s
}

// startBatch starts a batch on the targets that are not busy, valid and
// still listed.
func (s sendersScreen) startBatch(c *common, kind batchKind, to api.Service, targets []api.PoolSender) (layer, tea.Cmd, action) {
	if c.readOnly() || s.batch.running {
		return s, nil, nil
	}
	svc := s.service.SID
	var run []api.PoolSender
	for _, x := range targets {
		if _, busy := c.changeOn(svc, x.SID); busy || api.ValidatePoolSID(x.SID) != nil || !s.list.has(x.SID) {
			continue
		}
		run = append(run, x)
	}
	if len(run) == 0 {
		c.notice = "nothing to do: those senders are no longer listed here, or are busy"
		return s, nil, nil
	}
	ctx, cancel := context.WithCancel(c.ctx)
	s.batch = newBatch(c.nextID(), kind, s.service, to, run, cancel)
	beginBatch(c, s.batch)
	job := detachJob(c.client, svc, run)
	if kind == batchMove {
		job = moveJob(c.client, svc, to.SID, run)
	}
	return s, runBatch(ctx, batchMsg{batch: s.batch.id, kind: kind, service: svc, to: to.SID}, job), nil
}

// openReport puts the batch report under any dialog that is open (a
// form, help): it shows once they close, and never takes keys meant for
// them.
type openReport struct{ d layer }

func (openReport) isAction() {}
