package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// campaignState is the service's US A2P campaign as far as the screen
// knows it: what a detach confirmation warns of.
type campaignState struct {
	load     loader
	campaign *api.A2PCampaign // nil: none, or not known yet
	known    bool             // the last load answered
}

// campaignMsg is the reply to ServiceA2PCampaign.
type campaignMsg struct {
	req      int
	campaign *api.A2PCampaign
	err      error
}

func (s *sendersScreen) loadCampaign(c *common) tea.Cmd {
	ctx, req := s.campaign.load.start(c)
	client, sid := c.client, s.service.SID
	return func() tea.Msg {
		campaign, err := client.ServiceA2PCampaign(ctx, sid)
		return campaignMsg{req: req, campaign: campaign, err: err}
	}
}

// with takes a reply; a failed refresh keeps what an earlier load told.
func (st campaignState) with(msg campaignMsg) campaignState {
	if !st.load.current(msg.req) {
		return st
	}
	st.load.finish(msg.err)
	if msg.err == nil {
		st.campaign, st.known = msg.campaign, true
	}
	return st
}

// detachWarnings is what detaching target changes for this service, in
// sentences: only what is known to be true, and what is not known, said.
func (s sendersScreen) detachWarnings(c *common, target api.PoolSender) []string {
	pool := s.senders()
	warnings := api.DetachWarnings(&s.service, s.campaign.campaign, pool, target)
	var out []string
	for _, w := range warnings {
		if w == api.WarnLastOfKind && !s.complete() {
			continue // a list that did not load whole cannot tell
		}
		out = append(out, text.OneLine(w.Text(target, s.campaign.campaign)))
	}
	if !s.campaign.known && isUSLongCode(target) {
		why := "not loaded yet"
		if err := s.campaign.load.err; err != nil {
			why = "could not be loaded: " + errorText(c, err)
		}
		out = append(out, text.OneLine("If this service has a US A2P campaign ("+why+"), "+target.Address+" leaves it."))
	}
	return out
}

// isUSLongCode reports whether p is a US number of the kind an A2P
// campaign holds (toll-free numbers are verified apart).
func isUSLongCode(p api.PoolSender) bool {
	return p.Kind == api.KindPhoneNumber && p.Country == "US" && !p.TollFree
}

// complete reports whether every source of the pool has a whole list.
func (s sendersScreen) complete() bool {
	for _, src := range s.sources {
		if !src.loaded || src.load.running {
			return false
		}
	}
	return true
}
