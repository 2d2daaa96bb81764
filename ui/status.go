package ui

import (
	"context"
	"errors"
	"maps"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// channelStatus is what GET /v2/Channels/Senders says of the account's
// WhatsApp and RCS senders (status, profile name), by channel and SID. The
// pool's own list (v1) does not say whether a sender is ONLINE, and a pool
// with an OFFLINE sender is what an operator most needs to see.
type channelStatus struct {
	req       int
	loading   map[string]bool                         // channels still loading for req
	byChannel map[string]map[string]api.AccountSender // channel → SID → sender
	failed    map[string]error                        // channel → why its last load failed
}

// statusChannel is the channel of GET /v2/Channels/Senders that knows a
// sender's status, "" for the kinds it does not list.
func statusChannel(s api.PoolSender) string {
	switch s.Kind {
	case api.KindWhatsApp:
		return api.ChannelWhatsApp
	case api.KindRCS:
		return api.ChannelRCS
	}
	return ""
}

// lookup finds a sender's v2 record.
func (c channelStatus) lookup(s api.PoolSender) (api.AccountSender, bool) {
	v, ok := c.byChannel[statusChannel(s)][s.SID]
	return v, ok
}

// with records one channel's reply. Replies to the form's loads count
// too (they are as fresh); only the status's own request ends its loading.
func (c channelStatus) with(msg catalogueMsg) channelStatus {
	if msg.req == c.req {
		c.loading = maps.Clone(c.loading)
		delete(c.loading, msg.channel)
	}
	if msg.err != nil {
		if !errors.Is(msg.err, context.Canceled) {
			c.failed = maps.Clone(c.failed)
			if c.failed == nil {
				c.failed = map[string]error{}
			}
			c.failed[msg.channel] = msg.err
		}
		return c
	}
	bySID := make(map[string]api.AccountSender, len(msg.senders))
	for _, s := range msg.senders {
		bySID[s.SID] = s
	}
	c.byChannel = maps.Clone(c.byChannel)
	if c.byChannel == nil {
		c.byChannel = map[string]map[string]api.AccountSender{}
	}
	c.byChannel[msg.channel] = bySID
	if c.failed[msg.channel] != nil {
		c.failed = maps.Clone(c.failed)
		delete(c.failed, msg.channel)
	}
	return c
}

// notOnline reports a sender whose status is known and is not ONLINE.
func (c channelStatus) notOnline(s api.PoolSender) (string, bool) {
	v, ok := c.lookup(s)
	if !ok || v.Status == "" || strings.EqualFold(v.Status, "ONLINE") {
		return "", false
	}
	return text.Clean(v.Status), true
}

// text is a sender's status for the filter to search, "" when unknown.
func (c channelStatus) text(s api.PoolSender) string {
	v, _ := c.lookup(s)
	return v.Status
}

// countNotOnline counts the senders whose status is known and not ONLINE.
func (c channelStatus) countNotOnline(senders []api.PoolSender) int {
	n := 0
	for _, s := range senders {
		if _, ok := c.notOnline(s); ok {
			n++
		}
	}
	return n
}

// fields are the detail pane's lines for a sender's status and profile.
func (c channelStatus) fields(s api.PoolSender) []detailField {
	ch := statusChannel(s)
	if ch == "" {
		return []detailField{{"Status", "— (none for " + text.Clean(s.Kind) + ")"}}
	}
	if v, ok := c.lookup(s); ok {
		return []detailField{
			{"Status", text.Or(text.Clean(v.Status), "—")},
			{"Profile", text.Or(text.Clean(profileName(v)), "—")},
		}
	}
	switch {
	case c.loading[ch]:
		return []detailField{{"Status", "loading…"}}
	case c.failed[ch] != nil:
		return []detailField{{"Status", "unknown: " + text.OneLine(errorText(nil, c.failed[ch]))}}
	case c.byChannel[ch] == nil:
		return []detailField{{"Status", "—"}}
	}
	return []detailField{{"Status", "— (not listed for this account)"}}
}

// unknown is why some senders' status is not known, "" when it is: a
// channel's status source failed, so those senders only look healthy.
func (c channelStatus) unknown() string {
	for _, ch := range api.SenderChannels() {
		if err := c.failed[ch]; err != nil && c.byChannel[ch] == nil {
			return channelName(ch) + ": " + text.OneLine(errorText(nil, err))
		}
	}
	return ""
}

func profileName(s api.AccountSender) string {
	if s.Profile == nil {
		return ""
	}
	return s.Profile.Name
}

// catalogueCmds loads every channel of the account's senders, one request
// per channel, each reply a catalogueMsg with req.
func catalogueCmds(ctx context.Context, client Client, req int) []tea.Cmd {
	var cmds []tea.Cmd
	for _, ch := range api.SenderChannels() {
		cmds = append(cmds, func() tea.Msg {
			senders, err := client.ListAccountSenders(ctx, ch)
			return catalogueMsg{req: req, channel: ch, senders: senders, err: err}
		})
	}
	return cmds
}
