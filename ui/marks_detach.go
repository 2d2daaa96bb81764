package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// detachConcurrency is how many detaches of a batch are in flight at
// once: Twilio limits concurrent requests per account, and bulk lowers
// this further when it is throttled.
const detachConcurrency = 4

// detachManyRequest is the many-detach confirmation's answer: detach
// exactly these senders, fixed when it opened.
type detachManyRequest struct{ senders []api.PoolSender }

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
		one := text.Clean(api.KindSingular(k))
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

// startDetachMany detaches the senders the confirmation named as a
// batch (bulk.go): rows go as their detach succeeds; failures stay
// marked, and the report offers to retry them.
func (s sendersScreen) startDetachMany(c *common, req detachManyRequest) (layer, tea.Cmd, action) {
	return s.startBatch(c, batchDetach, api.Service{}, req.senders)
}
