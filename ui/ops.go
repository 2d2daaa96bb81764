package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// opKind is an attach or detach in flight.
type opKind int

const (
	opAttach opKind = iota + 1
	opDetach
)

// modal is the dialog in front of the list, if any.
type modal int

const (
	modalNone modal = iota
	modalAttach
	modalConfirm
)

// catalogueMsg is one channel of GET /v2/Channels/Senders for the form.
type catalogueMsg struct {
	req     int
	channel string
	senders []api.AccountSender
	err     error
}

// attachedMsg is the reply to an attach.
type attachedMsg struct {
	service string
	sid     string
	sender  *api.ChannelSender
	err     error
}

// detachedMsg is the reply to a detach.
type detachedMsg struct {
	service string
	sender  api.ChannelSender
	err     error
}

// openAttachForm shows the add form and loads the catalogue behind it.
func (m Model) openAttachForm() (tea.Model, tea.Cmd) {
	exclude := make(map[string]bool, len(m.senders)+len(m.pending))
	for _, s := range m.senders {
		exclude[s.SID] = true
	}
	for _, s := range m.pending {
		exclude[s.SID] = true
	}
	req := m.nextReq()
	m.form = newAttachForm(m.formDraft, exclude, req)
	m.styleInputs()
	m.form.height = m.bodyHeight()
	m.modal = modalAttach
	return m, tea.Batch(append(catalogueCmds(m.ctx, m.client, req), m.spinner.Tick)...)
}

func (m Model) onFormKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	form, action, sid, cmd := m.form.update(msg, m.keys)
	m.form = form
	m.formDraft = form.input.Value()
	switch action {
	case formCancel:
		m.modal = modalNone
	case formSubmit:
		if _, busy := m.ops[sid]; busy {
			m.form.refusal = "✗ " + sid + " is already being attached or detached"
			return m, nil
		}
		return m.startAttach(sid)
	}
	return m, cmd
}

// startAttach closes the form and shows a pending row while POST runs.
func (m Model) startAttach(sid string) (tea.Model, tea.Cmd) {
	m.modal = modalNone
	row := api.ChannelSender{SID: sid, Sender: sid, MessagingServiceSID: m.service.SID}
	if cat, ok := m.form.lookup(sid); ok {
		row.Sender = cat.SenderID
	}
	m.pending = append(m.pending, row)
	m.ops[sid] = opAttach
	m.relist()
	m.list.selectSID(sid)
	client, ctx, svc := m.client, m.ctx, m.service.SID
	return m, tea.Batch(m.spinner.Tick, func() tea.Msg {
		s, err := client.CreateChannelSender(ctx, svc, sid)
		return attachedMsg{service: svc, sid: sid, sender: s, err: err}
	})
}

func (m Model) onAttached(msg attachedMsg) (tea.Model, tea.Cmd) {
	if msg.service != m.service.SID {
		return m, nil // the user left that service; its list is refetched on return
	}
	delete(m.ops, msg.sid)
	m.pending = removeSID(m.pending, msg.sid)
	if msg.err != nil {
		m.relist()
		m.alert = fmt.Errorf("attach %s: %w", msg.sid, msg.err)
		if m.modal == modalNone && !m.identity.ReadOnly {
			// The form comes back holding what was typed, so nothing is lost.
			m.formDraft = msg.sid
			next, cmd := m.openAttachForm()
			return next, cmd
		}
		return m, nil
	}
	m.formDraft = ""
	added := api.ChannelSender{SID: msg.sid, MessagingServiceSID: msg.service}
	if msg.sender != nil {
		added = *msg.sender
	}
	m.senders = append(removeSID(m.senders, added.SID), added)
	m.relist()
	m.list.selectSID(added.SID)
	m.notice = "✓ attached " + displayOr(added.Sender, added.SID)
	return m, m.loadSenders()
}

