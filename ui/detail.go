package ui

import (
	"strings"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// detailField is one labelled line of the detail pane.
type detailField struct{ label, value string }

// senderFields lists every field of a pool member that its kind has,
// dates in the given zone.
func senderFields(s api.PoolSender, loc *time.Location) []detailField {
	label := "Sender"
	switch s.Kind {
	case api.KindPhoneNumber:
		label = "Number"
	case api.KindShortCode:
		label = "Code"
	case api.KindAlpha:
		label = "Alpha"
	}
	fields := []detailField{
		{label, text.Or(s.Address, "—")},
		{"Kind", text.Or(s.Kind, "—")},
	}
	if s.Kind == api.KindPhoneNumber {
		fields = append(fields, detailField{"Toll-free", map[bool]string{true: "yes", false: "no"}[s.TollFree]})
	}
	if s.Kind == api.KindPhoneNumber || s.Kind == api.KindShortCode {
		fields = append(fields, detailField{"Supports", text.Or(strings.Join(s.Capabilities, ", "), "—")})
	}
	if s.Kind == api.KindAlpha {
		fields = append(fields, detailField{"Sends to", text.Or(s.DestinationCountry, "every country")})
	} else {
		fields = append(fields, detailField{"Country", text.Or(s.Country, "—")})
	}
	return append(fields,
		detailField{"SID", text.Or(s.SID, "—")},
		detailField{"Service", text.Or(s.ServiceSID, "—")},
		detailField{"Created", formatTime(s.DateCreated, loc)},
		detailField{"Updated", formatTime(s.DateUpdated, loc)},
		detailField{"URL", text.Or(s.URL, "—")},
	)
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
	const labelWidth = 10
	lines := []string{st.title.Render(fit(title, width))}
	for _, f := range fields {
		lines = append(lines, st.label.Render(fit(f.label, labelWidth))+st.value.Render(fit(f.value, width-labelWidth)))
	}
	body := lines[1:]
	offset = max(0, min(offset, len(body)-(height-1)))
	body = body[offset:]
	return truncateLines(strings.Join(append(lines[:1], body...), "\n"), width, height)
}
