package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// Login form fields, in order.
const (
	fieldProfile = iota
	fieldAccount
	fieldAPIKey
	fieldSecret
	fieldStorage // a toggle, not a text field
	fieldPassphrase
	fieldCount
)

// loginScreen is the login form: the same fields and checks as
// `senderpool login`. Secrets are masked and never leave the form except
// in the request to Sessions.Login.
type loginScreen struct {
	inputs  [fieldCount]textinput.Model // fieldStorage is unused
	file    bool                        // store the secret in the encrypted file instead of the keyring
	noRing  string                      // why the OS keyring cannot be used here, if it cannot
	reason  string                      // why the screen is shown
	canBack bool                        // a screen is below: esc goes back to it
	focus   int
	problem string // why the form was refused, or why login failed
	send    loader
	width   int
	height  int
}

// loginMsg is the reply to a login.
type loginMsg struct {
	req  int
	conn Connection
	err  error
}

// overwriteMsg is the person agreeing to replace an existing profile.
type overwriteMsg struct{}

// newLoginScreen opens the form with the profile name given ("" leaves it
// empty, for a new profile).
func newLoginScreen(c *common, profile, reason string, canBack bool) loginScreen {
	f := loginScreen{noRing: c.noKeyring, file: c.noKeyring != "", reason: reason, canBack: canBack}
	labels := [fieldCount]string{"Profile        ", "Account SID    ", "API key SID    ", "Secret         ", "", "Passphrase     "}
	holders := [fieldCount]string{"a name for this profile", "AC…", "SK… (empty: the secret is the auth token)", "API key secret or auth token", "", "for the encrypted file"}
	for i := range f.inputs {
		in := newInput(c, labels[i], holders[i], 128)
		if i == fieldSecret || i == fieldPassphrase {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
		}
		f.inputs[i] = in
	}
	f.inputs[fieldProfile].SetValue(profile)
	f.focus = fieldAccount
	if profile == "" {
		f.focus = fieldProfile
	}
	f.inputs[f.focus].Focus()
	return f
}

func (f *loginScreen) setFocus(i int) {
	f.inputs[f.focus].Blur()
	f.focus = i
	if i != fieldStorage {
		f.inputs[i].Focus()
	}
}

// move goes to the next usable field (the passphrase only with the file).
func (f *loginScreen) move(dir int) {
	i := f.focus
	for {
		i = (i + dir + fieldCount) % fieldCount
		if i != fieldPassphrase || f.file {
			break
		}
	}
	f.setFocus(i)
}

func (f loginScreen) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

// check refuses what cannot work, before any I/O.
func (f loginScreen) check() string {
	if f.value(fieldProfile) == "" {
		return "a profile name is needed"
	}
	if err := api.ValidateAccountSID(f.value(fieldAccount)); err != nil {
		return err.Error()
	}
	if k := f.value(fieldAPIKey); k != "" {
		if err := api.ValidateAPIKeySID(k); err != nil {
			return err.Error()
		}
	}
	if f.inputs[fieldSecret].Value() == "" {
		return "the secret is empty"
	}
	if !f.file && f.noRing != "" {
		return "the OS keyring cannot be used on this host: store the secret in the encrypted file (←/→ on \"Store secret in\")"
	}
	if f.file && f.inputs[fieldPassphrase].Value() == "" {
		return "the encrypted file needs a passphrase"
	}
	return ""
}

func (f loginScreen) request(overwrite bool) LoginRequest {
	r := LoginRequest{
		Profile:    f.value(fieldProfile),
		AccountSID: f.value(fieldAccount),
		APIKeySID:  f.value(fieldAPIKey),
		Secret:     strings.TrimSpace(f.inputs[fieldSecret].Value()),
		Storage:    "keyring",
		Overwrite:  overwrite,
	}
	if f.file {
		r.Storage, r.Passphrase = "file", f.inputs[fieldPassphrase].Value()
	}
	return r
}

func (f loginScreen) submit(c *common, overwrite bool) (layer, tea.Cmd, action) {
	if c.sessions == nil {
		f.problem = "logging in from the dashboard is not available here; use `senderpool login`"
		return f, nil, nil
	}
	ctx, id := f.send.start(c)
	req, sessions := f.request(overwrite), c.sessions
	return f, func() tea.Msg {
		conn, err := sessions.Login(ctx, req)
		return loginMsg{req: id, conn: conn, err: err}
	}, nil
}

