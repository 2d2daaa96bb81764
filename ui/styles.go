package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// styles holds every style of the dashboard, built for a dark or light
// background. State is never shown by colour alone: selection has a marker,
// errors a ✗, badges their text.
type styles struct {
	app         lipgloss.Style
	badge       lipgloss.Style
	dim         lipgloss.Style
	title       lipgloss.Style
	groupHeader lipgloss.Style
	selected    lipgloss.Style
	label       lipgloss.Style
	value       lipgloss.Style
	errorText   lipgloss.Style
	warning     lipgloss.Style
	notice      lipgloss.Style
	separator   lipgloss.Style
	spinner     lipgloss.Style
	help        help.Styles
	input       textinput.Styles
}

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B4A2FF"))
	muted := ld(lipgloss.Color("#5F5F5F"), lipgloss.Color("#9E9E9E"))
	// The selection moves on every keypress: 256-colour codes are half the
	// bytes of 24-bit ones on the wire. Near the accent, strong enough for
	// a mark of two cells.
	selBg := ld(lipgloss.Color("61"), lipgloss.Color("141"))
	selFg := ld(lipgloss.Color("231"), lipgloss.Color("16"))
	errFg := ld(lipgloss.Color("#B00020"), lipgloss.Color("#FF6B6B"))
	warnFg := ld(lipgloss.Color("#8A4B00"), lipgloss.Color("#FFC66D"))
	okFg := ld(lipgloss.Color("#1B6E20"), lipgloss.Color("#7BD88F"))
	line := ld(lipgloss.Color("#BDBDBD"), lipgloss.Color("#4E4E4E"))

	return styles{
		app:         lipgloss.NewStyle().Bold(true).Foreground(accent),
		badge:       lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1A1A"))).Background(accent),
		dim:         lipgloss.NewStyle().Foreground(muted),
		title:       lipgloss.NewStyle().Bold(true),
		groupHeader: lipgloss.NewStyle().Bold(true).Foreground(accent),
		selected:    lipgloss.NewStyle().Bold(true).Foreground(selFg).Background(selBg),
		label:       lipgloss.NewStyle().Foreground(muted),
		value:       lipgloss.NewStyle(),
		errorText:   lipgloss.NewStyle().Foreground(errFg),
		warning:     lipgloss.NewStyle().Foreground(warnFg),
		notice:      lipgloss.NewStyle().Foreground(okFg),
		separator:   lipgloss.NewStyle().Foreground(line),
		spinner:     lipgloss.NewStyle().Foreground(accent),
		help:        helpStyles(muted),
		input:       inputStyles(accent, muted),
	}
}

// helpStyles keeps the key names in the terminal's own text colour, bold,
// and the rest muted: bubbles' defaults are too faint on either background.
func helpStyles(muted color.Color) help.Styles {
	key := lipgloss.NewStyle().Bold(true)
	desc := lipgloss.NewStyle().Foreground(muted)
	return help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: desc, Ellipsis: desc,
		FullKey: key, FullDesc: desc, FullSeparator: desc,
	}
}

// inputStyles: the prompt in the accent colour, typed text in the
// terminal's own, the placeholder muted (bubbles' default prompt is light
// grey, invisible on a light background).
func inputStyles(accent, muted color.Color) textinput.Styles {
	state := textinput.StyleState{
		Text:        lipgloss.NewStyle(),
		Placeholder: lipgloss.NewStyle().Foreground(muted),
		Suggestion:  lipgloss.NewStyle().Foreground(muted),
		Prompt:      lipgloss.NewStyle().Bold(true).Foreground(accent),
	}
	st := textinput.Styles{Focused: state, Blurred: state}
	st.Cursor.Color = accent
	st.Cursor.Shape = tea.CursorBlock
	st.Cursor.Blink = false
	return st
}
