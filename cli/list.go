package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type listOptions struct {
	app    *app
	json   bool
	status bool
	kinds  []string
}

func newCmdList(a *app) *cobra.Command {
	opts := &listOptions{app: a}
	cmd := &cobra.Command{
		Use:   "list --service MG… [--kind KIND,…]",
		Short: "List a service's sender pool",
		Long: `List the whole sender pool of a Messaging Service, every kind read at the same
time, in the dashboard's order: WhatsApp, Messenger, RCS, other channel
senders, phone numbers, short codes, alpha senders. Columns: SID, KIND, SENDER
(the number, short code, alpha sender or channel address), COUNTRY (an alpha
sender's destination country, "-" for every country) and creation time ("-"
for a field the API left empty). --kind narrows the list to some kinds
(` + strings.Join(api.KindNames(), ", ") + `) and asks only for those.
--service, or the profile's default service, says which service.

A kind that cannot be listed fails the command (exit 1, each failed kind
named with its error) and prints no table.`,
		Example: `  senderpool list --service MG…
  senderpool list --service MG… --kind phone-number,short-code
  senderpool list --service MG… --kind whatsapp,rcs --status | awk 'NR>1 && $NF!="ONLINE" && $NF!="-"'
  senderpool list --service MG… --json | jq -r '.[].sid'`,
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
			kinds, err := parseKinds(opts.kinds)
			if err != nil {
				return err
			}
			return runList(cmd.Context(), opts, kinds)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array of the API's objects as sent, one a line, kind by kind")
	cmd.Flags().BoolVar(&opts.status, "status", false, "add a STATUS column (ONLINE, OFFLINE…) for WhatsApp and RCS senders, from the Senders API")
	cmd.Flags().StringSliceVar(&opts.kinds, "kind", nil, "list only these `kinds`: "+strings.Join(api.KindNames(), ", "))
	return cmd
}

func runList(ctx context.Context, opts *listOptions, kinds kindSet) error {
	a := opts.app
	return a.connected(ctx, "list", true, func(ctx context.Context, conn *connection, service string) error {
		sources := kinds.sources()
		if opts.json {
			return streamPoolJSON(ctx, a.sys.Out, conn.client, service, sources, kinds)
		}
		var awaitStatuses func(listErr error) (map[string]string, error)
		if opts.status && kinds.wants(api.SourceChannelSenders) {
			awaitStatuses = startSenderStatuses(ctx, conn.client)
		}
		// A kind that fails fails the command with nothing printed: a
		// table without it would pass for the whole pool.
		senders, err := listPool(ctx, conn.client, service, sources)
		var statuses map[string]string
		if awaitStatuses != nil {
			statuses, err = awaitStatuses(err)
		}
		if err != nil {
			return err
		}
		header := []string{"SID", "KIND", "SENDER", "COUNTRY", "CREATED"}
		if opts.status {
			header = append(header, "STATUS")
		}
		t := newTable(a.sys.Out, header...)
		for _, s := range senders {
			if !kinds.keeps(s.Kind) {
				continue
			}
			country := s.Country
			if s.Kind == api.KindAlpha {
				country = s.DestinationCountry
			}
			row := []string{s.SID, api.KindName(s.Kind), s.Address, country, date(s.DateCreated)}
			if opts.status {
				row = append(row, statuses[s.SID])
			}
			t.row(row...)
		}
		return t.flush()
	})
}

// streamPoolJSON prints the sources' objects as the API sent them, one
// source after the other in the api's order and page by page as they
// arrive (so memory stays that of one page however long the pool), each
// SID once. A channel sender is kept only when its kind is asked for.
func streamPoolJSON(ctx context.Context, w io.Writer, client *api.Client, service string, sources []api.PoolSource, kinds kindSet) error {
	l := newJSONList(w)
	seen := sidSet{}
	for _, src := range sources {
		err := client.ListSourceJSONPages(ctx, service, src, func(page []json.RawMessage) error {
			for _, raw := range page {
				if kinds != nil && src == api.SourceChannelSenders {
					p, err := api.DecodePoolSender(src, raw)
					if err != nil {
						return err
					}
					if !kinds.keeps(p.Kind) {
						continue
					}
				}
				if !seen.first(rawSID(raw)) {
					continue
				}
				if err := l.add(raw); err != nil {
					return err
				}
			}
			return l.page()
		})
		if err != nil {
			l.abort()
			return fmt.Errorf("listing the %s: %w", src, err)
		}
	}
	return l.end()
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