func (f loginScreen) update(c *common, msg tea.Msg) (layer, tea.Cmd, action) {
	switch msg := msg.(type) {
	case loginMsg:
		if !f.send.current(msg.req) {
			return f, nil, nil
		}
		f.send.finish(msg.err)
		switch {
		case errors.Is(msg.err, ErrProfileExists):
			name := f.value(fieldProfile)
			d := confirmDialog{
				question: "Replace the profile " + text.Clean(name) + "?",
				facts:    []detailField{{"Profile", text.Clean(name)}, {"Account", f.value(fieldAccount)}},
				caution:  "A profile of this name exists: its account, key and secret will be replaced by these.",
				yesLabel: "Replace",
				onYes:    overwriteMsg{},
			}
			f.problem = "not saved: " + text.Clean(name) + " exists"
			return f, nil, openDialog{d.setSize(f.width, f.height)}
		case msg.err != nil:
			f.problem = errorText(c, msg.err)
			return f, nil, nil
		}
		return f, nil, connect{msg.conn}
	case overwriteMsg:
		f.problem = ""
		return f.submit(c, true)
	case tea.BackgroundColorMsg:
		for i := range f.inputs {
			f.inputs[i].SetStyles(c.styles.input)
		}
		return f, nil, nil
	case tea.KeyPressMsg:
		return f.onKey(c, msg)
	case tea.PasteMsg:
		return f.edit(msg)
	}
	return f, nil, nil
}

func (f loginScreen) onKey(c *common, msg tea.KeyPressMsg) (layer, tea.Cmd, action) {
	if f.send.running {
		return f, nil, nil
	}
	k := c.keys.Login
	switch {
	case f.canBack && key.Matches(msg, k.Back):
		f.send.abandon()
		return f, nil, popScreen{}
	case key.Matches(msg, k.Next):
		f.move(1)
		return f, nil, nil
	case key.Matches(msg, k.Prev):
		f.move(-1)
		return f, nil, nil
	case key.Matches(msg, k.Submit):
		if problem := f.check(); problem != "" {
			f.problem = problem
			return f, nil, nil
		}
		f.problem = ""
		return f.submit(c, false)
	case f.focus == fieldStorage && key.Matches(msg, k.Toggle):
		f.file = !f.file
		return f, nil, nil
	}
	return f.edit(msg)
}

func (f loginScreen) edit(msg tea.Msg) (layer, tea.Cmd, action) {
	if f.focus == fieldStorage {
		return f, nil, nil
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return f, cmd, nil
}

func (f loginScreen) help(c *common) [][]key.Binding {
	k := c.keys.Login
	back := k.Back
	back.SetEnabled(f.canBack)
	toggle := k.Toggle
	toggle.SetEnabled(f.focus == fieldStorage)
	if f.send.running {
		return [][]key.Binding{{back}}
	}
	return [][]key.Binding{{k.Next, k.Prev, k.Submit, toggle, back}}
}

func (f loginScreen) footer(c *common) []key.Binding { return f.help(c)[0] }

func (f loginScreen) setSize(w, h int) layer {
	f.width, f.height = w, h
	return f
}

func (f loginScreen) takesText() bool {
	return !f.send.running && f.focus != fieldStorage
}

func (f loginScreen) busy() bool                  { return f.send.running }
func (f loginScreen) title(c *common) string      { return "" }
func (f loginScreen) banner(c *common) string     { return "" }
func (f loginScreen) statusLine(c *common) string { return "" }

func (f loginScreen) view(c *common) string {
	st, width := c.styles, f.width
	lines := []string{st.title.Render(fit("Log in to Twilio", width))}
	for _, w := range wrap(text.Lines(f.reason), width) {
		lines = append(lines, st.dim.Render(w))
	}
	lines = append(lines, "")
	for i := range fieldCount {
		marker := "  "
		if i == f.focus {
			marker = "› "
		}
		switch {
		case i == fieldStorage:
			keyring, file := "(•) OS keyring", "( ) encrypted file"
			if f.file {
				keyring, file = "( ) OS keyring", "(•) encrypted file"
			}
			lines = append(lines, fit(marker+"Store secret in "+keyring+"  "+file+"   (←/→)", width))
			if f.noRing != "" {
				for _, w := range wrap("! "+text.OneLine(f.noRing), width) {
					lines = append(lines, st.warning.Render(w))
				}
			}
		case i == fieldPassphrase && !f.file:
			continue
		default:
			in := f.inputs[i]
			in.SetWidth(max(8, width-ansi.StringWidth(marker)-len(in.Prompt)-2))
			lines = append(lines, marker+in.View())
		}
	}
	lines = append(lines, "")
	switch {
	case f.send.running:
		lines = append(lines, c.spin+" checking the credentials with Twilio…")
	case f.problem != "":
		for _, w := range wrap("✗ "+text.Lines(f.problem), width) {
			lines = append(lines, st.errorText.Render(w))
		}
	default:
		for _, w := range wrap("The secret is checked with one API call before it is saved; nothing is saved if it fails.", width) {
			lines = append(lines, st.dim.Render(w))
		}
	}
	return strings.Join(lines, "\n")
}

// switchCmd opens a stored profile.
func switchCmd(ctx context.Context, sessions Sessions, req int, r SwitchRequest) tea.Cmd {
	return func() tea.Msg {
		conn, err := sessions.Switch(ctx, r)
		return switchedMsg{req: req, profile: r.Profile, tried: r.Passphrase != "", conn: conn, err: err}
	}
}

func (f loginScreen) stop() { f.send.stop() }
