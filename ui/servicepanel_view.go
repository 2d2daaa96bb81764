package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// Outside text is cut to this many bytes before it is cleaned: no line
// shows more, and a huge value would cost every frame.
const panelMaxText = 1024

// clip cuts outside text to panelMaxText bytes, marking the cut; it is
// cleaned when shown.
func clip(s string) string {
	if len(s) <= panelMaxText {
		return s
	}
	return s[:panelMaxText] + "…"
}

// named is the service with the fields the panel shows clipped.
func (p servicePanel) named() api.Service {
	s := p.service
	s.FriendlyName, s.Usecase = clip(s.FriendlyName), clip(s.Usecase)
	return s
}

func (p servicePanel) banner(c *common) string {
	if p.problem == nil {
		return ""
	}
	hint := ""
	if p.retry {
		hint = retryHint(p.problem)
	}
	return "✗ " + text.OneLine(errorText(c, p.problem)) + hint
}

func (p servicePanel) statusLine(c *common) string {
	st := c.styles
	switch {
	case c.notice != "":
		return st.notice.Render(c.notice)
	case p.saving != "":
		s, _ := settingByID(p.saving)
		return c.spin + " turning " + s.name + " " + onOff(p.savingTo) + "…"
	case p.opening || p.fetch.running:
		return c.spin + " refreshing the settings…"
	}
	for _, r := range p.rows("") {
		if r.id == p.cursor {
			return st.dim.Render(r.hint)
		}
	}
	return ""
}

// panelRow is one line of the panel (an error may take three).
type panelRow struct {
	id      string
	section string // a heading shown above the row when it opens a section
	label   string
	value   string // cleaned
	tone    int
	hint    string
	wraps   bool // the value may take several lines
}

// Tones of a row's value.
const (
	toneNormal = iota
	toneDim
	toneWarn
	toneError
)

// rows are the panel's rows, values as the API sent them (cleaned);
// spin is the spinner's frame.
func (p servicePanel) rows(spin string) []panelRow {
	svc := p.named()
	rows := []panelRow{
		{id: "name", label: "Service", value: text.Or(svc.FriendlyName, "—"), hint: "the service's friendly name"},
		{id: "sid", label: "SID", value: text.Or(svc.SID, "—"), hint: "the Messaging Service's SID"},
		{id: "usecase", label: "Use case", value: text.Or(svc.Usecase, "unknown"), hint: "the use case declared for the service"},
	}
	if strings.TrimSpace(svc.Usecase) == "" {
		rows[2].tone = toneDim
	}
	for i, s := range boolSettings() {
		r := panelRow{id: s.id, label: s.label, value: boolText(s.get(svc)), hint: s.hint}
		if i == 0 {
			r.section = "How Twilio picks a sender"
		}
		if s.get(svc) == nil {
			r.tone = toneDim
		}
		if p.saving == s.id {
			r.value += "  " + spin + " → " + onOff(p.savingTo)
		}
		rows = append(rows, r)
	}
	validity := panelRow{id: "validity", label: "Validity period", value: "unknown", tone: toneDim,
		hint: "how long a message may wait in Twilio's queue before it fails"}
	if v := svc.ValidityPeriod; v != nil {
		validity.value, validity.tone = seconds(*v), toneNormal
	}
	rows = append(rows, validity)
	rows = append(rows, p.campaignRows(spin)...)
	return append(rows, p.poolRows()...)
}

func (p servicePanel) campaignRows(spin string) []panelRow {
	const section = "US A2P campaign"
	switch {
	case p.a2p.running:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: spin + " loading…", hint: "the US A2P 10DLC campaign is being read"}}
	case p.a2p.err != nil:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: "✗ " + text.OneLine(errorText(nil, p.a2p.err)), tone: toneError, wraps: true,
			hint: "the campaign could not be read · r tries again"}}
	case !p.a2pDone:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: "unknown", tone: toneDim, hint: "the campaign has not been read"}}
	case p.campaign == nil:
		return []panelRow{{id: "a2p", section: section, label: "Campaign", value: "none", hint: "no US A2P 10DLC campaign is registered on this service"}}
	}
	camp := p.campaign
	status := panelRow{id: "a2p-status", section: section, label: "Status", value: text.Or(clip(camp.CampaignStatus), "unknown"),
		hint: "US carriers pass 10DLC traffic of a verified campaign only"}
	switch strings.ToUpper(strings.TrimSpace(camp.CampaignStatus)) {
	case "VERIFIED":
	case "FAILED", "SUSPENDED":
		status.tone = toneError
	case "":
		status.tone = toneDim
	default:
		status.tone = toneWarn
	}
	return []panelRow{
		status,
		{id: "a2p-id", label: "Campaign ID", value: text.Or(clip(camp.CampaignID), "—"), hint: "The Campaign Registry's id of the campaign"},
		{id: "a2p-brand", label: "Brand", value: text.Or(clip(camp.BrandRegistrationSID), "—"), hint: "the brand registration the campaign belongs to"},
	}
}

