package ui

import "charm.land/bubbles/v2/key"

// keyMap holds every key of the dashboard, grouped by the layer that
// answers it. Layers list the bindings they answer; the root delivers a
// key only when the top layer lists it, and footers and help are built
// from the same lists, so help never shows a key that does nothing.
type keyMap struct {
	Global   globalKeys
	List     listKeys
	Services servicesKeys
	Senders  sendersKeys
	Detail   detailKeys
	Filter   filterKeys
	Form     formKeys
	Confirm  confirmKeys
	Login    loginKeys
	Profiles profilesKeys
	Panel    panelKeys
	Report   reportKeys
	Picker   pickerKeys
	Pending  pendingKeys
	Log      logKeys
	Help     helpKeys
}

type globalKeys struct {
	Help     key.Binding
	Quit     key.Binding
	Profiles key.Binding
	Log      key.Binding // the record of changes
}

// listKeys move a cursor through a list.
type listKeys struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding
	Move                                    key.Binding // display only: "↑/↓ move" in footers
}

type servicesKeys struct {
	Open, Filter, Refresh, ClearFilter key.Binding
}

type sendersKeys struct {
	Details, Select, Attach, Detach, Refresh, Filter, Copy, Services, Back, ClearFilter, Dismiss key.Binding

	Info key.Binding // the service panel
	Undo key.Binding // undo the last change made here

	// Marks (marks.go): space toggles and moves down, V marks from the
	// last mark to the cursor, * marks (or unmarks) what the filter shows,
	// U and esc clear them.
	Mark, MarkRange, MarkAll, Unmark, ClearMarks key.Binding

	// Batches (bulk.go): m moves the marked senders (or the highlighted
	// one) to another service; esc stops a batch while it runs.
	Move, StopBatch key.Binding
}

type detailKeys struct {
	Up, Down, Back key.Binding
}

type filterKeys struct {
	Keep, Clear, Leave key.Binding
}

type formKeys struct {
	Submit, Next, Prev, Cancel key.Binding
	// A page of the picker at a time: an account may have thousands of
	// numbers. (home, end and ctrl+f/ctrl+b edit the field.)
	PageDown, PageUp key.Binding
}

type confirmKeys struct {
	Yes, No, Toggle, Choose key.Binding
}

type loginKeys struct {
	Next, Prev, Submit, Toggle, Back key.Binding
}

type profilesKeys struct {
	Switch, New, Back key.Binding
}

// panelKeys are the service panel's own keys; it moves with listKeys.
type panelKeys struct {
	Toggle, Refresh, Back key.Binding
}

// reportKeys are the batch report's: retry what failed or never
// started, scroll a long list, close.
type reportKeys struct {
	Retry, Up, Down, Close key.Binding
}

// pickerKeys are the service picker's; it moves with listKeys.
type pickerKeys struct {
	Choose, Cancel key.Binding
}

// logKeys are the log screen's own keys; it moves with listKeys.
type logKeys struct {
	Refresh, Scope, Back key.Binding
}

// pendingKeys answer the moves cut off half-way, offered at start.
type pendingKeys struct {
	Up, Down, Finish, RollBack, Later key.Binding
}

