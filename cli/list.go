package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type listOptions struct {
	app    *app
	json   bool
	status bool
}

func newCmdList(a *app) *cobra.Command {
	opts := &listOptions{app: a}
	cmd := &cobra.Command{
		Use:   "list --service MG…",
		Short: "List a service's channel senders",
		Long: `List the channel senders (WhatsApp, Messenger, RCS) of a Messaging Service, in
the dashboard's order: SID, type, sender, country and creation time ("-" for a
field the API left empty). --service, or the profile's default service, says
which.`,
		Example: `  senderpool list --service MG…
  senderpool list --service MG… --status | awk 'NR>1 && $NF!="ONLINE" && $NF!="-"'
  senderpool list --service MG… --json | jq -r '.[].sender'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(cmd, "list takes no arguments besides --service")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.status && opts.json {
				return usagef(cmd, "--status adds a column to the list table (--json prints the API's objects as they are)")
			}
			return runList(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array of the API's sender objects as sent, one a line")
	cmd.Flags().BoolVar(&opts.status, "status", false, "add a STATUS column (ONLINE, OFFLINE…) for WhatsApp and RCS senders, from the Senders API")
	return cmd
}

func runList(ctx context.Context, opts *listOptions) error {
	a := opts.app
	return a.connected(ctx, "list", true, func(ctx context.Context, conn *connection, service string) error {
		if opts.json {
			// Page by page as they come: memory stays that of one page
			// however long the list.
			return streamJSON(a.sys.Out, func(page func([]json.RawMessage) error) error {
				return conn.client.ListChannelSendersJSONPages(ctx, service, page)
			})
		}
		var awaitStatuses func(listErr error) (map[string]string, error)
		if opts.status {
			awaitStatuses = startSenderStatuses(ctx, conn.client)
		}
		senders, err := listSenders(ctx, conn.client, service)
		var statuses map[string]string
		if awaitStatuses != nil {
			statuses, err = awaitStatuses(err)
		}
		if err != nil {
			return err
		}
		header := []string{"SID", "TYPE", "SENDER", "COUNTRY", "CREATED"}
		if opts.status {
			header = append(header, "STATUS")
		}
		t := newTable(a.sys.Out, header...)
		for _, s := range api.SortSenders(senders) {
			row := []string{s.SID, api.SenderKind(s), s.Sender, s.CountryCode, date(s.DateCreated)}
			if opts.status {
				row = append(row, statuses[s.SID])
			}
			t.row(row...)
		}
		return t.flush()
	})
}

// listSenders is every sender of a service, a SID listed on two pages
// once (the first time). The table is sorted, so it needs them all; the
// api's ceiling bounds how many.
func listSenders(ctx context.Context, client *api.Client, service string) ([]api.ChannelSender, error) {
	var all []api.ChannelSender
	seen := sidSet{}
	err := client.ListChannelSendersPages(ctx, service, func(page []api.ChannelSender) error {
		for _, s := range page {
			if seen.first(s.SID) {
				all = append(all, s)
			}
		}
		return nil
	})
	return all, err
}

// startSenderStatuses asks for the senders' statuses in the background,
// beside the list, which is another API. The function it returns waits
// for them; given the list's error, it stops them and returns that error.
func startSenderStatuses(ctx context.Context, client *api.Client) func(listErr error) (map[string]string, error) {
	ctx, stop := context.WithCancel(ctx)
	type reply struct {
		statuses map[string]string
		err      error
	}
	done := make(chan reply, 1)
	go func() {
		s, err := senderStatuses(ctx, client)
		done <- reply{s, err}
	}()
	return func(listErr error) (map[string]string, error) {
		defer stop()
		if listErr != nil {
			stop()
			<-done
			return nil, listErr
		}
		r := <-done
		return r.statuses, r.err
	}
}

// senderStatuses asks the Senders API for the status of the account's
// WhatsApp and RCS senders, by SID (Messenger senders have none there).
func senderStatuses(ctx context.Context, client *api.Client) (map[string]string, error) {
	statuses := map[string]string{}
	for _, channel := range api.SenderChannels() {
		// Only the statuses are kept, not the senders' other fields.
		err := client.ListAccountSendersPages(ctx, channel, func(page []api.AccountSender) error {
			for _, s := range page {
				statuses[s.SID] = s.Status
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--status: %w", err)
		}
	}
	return statuses, nil
}
