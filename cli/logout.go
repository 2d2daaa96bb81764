package cli

import (
	"context"
	"errors"
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
		_, def, err := store.Profiles(ctx)
		if err != nil {
			return err
		}
		if def == "" {
			return setupf("there is no default profile: name one with --profile NAME (senderpool profiles lists them)")
		}
		name = def
	}
	p, err := store.Profile(ctx, name)
	if err != nil {
		return err
	}
	where := fmt.Sprintf("the OS keyring (service %q, account %q)", keystore.KeyringService, name)
	if p.Storage == keystore.StorageFile {
		where = store.SecretFile(name)
	}
	if err := a.within(ctx, func(ctx context.Context) error { return store.Delete(ctx, name) }); err != nil {
		if !secretStuck(ctx, err) {
			// Not the secret's fault: --force would not help.
			return err
		}
		if !opts.force {
			return fmt.Errorf("%w\nThe profile was kept. With --force, logout removes it and leaves the secret in %s.", err, where)
		}
		if ferr := store.Forget(ctx, name); ferr != nil {
			return ferr
		}
		fmt.Fprintf(a.sys.Out, "Removed profile %q. Its secret could not be deleted and is still in %s: remove it by hand.\n", name, where)
		fmt.Fprintf(a.sys.Err, "senderpool: why: %s\n", text.OneLine(firstLine(err.Error())))
		return nil
	}
	fmt.Fprintf(a.sys.Out, "Logged out: removed profile %q and deleted its secret from %s.\n", name, where)
	return nil
}

// secretStuck reports whether a failed Delete failed on the secret alone
// (a keyring that cannot be reached, a file that cannot be removed), the
// case --force is for; not a config that is locked or cannot be used, nor
// an interruption.
func secretStuck(ctx context.Context, err error) bool {
	for _, config := range []error{keystore.ErrConfigLocked, keystore.ErrConfigUnsafe, keystore.ErrConfigCorrupt, keystore.ErrProfileNotFound} {
		if errors.Is(err, config) {
			return false
		}
	}
	return ctx.Err() == nil
}