type helpKeys struct {
	Close key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Global: globalKeys{
			Help:     b([]string{"?"}, "?", "help"),
			Quit:     b([]string{"q"}, "q", "quit"),
			Profiles: b([]string{"p"}, "p", "profiles"),
			Log:      b([]string{"L"}, "L", "log of changes"),
		},
		List: listKeys{
			Up:       b([]string{"up", "k"}, "↑/k", "up"),
			Down:     b([]string{"down", "j"}, "↓/j", "down"),
			Top:      b([]string{"g", "home"}, "g", "top"),
			Bottom:   b([]string{"G", "end"}, "G", "bottom"),
			PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
			PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
			Move:     b([]string{"up", "down"}, "↑/↓", "move"),
		},
		Services: servicesKeys{
			Open:        b([]string{"enter"}, "enter", "select"),
			Filter:      b([]string{"/"}, "/", "filter"),
			Refresh:     b([]string{"r"}, "r", "refresh"),
			ClearFilter: b([]string{"esc"}, "esc", "clear filter"),
		},
		Senders: sendersKeys{
			Details:     b([]string{"tab"}, "tab", "details"),
			Select:      b([]string{"enter"}, "enter", "details"),
			Attach:      b([]string{"a"}, "a", "attach"),
			Detach:      b([]string{"d"}, "d", "detach"),
			Refresh:     b([]string{"r"}, "r", "refresh"),
			Filter:      b([]string{"/"}, "/", "filter"),
			Copy:        b([]string{"y"}, "y", "copy SID"),
			Services:    b([]string{"s"}, "s", "services"),
			Back:        b([]string{"esc"}, "esc", "back to services"),
			ClearFilter: b([]string{"esc"}, "esc", "clear filter"),
			Dismiss:     b([]string{"esc"}, "esc", "dismiss error"),
			Info:        b([]string{"i"}, "i", "info"),
			Undo:        b([]string{"u"}, "u", "undo last change"),
			Mark:        b([]string{"space"}, "space", "mark"),
			MarkRange:   b([]string{"V"}, "V", "mark range"),
			MarkAll:     b([]string{"*"}, "*", "mark all shown"),
			Unmark:      b([]string{"U"}, "U", "clear marks"),
			ClearMarks:  b([]string{"esc"}, "esc", "clear marks"),
			Move:        b([]string{"m"}, "m", "move"),
			StopBatch:   b([]string{"esc"}, "esc", "stop the batch"),
		},
		Detail: detailKeys{
			Up:   b([]string{"up", "k"}, "↑/k", "scroll up"),
			Down: b([]string{"down", "j"}, "↓/j", "scroll down"),
			Back: b([]string{"esc", "tab", "enter"}, "esc", "back to the list"),
		},
		Filter: filterKeys{
			Keep:  b([]string{"enter"}, "enter", "keep filter"),
			Clear: b([]string{"esc"}, "esc", "clear"),
			Leave: b([]string{"up", "down"}, "↑/↓", "keep and move"),
		},
		Form: formKeys{
			Submit:   b([]string{"enter"}, "enter", "attach"),
			Next:     b([]string{"down", "ctrl+n"}, "↓", "next sender"),
			Prev:     b([]string{"up", "ctrl+p"}, "↑", "previous / the field"),
			Cancel:   b([]string{"esc"}, "esc", "cancel"),
			PageDown: b([]string{"pgdown"}, "pgdn", "page down"),
			PageUp:   b([]string{"pgup"}, "pgup", "page up"),
		},
		Confirm: confirmKeys{
			Yes:    b([]string{"y", "Y"}, "y", "yes"),
			No:     b([]string{"n", "N", "esc"}, "n/esc", "no"),
			Toggle: b([]string{"left", "right", "tab", "shift+tab", "h", "l"}, "←/→", "choose"),
			Choose: b([]string{"enter", "space"}, "enter", "confirm the choice"),
		},
		Log: logKeys{
			Refresh: b([]string{"r"}, "r", "refresh"),
			Scope:   b([]string{"A"}, "A", "every service"),
			Back:    b([]string{"esc", "L"}, "esc", "back"),
		},
		Pending: pendingKeys{
			Up:       b([]string{"up", "k"}, "↑/k", "up"),
			Down:     b([]string{"down", "j"}, "↓/j", "down"),
			Finish:   b([]string{"f"}, "f", "finish the move"),
			RollBack: b([]string{"b"}, "b", "roll it back"),
			Later:    b([]string{"l", "esc"}, "l/esc", "later"),
		},
		Login: loginKeys{
			Next:   b([]string{"tab", "down"}, "tab/↓", "next field"),
			Prev:   b([]string{"shift+tab", "up"}, "↑", "previous field"),
			Submit: b([]string{"enter"}, "enter", "log in"),
			Toggle: b([]string{"left", "right", "space"}, "←/→", "keyring or file"),
			Back:   b([]string{"esc"}, "esc", "back"),
		},
		Profiles: profilesKeys{
			Switch: b([]string{"enter"}, "enter", "switch"),
			New:    b([]string{"n"}, "n", "new profile"),
			Back:   b([]string{"esc"}, "esc", "back"),
		},
		Panel: panelKeys{
			Toggle:  b([]string{"enter", "space"}, "enter", "change"),
			Refresh: b([]string{"r"}, "r", "refresh"),
			Back:    b([]string{"esc", "i"}, "esc/i", "back"),
		},
		Report: reportKeys{
			Retry: b([]string{"r"}, "r", "retry"),
			Up:    b([]string{"up", "k"}, "↑/k", "scroll up"),
			Down:  b([]string{"down", "j"}, "↓/j", "scroll down"),
			Close: b([]string{"esc", "enter"}, "esc", "close"),
		},
		Picker: pickerKeys{
			Choose: b([]string{"enter"}, "enter", "choose"),
			Cancel: b([]string{"esc"}, "esc", "cancel"),
		},
		Help: helpKeys{
			Close: b([]string{"?", "esc"}, "?/esc", "close help"),
		},
	}
}

// moves are the list keys as a help group.
func (k listKeys) moves() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown}
}

// enabled keeps the bindings that are on.
func enabled(bs []key.Binding) []key.Binding {
	out := bs[:0:0]
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// flat is every binding of a help layout, in order.
func flat(groups [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
