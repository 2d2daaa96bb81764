package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/senderpool/senderpool/text"
)

// passphraseDialog asks, masked, for the passphrase of a profile kept in
// the encrypted file.
type passphraseDialog struct {
	profile string
	input   textinput.Model
	problem string // why it is asked again: the last one was wrong
	width   int
	height  int
}

// newPassphraseDialog asks for profile's passphrase; wrong says the last
// one given did not open the file.
func newPassphraseDialog(c *common, profile string, wrong bool) passphraseDialog {
	in := newInput(c, "Passphrase ", "for the encrypted secret file", 256)
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.Focus()
	d := passphraseDialog{profile: profile, input: in}
	if wrong {
		d.problem = "that passphrase does not open the file: try again"
	}
	return d
}

func (d passphraseDialog) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		d.input.SetStyles(c.styles.input)
		return d, nil, nil
	case tea.KeyPressMsg:
		k := c.keys.Form
		switch {
		case key.Matches(msg, k.Cancel):
			return d, nil, closeDialog{}
		case key.Matches(msg, k.Submit):
			if d.input.Value() == "" {
				d.problem = "the passphrase is empty"
				return d, nil, nil
			}
			return d, nil, closeDialog{passphraseMsg{profile: d.profile, passphrase: d.input.Value()}}
		}
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return d, cmd, nil
}

func (d passphraseDialog) help(c *common) [][]key.Binding {
	k := c.keys.Form
	open := key.NewBinding(key.WithKeys(k.Submit.Keys()...), key.WithHelp("enter", "open the profile"))
	return [][]key.Binding{{open, k.Cancel}}
}

func (d passphraseDialog) footer(c *common) []key.Binding { return d.help(c)[0] }

func (d passphraseDialog) setSize(w, h int) layer {
	d.width, d.height = w, h
	return d
}

func (d passphraseDialog) takesText() bool { return true }
func (d passphraseDialog) busy() bool      { return false }

func (d passphraseDialog) view(c *common) string {
	st := c.styles
	d.input.SetWidth(max(8, d.width-len(d.input.Prompt)-2))
	lines := []string{
		st.title.Render(fit("Open the profile "+text.Clean(d.profile), d.width)),
		"",
	}
	for _, w := range wrap("Its secret is in the encrypted file: type the file's passphrase (hidden).", d.width) {
		lines = append(lines, st.dim.Render(w))
	}
	lines = append(lines, "", d.input.View(), "")
	if d.problem != "" {
		for _, w := range wrap("✗ "+text.OneLine(d.problem), d.width) {
			lines = append(lines, st.errorText.Render(w))
		}
	}
	return strings.Join(lines, "\n")
}

func (d passphraseDialog) stop() {}
