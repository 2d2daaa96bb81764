package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/senderpool/senderpool/api"
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

// loginForm is the login screen: the same fields and checks as
// `senderpool login`. Secrets are masked and never leave the form except
// in the request to Sessions.Login.
type loginForm struct {
	inputs  [fieldCount]textinput.Model // fieldStorage is unused
	file    bool                        // store the secret in the encrypted file instead of the keyring
	noRing  string                      // why the OS keyring cannot be used here, if it cannot
	focus   int
	problem string // why the form was refused, or why login failed
	busy    bool
	req     int
}

func newLoginForm(profile, noKeyring string) loginForm {
	f := loginForm{noRing: noKeyring, file: noKeyring != ""}
	labels := [fieldCount]string{"Profile        ", "Account SID    ", "API key SID    ", "Secret         ", "", "Passphrase     "}
	holders := [fieldCount]string{"default", "AC…", "SK… (empty: the secret is the auth token)", "API key secret or auth token", "", "for the encrypted file"}
	for i := range f.inputs {
		in := newInput(labels[i], holders[i], 128)
		if i == fieldSecret || i == fieldPassphrase {
			in.EchoMode = textinput.EchoPassword
			in.EchoCharacter = '•'
		}
		f.inputs[i] = in
	}
	if profile == "" {
		profile = "default"
	}
	f.inputs[fieldProfile].SetValue(profile)
	f.focus = fieldAccount
	f.inputs[fieldAccount].Focus()
	return f
}

func (f *loginForm) setFocus(i int) {
	f.inputs[f.focus].Blur()
	f.focus = i
	if i != fieldStorage {
		f.inputs[i].Focus()
	}
}

// move goes to the next usable field (the passphrase only with the file).
func (f *loginForm) move(dir int) {
	i := f.focus
	for {
		i = (i + dir + fieldCount) % fieldCount
		if i != fieldPassphrase || f.file {
			break
		}
	}
	f.setFocus(i)
}

func (f loginForm) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

// check refuses what cannot work, before any I/O.
func (f loginForm) check() string {
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

func (f loginForm) request() LoginRequest {
	r := LoginRequest{
		Profile:    f.value(fieldProfile),
		AccountSID: f.value(fieldAccount),
		APIKeySID:  f.value(fieldAPIKey),
		Secret:     strings.TrimSpace(f.inputs[fieldSecret].Value()),
		Storage:    "keyring",
	}
	if f.file {
		r.Storage, r.Passphrase = "file", f.inputs[fieldPassphrase].Value()
	}
	return r
}

// loginMsg is the reply to a login or a profile switch.
type loginMsg struct {
	req  int
	conn Connection
	err  error
}

// update handles a key; submit is true when the form should be sent.
func (f loginForm) update(msg tea.Msg) (next loginForm, submit bool, cmd tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "tab", "down":
			f.move(1)
			return f, false, nil
		case "shift+tab", "up":
			f.move(-1)
			return f, false, nil
		case "enter":
			if problem := f.check(); problem != "" {
				f.problem = problem
				return f, false, nil
			}
			f.problem = ""
			return f, true, nil
		case "left", "right", "space":
			if f.focus == fieldStorage {
				f.file = !f.file
				return f, false, nil
			}
		}
	}
	if f.focus == fieldStorage {
		return f, false, nil
	}
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return f, false, cmd
}

func (f loginForm) view(reason string, width int, st styles, spin string) string {
	lines := []string{st.title.Render(fit("Log in to Twilio", width))}
	for _, w := range wrap(cleanLines(reason), width) {
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
				for _, w := range wrap("! "+oneLine(f.noRing), width) {
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
	case f.busy:
		lines = append(lines, spin+" checking the credentials with Twilio…")
	case f.problem != "":
		for _, w := range wrap("✗ "+cleanLines(f.problem), width) {
			lines = append(lines, st.errorText.Render(w))
		}
	default:
		for _, w := range wrap("The secret is checked with one API call before it is saved; nothing is saved if it fails.", width) {
			lines = append(lines, st.dim.Render(w))
		}
	}
	return strings.Join(lines, "\n")
}

// openLogin shows the login screen, with why it is shown.
func (m Model) openLogin(reason string) Model {
	m.login = newLoginForm(m.identity.Profile, m.noKeyring)
	m.styleInputs()
	m.loginReason = reason
	m.screen = screenLogin
	return m
}

func (m Model) onLoginKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.login.busy {
		return m, nil
	}
	if msg.String() == "esc" && m.client != nil {
		m.screen = m.loginReturn
		return m, nil
	}
	form, submit, cmd := m.login.update(msg)
	m.login = form
	if !submit {
		return m, cmd
	}
	if m.sessions == nil {
		m.login.problem = "logging in from the dashboard is not available here; use `senderpool login`"
		return m, nil
	}
	m.login.busy = true
	m.login.req = m.nextReq()
	req, sessions, ctx, id := m.login.request(), m.sessions, m.ctx, m.login.req
	return m, tea.Batch(m.spinner.Tick, func() tea.Msg {
		conn, err := sessions.Login(ctx, req)
		return loginMsg{req: id, conn: conn, err: err}
	})
}

// connect switches the whole dashboard to a new connection.
func (m Model) connect(conn Connection) (tea.Model, tea.Cmd) {
	m.stopSenders()
	if m.pickerStop != nil {
		m.pickerStop()
		m.pickerStop = nil
	}
	m.client, m.identity = bounded(conn.Client, m.timeout), conn.Identity
	m.keys = newKeyMap(m.identity.ReadOnly, m.sessions != nil && !m.identity.Demo)
	m.picker.reset()
	m.status = channelStatus{} // another account's senders
	m.pickerBusy, m.pickerErr, m.modal = false, nil, modalNone
	m.notice = ""
	if conn.Where != "" {
		m.notice = "✓ logged in; the secret is stored " + conn.Where
	}
	if conn.DefaultService != "" && api.ValidateServiceSID(conn.DefaultService) == nil {
		next, cmd := m.openService(api.Service{SID: conn.DefaultService})
		nm := next.(Model)
		fetch := nm.fetchService()
		return nm, tea.Batch(cmd, fetch)
	}
	m.screen = screenServices
	m.layout()
	return m, m.loadServices()
}

func (m Model) onLogin(msg loginMsg) (tea.Model, tea.Cmd) {
	if msg.req != m.login.req {
		return m, nil
	}
	m.login.busy = false
	if msg.err != nil {
		m.login.problem = errorText(msg.err)
		if m.screen == screenProfiles {
			m.profiles.problem = errorText(msg.err)
		}
		return m, nil
	}
	return m.connect(msg.conn)
}

// switchCmd is shared by the login screen and the profile switcher.
func switchCmd(ctx context.Context, sessions Sessions, req int, profile string) tea.Cmd {
	return func() tea.Msg {
		conn, err := sessions.Switch(ctx, SwitchRequest{Profile: profile})
		return loginMsg{req: req, conn: conn, err: err}
	}
}
