package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/keystore"
	"github.com/senderpool/senderpool/text"
)

type logoutOptions struct {
	app   *app
	force bool
}

func newCmdLogout(a *app) *cobra.Command {
	opts := &logoutOptions{app: a}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Delete a profile and its secret",
		Long: `Delete a profile (--profile, else the default one) and its secret, from the OS
keyring or its encrypted file. When the secret cannot be deleted (no keyring
here) the profile is kept, unless --force.`,
		Example: `  senderpool logout --profile work`,
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runLogout(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.force, "force", false, "remove the profile even when its secret cannot be deleted")
	return cmd
}

func runLogout(ctx context.Context, opts *logoutOptions) error {
	a := opts.app
	if err := a.refuseDemo("logout"); err != nil {
		return err
	}
	mgr, err := a.openStore(newPrompter(a.sys))
	if err != nil {
		return err
	}
	store := mgr.Store()
	name := a.global.profile
	if name == "" {
		_, def, err := store.Profiles()
		if err != nil {
			return err
		}
		if def == "" {
			return setupf("there is no default profile: name one with --profile NAME (senderpool profiles lists them)")
		}
		name = def
	}
	p, err := store.Profile(name)
	if err != nil {
		return err
	}
	if err := a.within(ctx, func(ctx context.Context) error { return store.Delete(ctx, name) }); err != nil {
		if !opts.force {
			return fmt.Errorf("profile %q was kept, because its secret could not be deleted (--force removes the profile anyway): %w", name, err)
		}
		if ferr := store.Forget(name); ferr != nil {
			return ferr
		}
		fmt.Fprintf(a.sys.Out, "Removed profile %q. Its secret could not be deleted, so remove it by hand (%s).\n", name, text.OneLine(firstLine(err.Error())))
		return nil
	}
	if p.Storage == keystore.StorageFile {
		fmt.Fprintf(a.sys.Out, "Logged out: removed profile %q and deleted its encrypted secret file %s.\n", name, store.SecretFile(name))
	} else {
		fmt.Fprintf(a.sys.Out, "Logged out: removed profile %q and deleted its secret from the OS keyring (service %q, account %q).\n", name, keystore.KeyringService, name)
	}
	return nil
}
