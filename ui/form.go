package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// attachForm is the add form, a dialog: one field that validates as you
// type, and a picker of the account's senders not in the service (channel
// senders, phone numbers, short codes), filtered by the same text, so a
// person rarely has to paste a SID.
type attachForm struct {
	service api.Service
	input   textinput.Model
	exclude map[string]bool // SIDs already in the service
	picker
	req        int    // request id of this form's catalogue loads (the screen below reads them too)
	numbers    loader // the account's phone numbers, page by page
	shortCodes loader // the account's short codes, page by page
	width      int
	height     int    // lines the form may use
	refusal    string // why the last submit was refused
}

// catalogueMsg is one channel of GET /v2/Channels/Senders.
type catalogueMsg struct {
	req     int
	channel string
	senders []api.AccountSender
	err     error
}

// The picker's other sources answer a page at a time (streamPages).
type (
	numbersPageMsg    = pageMsg[api.IncomingPhoneNumber]
	shortCodesPageMsg = pageMsg[api.AccountShortCode]
)

// draftMsg tells the screen below what the form held when it closed.
type draftMsg struct{ text string }

// newAttachForm opens the form holding value and loads every source of
// the picker at once.
func newAttachForm(c *common, svc api.Service, value string, exclude map[string]bool) (attachForm, tea.Cmd) {
	in := newInput(c, "Sender ", "a SID, a number, a short code, an alpha sender, or search", 64)
	in.SetValue(value)
	in.Focus()
	f := attachForm{service: svc, input: in, exclude: exclude, picker: newPicker(), req: c.nextID()}
	f.setQuery(value)
	client := c.client
	numCtx, numReq := f.numbers.start(c)
	scCtx, scReq := f.shortCodes.start(c)
	cmds := append(catalogueCmds(c.ctx, client, f.req),
		streamPages(numCtx, numReq, client.ListIncomingPhoneNumbersPages),
		streamPages(scCtx, scReq, client.ListAccountShortCodesPages))
	return f, tea.Batch(cmds...)
}

// addCatalogue records one channel's senders, or why they could not be loaded.
func (f *attachForm) addCatalogue(channel string, senders []api.AccountSender, err error) {
	src := channelSource(channel)
	f.received(src, len(senders))
	f.ended(src, err)
	if err != nil {
		return
	}
	addEntries(f, senders, channelEntry, func(s api.AccountSender) string { return s.SID })
}

// addEntries adds what a source sent, without the senders in the service.
func addEntries[T any](f *attachForm, items []T, entry func(T) pickEntry, sid func(T) string) {
	var add []pickEntry
	for _, it := range items {
		if !f.exclude[sid(it)] {
			add = append(add, entry(it))
		}
	}
	f.add(add)
	f.scroll(f.pickerRows())
}

func channelName(channel string) string {
	if channel == api.ChannelRCS {
		return "RCS"
	}
	return "WhatsApp"
}

// typed is the field's text.
func (f attachForm) typed() string { return strings.TrimSpace(f.input.Value()) }

// parsed is what the field names, if it names a sender. An alpha
// sender for one destination country ends in @ and the country:
// "Acme GmbH@DE" (an alpha sender holds no @).
func (f attachForm) parsed() (api.SenderInput, error) {
	typed := f.typed()
	if name, country, ok := strings.Cut(typed, "@"); ok && !strings.Contains(name, ":") {
		in, err := api.ParseSenderInput(name)
		if err != nil {
			return in, err
		}
		if in.Kind != api.KindAlpha {
			return api.SenderInput{}, fmt.Errorf("only an alpha sender takes @COUNTRY (Acme@DE); %s is a %s", text.OneLine(name), strings.ToLower(strings.TrimSuffix(in.Kind, "s")))
		}
		if in.Country, err = api.NormalizeCountryCode(strings.TrimSpace(country)); err != nil {
			return api.SenderInput{}, err
		}
		return in, nil
	}
	return api.ParseSenderInput(typed)
}

