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
	Attach   key.Binding
	Detach   key.Binding
	Filter   key.Binding
	Copy     key.Binding
	Profiles key.Binding
	Help     key.Binding
	Quit     key.Binding
	Move     key.Binding // display only: ↑/↓ in the footer
}

// newKeyMap builds the keymap; in read-only mode attach and detach are
// unbound, so they are neither matched nor shown in help; p is bound only
// where there are profiles to switch to.
func newKeyMap(readOnly, profiles bool) keyMap {
	k := keyMap{
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
		Attach:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "attach")),
		Detach:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "detach")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy SID")),
		Profiles: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "profiles")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Move:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move")),
	}
	if readOnly {
		k.Attach.SetEnabled(false)
		k.Detach.SetEnabled(false)
	}
	k.Profiles.SetEnabled(profiles)
	return k
}

func (k keyMap) servicesShort() []key.Binding {
	return []key.Binding{k.Move, k.Select, k.Filter, k.Refresh, k.Help, k.Quit}
}

func (k keyMap) servicesFull() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Select, k.Filter, k.Refresh, k.Profiles, k.Help, k.Quit},
	}
}

func (k keyMap) sendersShort() []key.Binding {
	// The footer lists the keys that apply, most useful first: at 80
	// columns everything fits; the full help (?) has the rest.
	return []key.Binding{k.Move, k.Attach, k.Detach, k.Filter, k.Services, k.Help, k.Quit, k.Refresh, k.Copy, k.Focus}
}

func (k keyMap) sendersFull() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Select, k.Focus, k.Back, k.Services, k.Filter, k.Copy},
		{k.Attach, k.Detach, k.Refresh, k.Profiles, k.Help, k.Quit},
	}
}
