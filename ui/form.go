package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// attachForm is the add form, a dialog: one SID field that validates as
// you type, and a picker of the account's existing senders, filtered by
// the same text, so a person rarely has to paste a SID.
type attachForm struct {
	service   api.Service
	input     textinput.Model
	exclude   map[string]bool // SIDs already in the service
	catalogue []api.AccountSender
	loadErrs  []string // one line per channel that could not be loaded
	loading   int      // channels still loading
	req       int      // request id of this form's catalogue loads
	matches   []int    // catalogue indexes matching the text
	cursor    int      // -1: typing in the field; else index into matches
	offset    int
	width     int
	height    int    // lines the form may use
	refusal   string // why the last submit was refused
}

// catalogueMsg is one channel of GET /v2/Channels/Senders.
type catalogueMsg struct {
	req     int
	channel string
	senders []api.AccountSender
	err     error
}

// draftMsg tells the screen below what the form held when it closed.
type draftMsg struct{ text string }

// newAttachForm opens the form holding value and loads the catalogue.
func newAttachForm(c *common, svc api.Service, value string, exclude map[string]bool) (attachForm, tea.Cmd) {
	in := newInput(c, "Sender ", "a SID, a number, a short code, an alpha sender, or search", 64)
	in.SetValue(value)
	in.Focus()
	f := attachForm{service: svc, input: in, exclude: exclude, loading: len(api.SenderChannels()), req: c.nextID(), cursor: -1}
	f.refilter()
	return f, tea.Batch(catalogueCmds(c.ctx, c.client, f.req)...)
}

// addCatalogue records one channel's senders, or why they could not be loaded.
func (f *attachForm) addCatalogue(channel string, senders []api.AccountSender, err error) {
	f.loading = max(0, f.loading-1)
	if err != nil {
		f.loadErrs = append(f.loadErrs, fmt.Sprintf("%s senders could not be loaded: %s", channelName(channel), text.OneLine(errorText(nil, err))))
		return
	}
	f.catalogue = slices.Clone(f.catalogue) // sorted below: an earlier copy keeps its order
	for _, s := range senders {
		if !f.exclude[s.SID] {
			f.catalogue = append(f.catalogue, s)
		}
	}
	slices.SortFunc(f.catalogue, func(a, b api.AccountSender) int { return strings.Compare(a.SenderID, b.SenderID) })
	f.refilter()
}

func channelName(channel string) string {
	if channel == api.ChannelRCS {
		return "RCS"
	}
	return "WhatsApp"
}

// refilter keeps the catalogue entries whose sender id, SID, status or
// profile name contains the typed text.
func (f *attachForm) refilter() {
	q := strings.ToLower(strings.TrimSpace(f.input.Value()))
	f.matches = nil
	for i, s := range f.catalogue {
		hay := strings.ToLower(s.SenderID + " " + s.SID + " " + s.Status)
		if s.Profile != nil {
			hay += " " + strings.ToLower(s.Profile.Name)
		}
		if q == "" || strings.Contains(hay, q) {
			f.matches = append(f.matches, i)
		}
	}
	if f.cursor >= len(f.matches) {
		f.cursor = len(f.matches) - 1
	}
	f.offset = min(f.offset, max(0, len(f.matches)-1))
}

// typed is the field's text.
func (f attachForm) typed() string { return strings.TrimSpace(f.input.Value()) }

// parsed is what the field names, if it names a sender.
func (f attachForm) parsed() (api.SenderInput, error) { return api.ParseSenderInput(f.typed()) }

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
		if in.SID == "" && in.Kind != api.KindAlpha {
			hint += " (found among the account's senders)"
		}
		if len(f.matches) > 0 && len(f.catalogue) > 0 {
			hint += fmt.Sprintf(" · ↓ picks one of %d below", len(f.matches))
		}
		return true, hint
	case sidish(v):
		return false, "✗ not a sender SID: a SID is XE, PN, SC or AI followed by 32 hex digits"
	case len(f.matches) > 0 && len(f.catalogue) > 0:
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

// selected is the highlighted catalogue sender, if the picker has focus.
func (f attachForm) selected() (api.AccountSender, bool) {
	if f.cursor < 0 || f.cursor >= len(f.matches) {
		return api.AccountSender{}, false
	}
	return f.catalogue[f.matches[f.cursor]], true
}

// channelKind is an account sender's kind, from its address.
func channelKind(s api.AccountSender) string {
	return api.SenderKind(api.ChannelSender{Sender: s.SenderID})
}

// lookup finds a catalogue entry by SID (for the pending row's label).
func (f attachForm) lookup(sid string) (api.AccountSender, bool) {
	for _, s := range f.catalogue {
		if strings.EqualFold(s.SID, sid) {
			return s, true
		}
	}
	return api.AccountSender{}, false
}

