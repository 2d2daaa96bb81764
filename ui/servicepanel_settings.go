package ui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// settingChoice is the confirmation's answer: set exactly this setting of
// exactly this service to this value.
type settingChoice struct {
	service string
	setting string
	to      bool
}

// settingSavedMsg is the reply to UpdateService.
type settingSavedMsg struct {
	req     int
	sid     string // the service's
	setting string
	to      bool
	service *api.Service
	err     error
}

// boolSetting is a boolean of the service the panel can change.
type boolSetting struct {
	id    string
	label string // on its row
	name  string // in a sentence
	hint  string // the status line's words for it
	// field is the setting's field of an update: the same name as the
	// service's.
	field func(*api.ServiceUpdate) **bool
	// on and off say what changes for the messages sent when the setting
	// is turned on or off.
	on, off string
}

// boolSettings are the booleans, in the order they are shown; a function,
// so no table is shared.
func boolSettings() []boolSetting {
	return []boolSetting{
		{
			id: "sticky", label: "Sticky sender", name: "sticky sender",
			hint:  "keeps each recipient on the sender that last wrote to them",
			field: func(u *api.ServiceUpdate) **bool { return &u.StickySender },
			on:    "each recipient is kept on the sender that last wrote to them, so a conversation stays on one number.",
			off:   "each message may go out from any sender of the pool; recipients are no longer kept on the sender that last wrote to them.",
		},
		{
			id: "geomatch", label: "Area-code geomatch", name: "area-code geomatch",
			hint:  "prefers a number with the recipient's area code (US and Canada)",
			field: func(u *api.ServiceUpdate) **bool { return &u.AreaCodeGeomatch },
			on:    "a US or Canadian recipient is written to from a number of their own area code when the pool has one.",
			off:   "the recipient's area code no longer counts: any number of the pool may write to them.",
		},
		{
			id: "encoding", label: "Smart encoding", name: "smart encoding",
			hint:  "replaces look-alike Unicode characters so messages stay in GSM-7",
			field: func(u *api.ServiceUpdate) **bool { return &u.SmartEncoding },
			on:    "look-alike Unicode characters (curly quotes, long dashes) are replaced by GSM-7 ones: fewer segments, slightly different text.",
			off:   "messages go out as written; one Unicode character makes the whole message UCS-2, with more segments to pay for.",
		},
		{
			id: "mms", label: "MMS converter", name: "the MMS converter",
			hint:  "sends an MMS as an SMS with a link where MMS cannot go",
			field: func(u *api.ServiceUpdate) **bool { return &u.MMSConverter },
			on:    "an MMS to a recipient who cannot get MMS goes out as an SMS with a link to the media.",
			off:   "an MMS to a recipient who cannot get MMS is no longer turned into an SMS with a link, and may fail.",
		},
		{
			id: "fallback", label: "Fallback to long code", name: "fallback to long code",
			hint:  "retries from a long code when a short code cannot deliver (obsolete in the API)",
			field: func(u *api.ServiceUpdate) **bool { return &u.FallbackToLongCode },
			on:    "a message a short code cannot deliver is sent again from a long code of the pool.",
			off:   "a message a short code cannot deliver is no longer sent again from a long code.",
		},
		{
			id: "webhook", label: "Use inbound webhook on number", name: "the number's own inbound webhook",
			hint:  "replies go to the receiving number's own webhook instead of the service's",
			field: func(u *api.ServiceUpdate) **bool { return &u.UseInboundWebhookOnNumber },
			on:    "replies to the pool's numbers go to each number's own webhook, not the service's.",
			off:   "replies to the pool's numbers go to the service's inbound webhook, whatever a number's own says.",
		},
	}
}

// get is the setting's value in svc, nil when the API sent none.
func (s boolSetting) get(svc api.Service) *bool {
	u := settingsOf(svc)
	return *s.field(&u)
}

// update is the change that sets this setting to v and no other.
func (s boolSetting) update(v bool) api.ServiceUpdate {
	var u api.ServiceUpdate
	*s.field(&u) = &v
	return u
}