// check validates the field as you type: ok, and a one-line hint.
func (f attachForm) check() (ok bool, hint string) {
	v := f.typed()
	if v == "" {
		return false, "type a SID (PN…, SC…, XE…), +14155550100, a short code, whatsapp:+1…, or an alpha sender; or pick below with ↓"
	}
	in, err := f.parsed()
	switch {
	case looksLikeSIDPrefix(v):
		// A SID cut short is never taken for an alpha sender.
		return false, fmt.Sprintf("%d of 34 characters", len(v))
	case err == nil && in.SID != "" && f.exclude[in.SID]:
		return false, "✗ " + in.SID + " is already in this service"
	case err == nil:
		hint := "✓ " + strings.ToLower(strings.TrimSuffix(in.Kind, "s")) + " " + text.Clean(in.String()) + ": enter attaches it"
		switch {
		case in.SID == "" && in.Kind != api.KindAlpha:
			hint += " (found among the account's senders)"
		case in.Kind == api.KindAlpha && in.Country == "":
			hint += " for every country (@DE: for one)"
		}
		if len(f.matches) > 0 && f.total > 0 {
			hint += fmt.Sprintf(" · ↓ picks one of %d below", len(f.matches))
		}
		return true, hint
	case sidish(v):
		return false, "✗ not a sender SID: a SID is XE, PN, SC or AI followed by 32 hex digits"
	case len(f.matches) > 0 && f.total > 0:
		return false, "searching the senders below"
	}
	return false, "✗ " + text.OneLine(err.Error())
}

// sidish reports text that can only be meant as a SID: two capitals of
// a SID prefix, no space, and too long for an alpha sender (11).
func sidish(v string) bool {
	return len(v) > 11 && slices.Contains([]string{"XE", "PN", "SC", "AI", "MG", "AC", "SK", "QE"}, v[:2]) && !strings.ContainsAny(v, " :+")
}

// looksLikeSIDPrefix reports whether v could still become a valid SID of
// the pool (XE, PN, SC, AI and 32 hex digits).
func looksLikeSIDPrefix(v string) bool {
	if len(v) >= 34 || len(v) < 2 || !slices.Contains([]string{"XE", "PN", "SC", "AI"}, v[:2]) {
		return false
	}
	for _, c := range v[2:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// channelKind is an account sender's kind, from its address.
func channelKind(s api.AccountSender) string {
	return api.SenderKind(api.ChannelSender{Sender: s.SenderID})
}

func (f attachForm) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case catalogueMsg:
		if msg.req == f.req && !isCanceled(msg.err) {
			f.addCatalogue(msg.channel, msg.senders, msg.err)
		}
		return f, nil, nil
	case numbersPageMsg:
		cmd := pageIn(&f, srcNumbers, &f.numbers, msg, numberEntry, func(n api.IncomingPhoneNumber) string { return n.SID })
		return f, cmd, nil
	case shortCodesPageMsg:
		cmd := pageIn(&f, srcShortCodes, &f.shortCodes, msg, shortCodeEntry, func(s api.AccountShortCode) string { return s.SID })
		return f, cmd, nil
	case tea.BackgroundColorMsg:
		f.input.SetStyles(c.styles.input)
		return f, nil, nil
	case tea.KeyPressMsg:
		return f.onKey(c, msg)
	case tea.PasteMsg:
		return f.edit(msg)
	}
	return f, nil, nil
}

// pageIn puts a page of one of the 2010 lists in the picker and asks for
// the next, or records how the list ended. A stale page is dropped.
func pageIn[T any](f *attachForm, src int, l *loader, msg pageMsg[T], entry func(T) pickEntry, sid func(T) string) tea.Cmd {
	if !l.current(msg.req) {
		return nil
	}
	if !msg.done {
		f.received(src, len(msg.items))
		addEntries(f, msg.items, entry, sid)
		return msg.next
	}
	l.finish(msg.err)
	err := msg.err
	if isCanceled(err) {
		err = nil // the form closed or the dashboard quits: nothing to say
	}
	f.ended(src, err)
	f.scroll(f.pickerRows())
	return nil
}

