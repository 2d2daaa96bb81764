package cli

import (
	"context"

	"github.com/spf13/cobra"
)

type servicesOptions struct {
	app  *app
	json bool
}

func newCmdServices(a *app) *cobra.Command {
	opts := &servicesOptions{app: a}
	cmd := &cobra.Command{
		Use:   "services",
		Short: "List the account's Messaging Services",
		Long: `List the account's Messaging Services: SID, friendly name and creation time,
one a line ("-" for a field the API left empty).`,
		Example: `  senderpool services
  senderpool services --json | jq -r '.[].sid'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServices(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array of the API's service objects as sent, one a line")
	return cmd
}

func runServices(ctx context.Context, opts *servicesOptions) error {
	a := opts.app
	return a.connected(ctx, "services", false, func(ctx context.Context, conn *connection, _ string) error {
		if opts.json {
			raw, err := conn.client.ListServicesJSON(ctx)
			if err != nil {
				return err
			}
			return writeJSON(a.sys.Out, raw)
		}
		services, err := conn.client.ListServices(ctx)
		if err != nil {
			return err
		}
		t := newTable(a.sys.Out, "SID", "FRIENDLY NAME", "CREATED")
		for _, s := range services {
			t.row(s.SID, s.FriendlyName, date(s.DateCreated))
		}
		return t.flush()
	})
}