// settingsOf is the update that would set svc's booleans as they are.
func settingsOf(svc api.Service) api.ServiceUpdate {
	return api.ServiceUpdate{
		StickySender:              svc.StickySender,
		AreaCodeGeomatch:          svc.AreaCodeGeomatch,
		SmartEncoding:             svc.SmartEncoding,
		MMSConverter:              svc.MMSConverter,
		FallbackToLongCode:        svc.FallbackToLongCode,
		UseInboundWebhookOnNumber: svc.UseInboundWebhookOnNumber,
	}
}

func settingByID(id string) (boolSetting, bool) {
	all := boolSettings()
	i := slices.IndexFunc(all, func(s boolSetting) bool { return s.id == id })
	if i < 0 {
		return boolSetting{}, false
	}
	return all[i], true
}

// changeable is the setting under the cursor when it can be changed now:
// not read-only, its value fresh and known, no other change running.
func (p servicePanel) changeable(c *common) (boolSetting, bool) {
	s, ok := settingByID(p.cursor)
	if !ok || c.readOnly() || !p.fresh || p.saving != "" || s.get(p.service) == nil {
		return boolSetting{}, false
	}
	return s, true
}

// askChange opens the confirmation; what it changes is fixed now.
func (p servicePanel) askChange(s boolSetting) action {
	from := *s.get(p.service)
	to := !from
	effect := s.off
	if to {
		effect = s.on
	}
	d := confirmDialog{
		question: "Turn " + s.name + " " + onOff(to) + "?",
		facts: []detailField{
			{"Setting", s.label + ": " + onOff(from) + " → " + onOff(to)},
			{"Service", serviceTitleLong(p.named())},
		},
		caution:  "What changes: " + effect,
		yesLabel: "Turn " + onOff(to),
		onYes:    settingChoice{service: p.service.SID, setting: s.id, to: to},
	}
	return openDialog{d.setSize(p.width, p.height)}
}

func (p *servicePanel) startSave(c *common, ch settingChoice) tea.Cmd {
	s, ok := settingByID(ch.setting)
	if !ok || ch.service != p.service.SID || c.readOnly() || p.saving != "" {
		return nil
	}
	p.saveReq, p.saving, p.savingTo, p.problem = c.nextID(), s.id, ch.to, nil
	client, ctx, sid, req, u := c.client, c.ctx, p.service.SID, p.saveReq, s.update(ch.to)
	below := p.handDown // decided now, run with the answer
	return func() tea.Msg {
		svc, err := client.UpdateService(ctx, sid, u)
		saved := settingSavedMsg{req: req, sid: sid, setting: s.id, to: ch.to, service: svc, err: err}
		if err != nil || svc == nil {
			return saved
		}
		// The senders screen learns the answer too, even when the panel
		// has closed meanwhile.
		return tea.BatchMsg{func() tea.Msg { return saved }, below(*svc)}
	}
}

func (p *servicePanel) onSaved(c *common, msg settingSavedMsg) {
	if msg.req == 0 || msg.req != p.saveReq {
		return
	}
	s, _ := settingByID(msg.setting)
	p.saving = ""
	if msg.err != nil {
		p.problem, p.retry = fmt.Errorf("turn %s %s: %w", s.name, onOff(msg.to), msg.err), false
		return
	}
	if msg.service == nil || msg.service.SID != p.service.SID {
		return
	}
	// The answer is the newest state: a refresh sent before it may
	// predate the change.
	p.fetch.abandon()
	p.service, p.fresh = *msg.service, true
	c.learnNames([]api.Service{*msg.service})
	c.notice = "✓ " + s.name + " is " + boolText(s.get(p.service))
}

func onOff(v bool) string {
	if v {
		return "on"
	}
	return "off"
}

// boolText is a setting as the API sent it: null is unknown, never a guess.
func boolText(v *bool) string {
	if v == nil {
		return "unknown"
	}
	return onOff(*v)
}
