package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type showOptions struct {
	app  *app
	json bool
}

func newCmdShow(a *app) *cobra.Command {
	opts := &showOptions{app: a}
	cmd := &cobra.Command{
		Use:   "show --service MG… SENDER…",
		Short: "Show members of a service's pool, fetched fresh",
		Long: `Fetch each named member of a Messaging Service's pool fresh and print its
fields, a block per sender. SENDER is its SID (XE…, PN…, SC…, AI…), its
number, its short code's digits, its channel address (whatsapp:+1…) or its
alpha sender text, as in the pool. One that is not in the service is named on
stderr, the others are still shown, and the command exits 1.`,
		Example: `  senderpool show --service MG… +14155550142 Acme
  senderpool show --service MG… PN… --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef(cmd, "show takes one or more SENDERs (a SID, +14155550100, 12345, whatsapp:+1…, an alpha sender)")
			}
			var inputs []api.SenderInput
			for _, arg := range args {
				in, err := api.ParseSenderInput(arg)
				if err != nil {
					return err
				}
				inputs = append(inputs, in)
			}
			return runShow(cmd.Context(), opts, inputs)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array of the senders as the API sent them, one a line")
	return cmd
}

// errSomeNotShown is returned when some sender could not be shown; each
// was named on stderr.
var errSomeNotShown = errors.New("some senders were not shown")

func runShow(ctx context.Context, opts *showOptions, inputs []api.SenderInput) error {
	a := opts.app
	return a.connected(ctx, "show", true, func(ctx context.Context, conn *connection, service string) error {
		var list *jsonList
		if opts.json {
			list = newJSONList(a.sys.Out)
		}
		failed := 0
		for i, in := range inputs {
			p, err := detachTarget(ctx, conn.client, service, in, true)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				failed++
				if api.IsNotFound(err) || errors.Is(err, errNotInService) {
					printf(a.sys.Err, "senderpool: %s: not in the service %s\n", in.String(), service)
				} else {
					printf(a.sys.Err, "senderpool: %s: %s\n", in.String(), err)
				}
				continue
			}
			if list != nil {
				raw, _ := p.Wire()
				if err := list.add(raw); err != nil {
					return err
				}
				continue
			}
			if i > 0 {
				fmt.Fprintln(a.sys.Out)
			}
			if err := showBlock(a, p); err != nil {
				return err
			}
		}
		if list != nil {
			if err := list.end(); err != nil {
				return err
			}
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d: %w", failed, len(inputs), errSomeNotShown)
		}
		return nil
	})
}

// showBlock prints one sender as FIELD value lines, "-" for empty.
func showBlock(a *app, p api.PoolSender) error {
	tw := tabwriter.NewWriter(a.sys.Out, 0, 0, 2, ' ', 0)
	tollFree := ""
	if p.Kind == api.KindPhoneNumber {
		tollFree = "no"
		if p.TollFree {
			tollFree = "yes"
		}
	}
	for _, kv := range [][2]string{
		{"SID", p.SID},
		{"KIND", api.KindName(p.Kind)},
		{"SENDER", p.Address},
		{"COUNTRY", p.Country},
		{"DESTINATION", p.DestinationCountry},
		{"CAPABILITIES", strings.Join(p.Capabilities, ",")},
		{"TOLL-FREE", tollFree},
		{"SERVICE", p.ServiceSID},
		{"CREATED", date(p.DateCreated)},
		{"UPDATED", date(p.DateUpdated)},
		{"URL", p.URL},
	} {
		fmt.Fprintf(tw, "%s\t%s\n", kv[0], cell(kv[1]))
	}
	return tw.Flush()
}
