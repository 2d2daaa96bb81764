package ui

import (
	"strings"
	"time"

	"github.com/senderpool/senderpool/api"
)

// detailField is one labelled line of the detail pane.
type detailField struct{ label, value string }

// senderFields lists every field of a sender, dates in the given zone.
func senderFields(s api.ChannelSender, loc *time.Location) []detailField {
	typ := displayOr(s.SenderType, "—")
	if kind := api.SenderKind(s); kind != s.SenderType {
		typ += " (shown as " + kind + ")"
	}
	return []detailField{
		{"Sender", displayOr(s.Sender, "—")},
		{"Type", typ},
		{"SID", displayOr(s.SID, "—")},
		{"Country", displayOr(s.CountryCode, "—")},
		{"Service", displayOr(s.MessagingServiceSID, "—")},
		{"Account", displayOr(s.AccountSID, "—")},
		{"Created", formatTime(s.DateCreated, loc)},
		{"Updated", formatTime(s.DateUpdated, loc)},
		{"URL", displayOr(s.URL, "—")},
	}
}

func formatTime(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

// detailView renders the fields as "Label   value" lines, values cut to
// width; offset scrolls the pane when it is shorter than its content.
func detailView(title string, fields []detailField, width, height, offset int, st styles) string {
	const labelWidth = 9
	lines := []string{st.title.Render(fit(title, width))}
	for _, f := range fields {
		lines = append(lines, st.label.Render(fit(f.label, labelWidth))+st.value.Render(fit(f.value, width-labelWidth)))
	}
	body := lines[1:]
	offset = max(0, min(offset, len(body)-(height-1)))
	body = body[offset:]
	return truncateLines(strings.Join(append(lines[:1], body...), "\n"), width, height)
}