func (f attachForm) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case catalogueMsg:
		if msg.req == f.req && !isCanceled(msg.err) {
			f.addCatalogue(msg.channel, msg.senders, msg.err)
		}
		return f, nil, nil
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

func (f attachForm) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	k := c.keys.Form
	switch {
	case key.Matches(msg, k.Cancel):
		return f, nil, closeDialog{draftMsg{f.input.Value()}}
	case key.Matches(msg, k.Next):
		if f.cursor < len(f.matches)-1 {
			f.cursor++
		}
		f.scroll()
		return f, nil, nil
	case key.Matches(msg, k.Prev):
		if f.cursor >= 0 {
			f.cursor--
		}
		f.scroll()
		return f, nil, nil
	case key.Matches(msg, k.Submit):
		if s, ok := f.selected(); ok {
			if err := api.ValidateSenderSID(s.SID); err != nil {
				f.refusal = "✗ cannot attach: the server sent a malformed SID (" + text.Clean(s.SID) + ")"
				return f, nil, nil
			}
			in := api.SenderInput{Kind: api.KindChannelSender, SID: s.SID}
			return f, nil, closeDialog{attachRequest{in: in, label: s.SenderID, kind: channelKind(s)}}
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
		req := attachRequest{in: in, label: in.String(), kind: in.Kind}
		if cat, ok := f.lookup(in.SID); ok && in.SID != "" {
			req.label, req.kind = cat.SenderID, channelKind(cat)
		}
		return f, nil, closeDialog{req}
	}
	return f.edit(msg)
}

// edit types into the field.
func (f attachForm) edit(msg tea.Msg) (layer, tea.Cmd, action) {
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() != before {
		f.refusal = ""
		f.cursor = -1
		f.refilter()
	}
	return f, cmd, nil
}

func (f attachForm) help(c *common) [][]key.Binding {
	k := c.keys.Form
	return [][]key.Binding{{k.Submit, k.Next, k.Prev, k.Cancel}}
}

func (f attachForm) footer(c *common) []key.Binding { return f.help(c)[0] }

func (f attachForm) setSize(w, h int) layer {
	f.width, f.height = w, h
	f.scroll()
	return f
}

func (f attachForm) takesText() bool { return true }
func (f attachForm) busy() bool      { return f.loading > 0 }

// pickerRows is how many catalogue rows fit under the field and hints.
func (f attachForm) pickerRows() int { return max(1, f.height-6-len(f.loadErrs)) }

func (f *attachForm) scroll() {
	rows := f.pickerRows()
	if f.cursor < f.offset {
		f.offset = max(0, f.cursor)
	}
	if f.cursor >= f.offset+rows {
		f.offset = f.cursor - rows + 1
	}
}

func (f attachForm) view(c *common) string {
	st, width := c.styles, f.width
	f.input.SetWidth(max(10, width-len(f.input.Prompt)-2))
	lines := []string{
		st.title.Render(fit("Attach a sender to "+serviceTitle(f.service), width)),
		"",
		f.input.View(),
	}
	_, hint := f.check()
	if f.refusal != "" {
		hint = f.refusal
	}
	if strings.HasPrefix(hint, "✗") {
		lines = append(lines, st.errorText.Render(fit(text.OneLine(hint), width)))
	} else {
		lines = append(lines, st.dim.Render(fit(hint, width)))
	}
	lines = append(lines, "")
	header := "This account's senders not in this service"
	switch {
	case f.loading > 0:
		header = c.spin + " loading this account's senders…"
	case len(f.catalogue) == 0 && len(f.loadErrs) == 0:
		header = "No other WhatsApp or RCS senders on this account"
	}
	lines = append(lines, st.groupHeader.Render(fit(header, width)))
	for _, e := range f.loadErrs {
		lines = append(lines, st.errorText.Render(fit("✗ "+e+" (typing a SID still works)", width)))
	}
	end := min(len(f.matches), f.offset+f.pickerRows())
	for i := f.offset; i < end; i++ {
		s := f.catalogue[f.matches[i]]
		marker := "  "
		if i == f.cursor {
			marker = "› "
		}
		right := fmt.Sprintf("  %-8s %s", text.Clean(s.Status), text.Clean(s.SID))
		line := marker + fit(text.Or(s.SenderID, text.Clean(s.SID)), max(4, width-ansi.StringWidth(marker)-ansi.StringWidth(right))) + right
		if i == f.cursor {
			line = st.selected.Render(fit(line, width))
		}
		lines = append(lines, fit(line, width))
	}
	if len(f.catalogue) > 0 && len(f.matches) == 0 {
		lines = append(lines, st.dim.Render("  no sender matches the text"))
	}
	return strings.Join(lines, "\n")
}

func (f attachForm) stop() {}
