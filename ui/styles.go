package ui

import (
	"charm.land/bubbles/v2/help"
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
	notice      lipgloss.Style
	separator   lipgloss.Style
	spinner     lipgloss.Style
	help        help.Styles
}

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B4A2FF"))
	muted := ld(lipgloss.Color("#5F5F5F"), lipgloss.Color("#9E9E9E"))
	selBg := ld(lipgloss.Color("#DCD6F7"), lipgloss.Color("#3B3364"))
	selFg := ld(lipgloss.Color("#1A1A1A"), lipgloss.Color("#FFFFFF"))
	errFg := ld(lipgloss.Color("#B00020"), lipgloss.Color("#FF6B6B"))
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
		notice:      lipgloss.NewStyle().Foreground(okFg),
		separator:   lipgloss.NewStyle().Foreground(line),
		spinner:     lipgloss.NewStyle().Foreground(accent),
		help:        help.DefaultStyles(isDark),
	}
}
