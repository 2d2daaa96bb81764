package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/session"
)

type loginOptions struct {
	app        *app
	accountSID string
	apiKeySID  string
	storage    string
	force      bool
}

func newCmdLogin(a *app) *cobra.Command {
	opts := &loginOptions{app: a}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Check credentials and store them as a profile",
		Long: `Check an auth token or an API key (SK… and its secret; Twilio recommends API
keys) with one API call, then store the profile (--profile, default "default")
and keep the secret in the OS keyring, or with --storage file in
<config dir>/<profile>.age encrypted with a passphrase (asked for, or
SENDERPOOL_PASSPHRASE). The region, edge, API URL, default service (--service)
and --read-only given are saved with the profile.

The secret is asked for (hidden) on a terminal, or read from the first line of
stdin; never from a flag. Replacing a profile that exists is asked first on a
terminal, and needs --force elsewhere. Nothing is sent before every local check
has passed.`,
		Example: `  senderpool login --profile work --account-sid AC… --api-key-sid SK…
  printf '%s\n' "$TOKEN" | senderpool login --profile ci --account-sid AC…
  SENDERPOOL_PASSPHRASE=… senderpool login --storage file --account-sid AC… < token.txt`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(cmd, "login takes no arguments (the secret is asked for, never given on the command line)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return runLogin(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.accountSID, "account-sid", "", "the account (AC… `SID`); asked for on a terminal when missing")
	f.StringVar(&opts.apiKeySID, "api-key-sid", "", "an API key (SK… `SID`): the secret is then the key's, not the auth token")
	f.StringVar(&opts.storage, "storage", string(keystore.StorageKeyring), "`where` the secret goes: keyring (the OS keyring) or file (encrypted with a passphrase)")
	f.BoolVar(&opts.force, "force", false, "replace a profile of the same name without asking")
	return cmd
}

func runLogin(ctx context.Context, opts *loginOptions) error {
	a := opts.app
	if err := a.refuseDemo("login"); err != nil {
		return err
	}
	name := a.global.profile
	if name == "" {
		name = "default"
	}
	if err := keystore.ValidateProfileName(name); err != nil {
		return err
	}
	storage, err := keystore.ParseStorage(opts.storage)
	if err != nil {
		return err
	}
	if opts.apiKeySID != "" {
		if err := api.ValidateAPIKeySID(opts.apiKeySID); err != nil {
			return err
		}
	}
	ask := newPrompter(a.sys)
	account := opts.accountSID
	switch {
	case account != "":
		if err := api.ValidateAccountSID(account); err != nil {
			return err
		}
	case !ask.interactive():
		return setupf("login needs --account-sid AC… when stdin is not a terminal")
	}
	mgr, err := a.openStore(ask)
	if err != nil {
		return err
	}
	// What can be settled is, before the person types a secret.
	overwrite, err := replaceAllowed(ctx, mgr.Store(), name, opts.force, ask)
	if err != nil {
		return err
	}
	if account == "" {
		if account, err = ask.line(ctx, "Account SID (AC…): "); err != nil {
			return err
		}
		if err := api.ValidateAccountSID(account); err != nil {
			return err
		}
	}
	l := session.Login{
		Profile: keystore.Profile{
			Name: name, AccountSID: account, APIKeySID: opts.apiKeySID,
			Region: a.global.region, Edge: a.global.edge, APIURL: a.global.apiURL, ReadOnly: a.global.readOnly,
			DefaultService: a.global.service, Storage: storage,
		},
		Overwrite: overwrite || opts.force, // --force also replaces one stored meanwhile
	}
	// Whatever would refuse the login whatever the secret, now.
	if err := mgr.Refuse(ctx, l); err != nil {
		return err
	}
	what := "auth token"
	if opts.apiKeySID != "" {
		what = "API key secret"
	}
	secret, err := ask.secret(ctx, "The "+what+" (input hidden): ")
	if err != nil {
		return err
	}
	if secret == "" {
		if !ask.interactive() {
			return setupf("no %s on stdin, which is not a terminal: pipe it in (printf '%%s\\n' \"$TOKEN\" | senderpool login …); nothing was saved", what)
		}
		return setupf("no %s given: nothing was saved", what)
	}
	var passphrase string
	if storage == keystore.StorageFile {
		// Asked now: a person's typing is not bounded by --timeout.
		if passphrase, err = mgr.Store().NewPassphrase(ctx, name); err != nil {
			return err
		}
	}
	l.Secret, l.Passphrase = secret, passphrase
	var (
		s     *session.Session
		where string
	)
	err = a.within(ctx, func(ctx context.Context) (err error) {
		s, where, err = mgr.Save(ctx, l)
		return err
	})
	if err != nil {
		return fmt.Errorf("login failed, nothing was saved: %w", err)
	}
	kind := "auth token"
	if opts.apiKeySID != "" {
		kind = "API key " + opts.apiKeySID
	}
	fmt.Fprintf(a.sys.Out, "Logged in: profile %q, account %s (%s), checked against %s.\nThe secret is stored %s.\n", name, s.AccountSID, kind, s.Client.BaseURL(), where)
	return nil
}

// replaceAllowed settles a login over a stored profile of the same name:
// --force, or a yes on a terminal; refused elsewhere. It reports whether a
// profile will be replaced.
func replaceAllowed(ctx context.Context, store *keystore.Store, name string, force bool, ask *prompter) (bool, error) {
	p, err := store.Profile(ctx, name)
	switch {
	case errors.Is(err, keystore.ErrProfileNotFound):
		return false, nil
	case err != nil:
		return false, err
	case force:
		return true, nil
	case !ask.interactive():
		return false, setupf("profile %q exists (account %s): --force replaces it (nothing was sent or saved)", name, p.AccountSID)
	}
	ok, err := ask.yes(ctx, fmt.Sprintf("profile %s exists (account %s): replace it? [y/N] ", name, p.AccountSID))
	if err != nil {
		return false, err
	}
	if !ok {
		return false, setupf("profile %q kept: nothing was sent or saved", name)
	}
	return true, nil
}
