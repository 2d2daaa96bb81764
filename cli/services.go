package cli

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
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
			return streamJSON(a.sys.Out, func(page func([]json.RawMessage) error) error {
				return conn.client.ListServicesJSONPages(ctx, page)
			})
		}
		// The table is in the API's order, so it is printed page by page
		// too; tabwriter holds the rows until the end to align them.
		t := newTable(a.sys.Out, "SID", "FRIENDLY NAME", "CREATED")
		seen := sidSet{}
		err := conn.client.ListServicesPages(ctx, func(page []api.Service) error {
			for _, s := range page {
				if seen.first(s.SID) {
					t.row(s.SID, s.FriendlyName, date(s.DateCreated))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return t.flush()
	})
}
