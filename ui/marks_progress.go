package ui

import (
	"context"
	"fmt"
	"slices"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/text"
)

// detachProgress is a batch of detaches as the senders screen follows it:
// what the status line shows while it runs and the notice says when it
// ends. It is a value like the screen; its slices are copied on write.
type detachProgress struct {
	id      int      // the batch's request id: a message of another batch is stale
	targets []string // the SIDs asked for, whose changes end with the batch
	running bool
	cancel  context.CancelFunc // stops starting detaches (quitting, closing)

	last       bulk.Progress // the latest snapshot
	detached   int           // answered 204
	gone       int           // answered 404: detached elsewhere already
	failed     []detachEnd   // failed for good, in the order they ended
	notStarted int           // the batch stopped before these
}

func newDetachProgress(id int, targets []api.PoolSender, cancel context.CancelFunc) detachProgress {
	sids := make([]string, len(targets))
	for i, t := range targets {
		sids[i] = t.SID
	}
	return detachProgress{id: id, targets: sids, running: true, cancel: cancel, last: bulk.Progress{Total: len(targets)}}
}

// record counts one detach that ended for good; a sender counted before
// (the last message repeats what the batch reports) counts once.
func (p *detachProgress) record(e detachEnd) {
	switch {
	case e.err == nil:
		p.detached++
	case api.IsNotFound(e.err):
		p.gone++
	default:
		if !slices.ContainsFunc(p.failed, func(f detachEnd) bool { return f.sender.SID == e.sender.SID }) {
			p.failed = append(slices.Clip(p.failed), e)
		}
	}
}

// line is the batch in the status line while it runs:
// "detaching 12/40 · ✗ 1 failed".
func (p detachProgress) line(spin string) string {
	done := p.detached + p.gone + len(p.failed)
	line := fmt.Sprintf("%s detaching %d/%d", spin, done, len(p.targets))
	if n := len(p.failed); n > 0 {
		line += fmt.Sprintf(" · ✗ %d failed", n)
	}
	if !p.last.Resume.IsZero() {
		line += " · throttled by Twilio, waiting"
	}
	return line
}

// summary is the outcome in a notice: "✓ detached 38 · ✗ 2 failed
// (first: +1…: why) · still marked: d retries them".
func (p detachProgress) summary(c *common) string {
	out := "✓ detached " + fmt.Sprint(p.detached)
	if p.gone > 0 {
		out += fmt.Sprintf(" · %d already gone", p.gone)
	}
	if n := len(p.failed); n > 0 {
		f := p.failed[0]
		out += fmt.Sprintf(" · ✗ %d failed (first: %s: %s)", n, text.Or(f.sender.Address, text.Clean(f.sender.SID)), text.OneLine(errorText(c, f.err)))
	}
	if p.notStarted > 0 {
		out += fmt.Sprintf(" · %d not started", p.notStarted)
	}
	if len(p.failed)+p.notStarted > 0 {
		out += " · still marked: d retries them"
	}
	return out
}

func (p detachProgress) stop() {
	if p.cancel != nil {
		p.cancel()
	}
}