// askDetach opens the confirmation for the selected sender.
func (m Model) askDetach() (tea.Model, tea.Cmd) {
	s, ok := m.list.selected()
	if !ok {
		return m, nil
	}
	if op, busy := m.ops[s.SID]; busy {
		if op == opAttach {
			m.notice = "wait for the attach to finish before detaching"
		}
		return m, nil
	}
	m.confirm = confirmDetach{sender: s, service: m.service}
	m.modal = modalConfirm
	return m, nil
}

func (m Model) onConfirmKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	next, confirmed, done := m.confirm.update(msg)
	m.confirm = next
	if !done {
		return m, nil
	}
	m.modal = modalNone
	if !confirmed {
		return m, nil
	}
	s := m.confirm.sender
	m.ops[s.SID] = opDetach
	client, ctx, svc := m.client, m.ctx, m.service.SID
	return m, tea.Batch(m.spinner.Tick, func() tea.Msg {
		err := client.DeleteChannelSender(ctx, svc, s.SID)
		return detachedMsg{service: svc, sender: s, err: err}
	})
}

func (m Model) onDetached(msg detachedMsg) (tea.Model, tea.Cmd) {
	if msg.service != m.service.SID {
		return m, nil
	}
	sid := msg.sender.SID
	delete(m.ops, sid)
	name := displayOr(msg.sender.Sender, sid)
	switch {
	case msg.err == nil:
		m.notice = "✓ detached " + name
	case api.IsNotFound(msg.err):
		m.notice = name + " was already detached (by someone else): removed from the list"
	default:
		m.relist() // the row stays, its "detaching…" goes
		m.alert = fmt.Errorf("detach %s: %w", name, msg.err)
		return m, nil
	}
	m.senders = removeSID(m.senders, sid)
	m.relist()
	return m, m.loadSenders()
}

func (m Model) onCatalogue(msg catalogueMsg) (tea.Model, tea.Cmd) {
	forForm := m.modal == modalAttach && msg.req == m.form.req
	if msg.req == m.status.req || forForm {
		m.status = m.status.with(msg)
		m.notOnline = m.status.countNotOnline(m.senders)
		m.list.searchAlso(m.status.text)
	}
	if !forForm {
		return m, nil
	}
	if errors.Is(msg.err, context.Canceled) {
		return m, nil
	}
	m.form.addCatalogue(msg.channel, msg.senders, msg.err)
	return m, nil
}

// relist rebuilds the visible rows: the service's senders plus the
// pending rows of attaches in flight.
func (m *Model) relist() {
	m.notOnline = m.status.countNotOnline(m.senders)
	all := m.senders
	if len(m.pending) > 0 {
		all = make([]api.ChannelSender, 0, len(m.senders)+len(m.pending))
		all = append(all, m.senders...)
		all = append(all, m.pending...)
	}
	m.list.setSenders(all, m.status.text)
}

// rowStatus is the right-hand text of a row, in words: an operation in
// flight, else a status other than ONLINE before the country.
func (m Model) rowStatus(s api.ChannelSender) string {
	switch m.ops[s.SID] {
	case opAttach:
		return m.spinner.View() + " attaching…"
	case opDetach:
		return m.spinner.View() + " detaching…"
	}
	if status, ok := m.status.notOnline(s); ok {
		return strings.TrimSpace(status + "  " + s.CountryCode)
	}
	return ""
}

func removeSID(list []api.ChannelSender, sid string) []api.ChannelSender {
	out := list[:0:0]
	for _, s := range list {
		if !strings.EqualFold(s.SID, sid) {
			out = append(out, s)
		}
	}
	return out
}

// quitReport names the changes still in flight: their outcome is unknown.
func (m Model) quitReport() string {
	var lines []string
	for sid, op := range m.ops {
		verb := "attach"
		if op == opDetach {
			verb = "detach"
		}
		lines = append(lines, fmt.Sprintf("%s %s on %s: interrupted, it may or may not have happened (check with: senderpool list --service %s)", verb, sid, m.service.SID, m.service.SID))
	}
	return strings.Join(lines, "\n")
}
