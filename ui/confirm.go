package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// confirmDialog asks before something that cannot be taken back. It names
// its target (fixed when it opens) and gives its answer to the layer
// below. Cancel is the default choice, so an absent-minded enter does
// nothing harmful.
type confirmDialog struct {
	question string
	facts    []detailField // what exactly is acted on
	caution  string
	yesLabel string
	onYes    tea.Msg // given to the layer below on yes
	onNo     tea.Msg // given on no; may be nil
	yes      bool    // the yes button has focus
	width    int
	height   int
}

// newConfirmDetach asks before detaching exactly this sender of svc,
// saying what is true of this service: the warnings (api.DetachWarnings,
// in words) and the pool's size against its limit.
func newConfirmDetach(s api.PoolSender, svc api.Service, warnings []string, pool string) confirmDialog {
	caution := "This service stops sending from this sender."
	if len(warnings) > 0 {
		caution = "Caution: " + strings.Join(warnings, "\n")
	}
	return confirmDialog{
		question: "Detach this sender?",
		facts: []detailField{
			{"Sender", text.Or(s.Address, "—")},
			{"Type", text.Clean(api.KindSingular(s.Kind))},
			{"SID", text.Or(s.SID, "—")},
			{"Service", serviceTitleLong(svc)},
			{"Pool", pool},
		},
		caution:  caution,
		yesLabel: "Detach",
		onYes:    detachRequest{sender: s},
	}
}

// confirmNames is how many of the targets a many-detach confirmation
// names; the rest are counted.
const confirmNames = 3

// newConfirmDetachMany asks before detaching exactly these senders of
// svc (the marked ones, hidden included), in one question: how many of
// each kind, the first few by name, and every target's warnings added up.
func newConfirmDetachMany(targets []api.PoolSender, svc api.Service, warnings []string, pool string, hidden int) confirmDialog {
	totals := totalsOf(targets)
	n := len(targets)
	facts := []detailField{{"Senders", fmt.Sprintf("%d: %s", n, kindCounts(totals))}}
	if hidden > 0 {
		facts = append(facts, detailField{"Hidden", fmt.Sprintf("%d of them hidden by the filter", hidden)})
	}
	for i, t := range targets[:min(n, confirmNames)] {
		label := ""
		if i == 0 {
			label = "Names"
		}
		facts = append(facts, detailField{label, text.Or(t.Address, text.Clean(t.SID)) + "  " + text.Clean(t.SID)})
	}
	if n > confirmNames {
		facts = append(facts, detailField{"", fmt.Sprintf("and %d more", n-confirmNames)})
	}
	facts = append(facts, detailField{"Service", serviceTitleLong(svc)}, detailField{"Pool", pool})
	caution := fmt.Sprintf("This service stops sending from these %d senders.", n)
	if len(warnings) > 0 {
		caution = "Caution: " + strings.Join(warnings, "\n")
	}
	return confirmDialog{
		question: fmt.Sprintf("Detach %s?", plural(n, "sender", "senders")),
		facts:    facts,
		caution:  caution,
		yesLabel: fmt.Sprintf("Detach %d", n),
		onYes:    detachManyRequest{senders: targets},
	}
}

// newConfirmMoveOut asks before moving exactly these senders from one
// service to another: how many of each kind, the first few by name, and
// what a move is.
func newConfirmMoveOut(targets []api.PoolSender, from, to api.Service, hidden int) confirmDialog {
	totals := totalsOf(targets)
	alpha := slices.ContainsFunc(targets, func(t api.PoolSender) bool { return t.Kind == api.KindAlpha })
	n := len(targets)
	facts := []detailField{{"Senders", fmt.Sprintf("%d: %s", n, kindCounts(totals))}}
	if hidden > 0 && n > 1 {
		facts = append(facts, detailField{"Hidden", fmt.Sprintf("%d of them hidden by the filter", hidden)})
	}
	for i, t := range targets[:min(n, confirmNames)] {
		label := ""
		if i == 0 {
			label = "Names"
		}
		facts = append(facts, detailField{label, text.Or(t.Address, text.Clean(t.SID)) + "  " + text.Clean(t.SID)})
	}
	if n > confirmNames {
		facts = append(facts, detailField{"", fmt.Sprintf("and %d more", n-confirmNames)})
	}
	facts = append(facts, detailField{"From", serviceTitleLong(from)}, detailField{"To", serviceTitleLong(to)})
	caution := "A move is a detach from " + text.OneLine(text.Or(from.FriendlyName, from.SID)) + ", then an attach to " +
		text.OneLine(text.Or(to.FriendlyName, to.SID)) + "; if the attach fails, the sender is put back."
	if alpha {
		caution += " An alpha sender gets a new SID in the service it joins."
	}
	return confirmDialog{
		question: fmt.Sprintf("Move %s to %s?", plural(n, "sender", "senders"), text.OneLine(text.Or(to.FriendlyName, to.SID))),
		facts:    facts,
		caution:  caution,
		yesLabel: fmt.Sprintf("Move %d", n),
		onYes:    moveOutRequest{to: to, senders: targets},
	}
}

