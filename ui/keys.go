package ui

import "charm.land/bubbles/v2/key"

// keyMap is the one keymap of the dashboard; screens pick from it for the
// footer and the full help, so help always shows what is bound.
type keyMap struct {
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Select   key.Binding
	Focus    key.Binding
	Back     key.Binding
	Services key.Binding
	Refresh  key.Binding
	Help     key.Binding
	Quit     key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Select:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "select")),
		Focus:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "details")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Services: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "services")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

func (k keyMap) servicesShort() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Select, k.Refresh, k.Help, k.Quit}
}

func (k keyMap) servicesFull() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Select, k.Refresh, k.Help, k.Quit},
	}
}

func (k keyMap) sendersShort() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Focus, k.Services, k.Refresh, k.Help, k.Quit}
}

func (k keyMap) sendersFull() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Select, k.Focus, k.Back, k.Services},
		{k.Refresh, k.Help, k.Quit},
	}
}