// seconds is a validity period: "14400 s (4 h)".
func seconds(n int) string {
	out := strconv.Itoa(n) + " s"
	switch {
	case n > 0 && n%3600 == 0:
		out += " (" + strconv.Itoa(n/3600) + " h)"
	case n > 0 && n%60 == 0:
		out += " (" + strconv.Itoa(n/60) + " min)"
	}
	return out
}

// Layout of the panel.
const (
	panelMarker   = 2  // "› "
	panelLabelMax = 31 // the longest label and a margin
	panelValueMin = 18 // what the label column leaves at least
	panelErrLines = 3  // an error row's most lines
)

// body is every line below the title, and the line each row starts on.
func (p servicePanel) body(spin string, st *styles) ([]string, map[string]int) {
	width := p.width
	lw := min(panelLabelMax, max(10, width-panelMarker-panelValueMin))
	var lines []string
	at := map[string]int{}
	for _, r := range p.rows(spin) {
		if r.section != "" {
			h := fit(r.section, width)
			if st != nil {
				h = st.groupHeader.Render(h)
			}
			lines = append(lines, h)
		}
		at[r.id] = len(lines)
		lines = append(lines, p.rowLines(r, lw, st)...)
	}
	return lines, at
}

func (p servicePanel) rowLines(r panelRow, lw int, st *styles) []string {
	width := p.width
	if w := ansi.StringWidth(r.value); panelMarker+lw+w > width && len(r.label)+1 < lw && !r.wraps {
		lw = len(r.label) + 1 // keep a SID whole at 40 columns
	}
	values := []string{r.value}
	if r.wraps {
		values = wrap(r.value, max(1, width-panelMarker-lw))
		if len(values) > panelErrLines {
			values = values[:panelErrLines]
			values[panelErrLines-1] = strings.TrimRight(values[panelErrLines-1], " ") + "…"
		}
	}
	selected := r.id == p.cursor
	out := make([]string, len(values))
	for i, v := range values {
		marker, label := "  ", strings.Repeat(" ", lw)
		if i == 0 {
			label = fit(r.label, lw)
			if selected {
				marker = "› "
			}
		}
		line := fit(marker+label+v, width)
		switch {
		case st == nil:
		case selected:
			line = st.selected.Render(line)
		default:
			line = marker + st.label.Render(label) + toneStyle(st, r.tone).Render(fit(v, max(0, width-panelMarker-lw)))
		}
		out[i] = line
	}
	return out
}

func toneStyle(st *styles, tone int) lipgloss.Style {
	switch tone {
	case toneDim:
		return st.dim
	case toneWarn:
		return st.warning
	case toneError:
		return st.errorText
	}
	return st.value
}

// follow scrolls so the cursor's row is on screen, with its section's
// heading when it opens one.
func (p *servicePanel) follow() {
	lines, at := p.body("", nil)
	avail := max(1, p.height-1)
	line, ok := at[p.cursor]
	if !ok {
		p.cursor, line = "sticky", at["sticky"]
	}
	top := line
	if r := p.rows(""); slices.ContainsFunc(r, func(r panelRow) bool { return r.id == p.cursor && r.section != "" }) {
		top = line - 1
	}
	if top < p.offset {
		p.offset = top
	}
	if line >= p.offset+avail {
		p.offset = line - avail + 1
	}
	p.offset = max(0, min(p.offset, len(lines)-avail))
}

func (p servicePanel) view(c *common) string {
	st, width := c.styles, p.width
	lines, _ := p.body(c.spin, &st)
	avail := max(1, p.height-1)
	title := "Service settings"
	if c.readOnly() {
		title += " (read-only)"
	}
	more := ""
	if len(lines) > avail {
		more = fmt.Sprintf("  %d–%d of %d ↑/↓", p.offset+1, min(len(lines), p.offset+avail), len(lines))
	}
	out := []string{ansi.Truncate(st.title.Render(title)+st.dim.Render(more), width, "…")}
	offset := max(0, min(p.offset, len(lines)-avail))
	return strings.Join(append(out, lines[offset:min(len(lines), offset+avail)]...), "\n")
}