func (d confirmDialog) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil, nil
	}
	k := c.keys.Confirm
	switch {
	case key.Matches(kp, k.Yes):
		return d, nil, closeDialog{d.onYes}
	case key.Matches(kp, k.No):
		return d, nil, closeDialog{d.onNo}
	case key.Matches(kp, k.Toggle):
		d.yes = !d.yes
	case key.Matches(kp, k.Choose):
		if d.yes {
			return d, nil, closeDialog{d.onYes}
		}
		return d, nil, closeDialog{d.onNo}
	}
	return d, nil, nil
}

func (d confirmDialog) help(c *common) [][]key.Binding {
	k := c.keys.Confirm
	yes := key.NewBinding(key.WithKeys(k.Yes.Keys()...), key.WithHelp("y", strings.ToLower(d.yesLabel)))
	no := key.NewBinding(key.WithKeys(k.No.Keys()...), key.WithHelp("n/esc", "cancel"))
	return [][]key.Binding{{yes, no, k.Toggle, k.Choose, c.keys.Global.Quit}}
}

func (d confirmDialog) footer(c *common) []key.Binding { return d.help(c)[0] }

func (d confirmDialog) setSize(w, h int) layer {
	d.width, d.height = w, h
	return d
}

func (d confirmDialog) takesText() bool { return false }
func (d confirmDialog) busy() bool      { return false }

// view lays the dialog out in its size: when the terminal is small, the
// least needed lines go first (blank lines, the caution, the type), so
// the question, the target and both buttons always show.
func (d confirmDialog) view(c *common) string {
	st, width := c.styles, d.width
	type line struct {
		text string
		drop int // 0: always kept; higher goes first
	}
	lines := []line{{st.title.Render(fit(d.question, width)), 0}, {"", 4}}
	labelWidth := 9
	for i, f := range d.facts {
		lw := labelWidth
		if lw+ansi.StringWidth(f.value) > width {
			lw = len(f.label) + 1 // keep a SID whole at 40 columns
		}
		drop := 1
		switch {
		case i == 0:
			drop = 0
		case f.label == "Type":
			drop = 2
		}
		lines = append(lines, line{fit(fit(f.label, lw)+f.value, width), drop})
	}
	if d.caution != "" {
		lines = append(lines, line{"", 4})
		for _, w := range wrap(d.caution, width) {
			lines = append(lines, line{st.warning.Render(w), 3})
		}
	}
	no, yes := "[ Cancel ]", "[ "+d.yesLabel+" ]"
	if d.yes {
		yes = st.selected.Render("› " + d.yesLabel + " ‹")
	} else {
		no = st.selected.Render("› Cancel ‹")
	}
	lines = append(lines, line{"", 4}, line{"  " + no + "   " + yes, 0})
	for level := 4; level > 0 && len(lines) > d.height; level-- {
		for i := len(lines) - 1; i >= 0 && len(lines) > d.height; i-- {
			if lines[i].drop == level {
				lines = append(lines[:i], lines[i+1:]...)
			}
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return strings.Join(out, "\n")
}

func serviceTitleLong(s api.Service) string {
	if s.FriendlyName == "" {
		return text.Clean(s.SID)
	}
	return text.Clean(s.FriendlyName) + " (" + text.Clean(s.SID) + ")"
}

func isCanceled(err error) bool { return errors.Is(err, context.Canceled) }

// wrap breaks text into lines of at most width cells at spaces, keeping
// the text's own line breaks.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrapLine(para, width)...)
	}
	return lines
}

func wrapLine(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	for i := range lines {
		lines[i] = fit(lines[i], width)
	}
	return lines
}

func (d confirmDialog) stop() {}