func (f attachForm) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	k := c.keys.Form
	switch {
	case key.Matches(msg, k.Cancel):
		return f, nil, closeDialog{draftMsg{f.input.Value()}}
	case key.Matches(msg, k.Next):
		f.move(f.cursor + 1)
		f.scroll(f.pickerRows())
		return f, nil, nil
	case key.Matches(msg, k.Prev):
		f.move(f.cursor - 1)
		f.scroll(f.pickerRows())
		return f, nil, nil
	case key.Matches(msg, k.PageDown, k.PageUp):
		step := max(1, f.pickerRows()-1)
		if key.Matches(msg, k.PageUp) {
			step = -step
		}
		f.move(f.cursor + step) // up past the first row is the field, as ↑
		f.scroll(f.pickerRows())
		return f, nil, nil
	case key.Matches(msg, k.Submit):
		return f.submit(c)
	}
	return f.edit(msg)
}

// submit answers with the highlighted sender, else with what was typed if
// it names one. A picked sender that another service holds (as the index
// read it) cannot be attached (Twilio answers 21712 or 20409): the answer
// is the offer to move it here instead. What was typed goes to Twilio as
// typed, which says why when it is refused.
func (f attachForm) submit(c *common) (layer, tea.Cmd, action) {
	if e, ok := f.selected(); ok {
		if err := api.ValidateSID(e.prefix(), e.SID); err != nil {
			f.refusal = "✗ cannot attach: the server sent a malformed SID (" + text.Clean(e.SID) + ")"
			return f, nil, nil
		}
		if hs := c.holdersOf(e.SID, f.service.SID); len(hs) > 0 {
			return f.offerMove(c, hs)
		}
		in := api.SenderInput{Kind: api.SIDKind(e.SID), SID: e.SID}
		return f, nil, closeDialog{attachRequest{in: in, label: e.label, kind: e.kind}}
	}
	if ok, hint := f.check(); !ok {
		v := f.typed()
		switch {
		case strings.HasPrefix(hint, "✗"):
		case sidish(v) || looksLikeSIDPrefix(v):
			hint = "✗ not a sender SID: a SID is XE, PN, SC or AI followed by 32 hex digits"
		default:
			hint = "✗ type a SID (PN…, SC…, XE…), a number (+14155550100), a short code, whatsapp:+1…, or an alpha sender"
		}
		f.refusal = hint
		return f, nil, nil
	}
	in, _ := f.parsed()
	req := attachRequest{in: in, label: in.String(), kind: in.Kind, typed: f.typed()}
	if e, ok := f.lookup(in.SID); ok && in.SID != "" {
		req.label, req.kind = e.label, e.kind
	}
	return f, nil, closeDialog{req}
}

// offerMove closes the form and asks whether to move the sender here from
// the one service that holds it; held by several, it is refused.
func (f attachForm) offerMove(c *common, hs []holder) (layer, tea.Cmd, action) {
	if len(hs) > 1 {
		f.refusal = "✗ " + heldText(c, hs) + ": detach it there first (a sender is in one service at a time)"
		return f, nil, nil
	}
	d := newConfirmMove(c, hs[0].sender, hs[0].service, f.service)
	d.onNo = draftMsg{f.input.Value()}
	return f, nil, actions{closeDialog{}, openDialog{d.setSize(f.width, f.height)}}
}

// heldText names the services that hold a sender: "in Acme Marketing",
// "in 2 services".
func heldText(c *common, hs []holder) string {
	if len(hs) == 1 {
		return "in " + text.Or(c.names[hs[0].service], text.Clean(hs[0].service))
	}
	return fmt.Sprintf("in %d services", len(hs))
}

// edit types into the field.
func (f attachForm) edit(msg tea.Msg) (layer, tea.Cmd, action) {
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() != before {
		f.refusal = ""
		f.setQuery(f.input.Value())
	}
	return f, cmd, nil
}

func (f attachForm) help(c *common) [][]key.Binding {
	k := c.keys.Form
	return [][]key.Binding{{k.Submit, k.Next, k.Prev, k.Cancel}, {k.PageDown, k.PageUp}}
}

func (f attachForm) footer(c *common) []key.Binding { return f.help(c)[0] }

func (f attachForm) setSize(w, h int) layer {
	f.width, f.height = w, h
	f.scroll(f.pickerRows())
	return f
}

func (f attachForm) takesText() bool { return true }
func (f attachForm) busy() bool      { return f.loading() }

// stop cancels the pages still coming: the picker is gone.
func (f attachForm) stop() {
	f.numbers.stop()
	f.shortCodes.stop()
}
