package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/x/term"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
)

// prompter asks questions on the terminal, or reads answers from a
// non-terminal stdin (one per line), never echoing a secret.
type prompter struct {
	io     stdio
	reader *bufio.Reader
}

func newPrompter(io stdio) *prompter { return &prompter{io: io, reader: bufio.NewReader(io.in)} }

func (p *prompter) interactive() bool { return isTerminal(p.io.in) }

// line asks for a visible answer.
func (p *prompter) line(question string) (string, error) {
	if p.interactive() {
		fmt.Fprint(p.io.err, question)
	}
	s, err := p.reader.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) { // EOF: the answer is what came before it, maybe nothing
		return "", fmt.Errorf("read %s: %w", strings.TrimSpace(strings.TrimSuffix(question, ": ")), err)
	}
	return strings.TrimSpace(s), nil
}

// secret asks for a masked answer on a terminal, or takes the next line
// of a piped stdin.
func (p *prompter) secret(question string) (string, error) {
	f, ok := p.io.in.(*os.File)
	if !ok || !p.interactive() {
		return p.line(question)
	}
	fmt.Fprint(p.io.err, question)
	b, err := term.ReadPassword(f.Fd())
	fmt.Fprintln(p.io.err)
	if err != nil {
		return "", fmt.Errorf("read secret: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// passphrase is the file store's passphrase: SENDERPOOL_PASSPHRASE, else
// a masked prompt (twice when creating the file). A nil prompter never
// prompts: the dashboard owns the terminal.
func (p *prompter) passphrase(env environ) func(context.Context, bool) (string, error) {
	return func(_ context.Context, confirm bool) (string, error) {
		if v := env.get("SENDERPOOL_PASSPHRASE"); v != "" {
			return v, nil
		}
		if p == nil || !p.interactive() {
			return "", fmt.Errorf("%w: set SENDERPOOL_PASSPHRASE, or run on a terminal to be asked", keystore.ErrNoPassphrase)
		}
		first, err := p.secret("Passphrase for the encrypted secret file: ")
		if err != nil || !confirm {
			return first, err
		}
		second, err := p.secret("Same passphrase again: ")
		if err != nil {
			return "", err
		}
		if first != second {
			return "", fmt.Errorf("%w: the two passphrases differ", keystore.ErrNoPassphrase)
		}
		return first, nil
	}
}

// openStore builds the keystore and the session manager for this run;
// with ask nil, nothing is ever asked on the terminal.
func openStore(o options, env environ, p *prompter) (*session.Manager, error) {
	store, err := keystore.Open(keystore.Options{
		Getenv:     env.get,
		Passphrase: session.Passphrase(p.passphrase(env)),
	})
	if err != nil {
		return nil, err
	}
	return session.NewManager(store, session.Settings{
		Region: o.region, Edge: o.edge, APIURL: o.apiURL, ReadOnly: o.readOnly,
		UserAgent: "senderpool/" + version,
	}), nil
}

func runLogin(ctx context.Context, o options, env environ, io stdio) error {
	if len(o.args) > 0 {
		return usagef("login takes no arguments (the secret is asked for, never given on the command line)")
	}
	name := o.profile
	if name == "" {
		name = "default"
	}
	if err := keystore.ValidateProfileName(name); err != nil {
		return &usageError{msg: err.Error()}
	}
	storage, err := keystore.ParseStorage(o.storage)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	ask := newPrompter(io)
	mgr, err := openStore(o, env, ask)
	if err != nil {
		return err
	}
	account := o.accountSID
	if account == "" {
		if !ask.interactive() {
			return usagef("login needs --account-sid AC… when stdin is not a terminal")
		}
		if account, err = ask.line("Account SID (AC…): "); err != nil {
			return err
		}
	}
	if err := api.ValidateAccountSID(account); err != nil {
		return &usageError{msg: err.Error()}
	}
	if o.apiKeySID != "" {
		if err := api.ValidateAPIKeySID(o.apiKeySID); err != nil {
			return &usageError{msg: err.Error()}
		}
	}
	what := "Auth token"
	if o.apiKeySID != "" {
		what = "API key secret"
	}
	secret, err := ask.secret(what + " (input hidden): ")
	if err != nil {
		return err
	}
	if secret == "" {
		return usagef("no %s given: nothing was saved", strings.ToLower(what))
	}
	l := session.Login{
		Profile: keystore.Profile{
			Name: name, AccountSID: account, APIKeySID: o.apiKeySID,
			Region: o.region, Edge: o.edge, APIURL: o.apiURL, ReadOnly: o.readOnly,
			DefaultService: o.service, Storage: storage,
		},
		Secret: secret,
	}
	var (
		s     *session.Session
		where string
	)
	err = timed(ctx, o, func(ctx context.Context) (err error) {
		s, where, err = mgr.Save(ctx, l)
		return err
	})
	if err != nil {
		return fmt.Errorf("login failed, nothing was saved: %w", err)
	}
	kind := "auth token"
	if o.apiKeySID != "" {
		kind = "API key " + o.apiKeySID
	}
	fmt.Fprintf(io.out, "Logged in: profile %q, account %s (%s), checked against %s.\nThe secret is stored %s.\n", name, s.AccountSID, kind, s.Client.BaseURL(), where)
	return nil
}

func runLogout(ctx context.Context, o options, env environ, io stdio) error {
	if len(o.args) > 0 {
		return usagef("logout takes no arguments (use --profile NAME)")
	}
	mgr, err := openStore(o, env, newPrompter(io))
	if err != nil {
		return err
	}
	store := mgr.Store()
	name := o.profile
	if name == "" {
		if _, def, err := store.Profiles(); err != nil {
			return err
		} else if def == "" {
			return usagef("no default profile: say which with --profile NAME (see: senderpool profiles)")
		} else {
			name = def
		}
	}
	p, err := store.Profile(name)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if err := timed(ctx, o, func(ctx context.Context) error { return store.Delete(ctx, name) }); err != nil {
		if !o.force {
			return fmt.Errorf("logout %q: %w\n(the profile was kept; --force removes it even when its secret cannot be deleted)", name, err)
		}
		if ferr := store.Forget(name); ferr != nil {
			return ferr
		}
		fmt.Fprintf(io.out, "Removed profile %q. Its secret could not be deleted (%v): remove it by hand.\n", name, err)
		return nil
	}
	fmt.Fprintf(io.out, "Logged out: profile %q removed, and its secret deleted from %s.\n", name, mgr.Where(p))
	return nil
}

func runProfiles(ctx context.Context, o options, env environ, io stdio) error {
	mgr, err := openStore(o, env, newPrompter(io))
	if err != nil {
		return err
	}
	var list []session.Status
	err = timed(ctx, o, func(ctx context.Context) (err error) {
		list, err = mgr.Profiles(ctx)
		return err
	})
	if err != nil {
		return err
	}
	if o.jsonOut {
		type row struct {
			keystore.Profile
			Default   bool   `json:"default"`
			Reachable bool   `json:"reachable"`
			Problem   string `json:"problem,omitempty"`
		}
		rows := make([]row, 0, len(list))
		for _, s := range list {
			r := row{Profile: s.Profile, Default: s.Default, Reachable: s.Reachable == nil}
			if s.Reachable != nil {
				r.Problem = s.Reachable.Error()
			}
			rows = append(rows, r)
		}
		return writeJSON(io.out, rows)
	}
	if len(list) == 0 {
		fmt.Fprintln(io.out, "No profiles. Log in with: senderpool login --profile NAME")
		return nil
	}
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DEFAULT\tPROFILE\tACCOUNT\tAUTH\tSECRET IN\tREACHABLE")
	for _, s := range list {
		def := ""
		if s.Default {
			def = "*"
		}
		auth := "auth token"
		if s.Profile.APIKeySID != "" {
			auth = "API key " + s.Profile.APIKeySID
		}
		reach := "yes"
		if s.Reachable != nil {
			reach = "no: " + firstLine(s.Reachable.Error())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", def, s.Profile.Name, s.Profile.AccountSID, auth, s.Profile.Storage, reach)
	}
	return tw.Flush()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
