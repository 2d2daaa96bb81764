package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type attachOptions struct {
	app    *app
	sender string
	json   bool
}

func newCmdAttach(a *app) *cobra.Command {
	opts := &attachOptions{app: a}
	cmd := &cobra.Command{
		Use:   "attach --service MG… XE…",
		Short: "Attach a sender to a service",
		Long: `Attach one of the account's channel senders (XE…) to a Messaging Service.
Refused with --read-only, or for a profile that is read-only.`,
		Example: `  senderpool attach --service MG… XE…`,
		Args:    senderArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			sid, err := changeTarget(cmd, a, args)
			if err != nil {
				return err
			}
			opts.sender = sid
			return runAttach(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the attached sender as the API sent it")
	return cmd
}

// senderArg wants exactly one argument: the sender's SID.
func senderArg(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usagef(cmd, "%s takes exactly one sender SID (XE…), got %d arguments", cmd.Name(), len(args))
	}
	return nil
}

// changeTarget checks what attach and detach share: not read-only, and a
// well-formed sender SID.
func changeTarget(cmd *cobra.Command, a *app, args []string) (string, error) {
	if a.global.readOnly {
		return "", setupf("%s refused: --read-only is set", cmd.Name())
	}
	sid := strings.TrimSpace(args[0])
	if err := api.ValidateSenderSID(sid); err != nil {
		return "", err
	}
	return sid, nil
}

func runAttach(ctx context.Context, opts *attachOptions) error {
	a := opts.app
	return a.connected(ctx, "attach", true, func(ctx context.Context, conn *connection, service string) error {
		if err := conn.writable("attach"); err != nil {
			return err
		}
		s, err := conn.client.CreateChannelSender(ctx, service, opts.sender)
		if err != nil {
			return fmt.Errorf("attach %s: %w", opts.sender, err)
		}
		if opts.json {
			return writeJSONValue(a.sys.Out, s)
		}
		printf(a.sys.Out, "attached %s (%s, %s) to %s\n", s.Sender, api.SenderKind(*s), s.SID, service)
		return nil
	})
}
