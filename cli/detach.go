package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type detachOptions struct {
	app    *app
	sender string
	yes    bool
	json   bool
}

func newCmdDetach(a *app) *cobra.Command {
	opts := &detachOptions{app: a}
	cmd := &cobra.Command{
		Use:   "detach --service MG… XE…",
		Short: "Detach a sender from a service (asks first)",
		Long: `Detach a channel sender (XE…) from a Messaging Service. On a terminal it names
the sender and asks first (the answer is not timed); elsewhere it needs --yes.
Refused with --read-only, or for a profile that is read-only.`,
		Example: `  senderpool detach --service MG… XE…
  senderpool detach --service MG… XE… --yes --json`,
		Args: senderArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			sid, err := changeTarget(cmd, a, args)
			if err != nil {
				return err
			}
			opts.sender = sid
			return runDetach(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.yes, "yes", false, "detach without asking (needed when not on a terminal)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the detached sender as the API sent it before")
	return cmd
}

func runDetach(ctx context.Context, opts *detachOptions) error {
	a := opts.app
	ask := newPrompter(a.sys)
	if !opts.yes && !(ask.interactive() && isTerminal(a.sys.Err)) {
		return setupf("detach needs --yes when not run on a terminal (nothing was changed)")
	}
	conn, service, err := a.connectTo(ctx, "detach", true, ask)
	if err != nil {
		return err
	}
	defer conn.close()
	if err := conn.writable("detach"); err != nil {
		return err
	}
	var s *api.ChannelSender
	if !opts.yes || opts.json {
		// Name the sender in the question, and print it with --json.
		err := a.within(ctx, func(ctx context.Context) (err error) {
			s, err = conn.client.FetchChannelSender(ctx, service, opts.sender)
			return err
		})
		if err != nil {
			return fmt.Errorf("detach %s: %w", opts.sender, err)
		}
	}
	if !opts.yes {
		// The question is outside --timeout: a person may take their time.
		var q strings.Builder
		printf(&q, "Detach %s (%s, %s) from %s?\nRouting may change (sticky sender). [y/N] ",
			s.Sender, api.SenderKind(*s), s.SID, service)
		ok, err := ask.yes(ctx, q.String())
		if err != nil {
			return err
		}
		if !ok {
			return setupf("not detached")
		}
	}
	err = a.within(ctx, func(ctx context.Context) error { return conn.client.DeleteChannelSender(ctx, service, opts.sender) })
	if err != nil {
		return fmt.Errorf("detach %s: %w", opts.sender, err)
	}
	if opts.json {
		return writeJSONValue(a.sys.Out, s)
	}
	printf(a.sys.Out, "detached %s from %s\n", opts.sender, service)
	return nil
}
