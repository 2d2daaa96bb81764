package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/index"
)

type findOptions struct {
	app        *app
	queries    []string
	json       bool
	unattached bool
}

func newCmdFind(a *app) *cobra.Command {
	opts := &findOptions{app: a}
	cmd := &cobra.Command{
		Use:   "find QUERY… | --unattached",
		Short: "Find which services hold a sender, across the account",
		Long: `Read every Messaging Service's whole pool (--concurrency lists at a time) and
the account's own numbers, short codes and WhatsApp and RCS senders, then say
for each QUERY which service or services hold it (name and SID), "in no
service" for one of the account's senders no service holds, or "not found".
QUERY is a SID (PN…, SC…, AI…, XE…), a phone number, a short code's digits,
an alpha sender (any case) or a channel address (whatsapp:+1…). A malformed
QUERY is a usage error naming it (exit 2, nothing read); exit 1 when one is
not found. --unattached lists instead the account's senders that no service
holds. Progress goes to stderr on a terminal only.`,
		Example: `  senderpool find +14155550100 whatsapp:+14155550100 Acme
  senderpool find PN… --json
  senderpool find --unattached`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.unattached && len(args) > 0:
				return usagef(cmd, "find takes QUERYs or --unattached, not both")
			case opts.unattached:
				return runFind(cmd.Context(), opts)
			}
			if len(args) == 0 {
				return usagef(cmd, "find takes one or more QUERYs (a SID, +14155550100, 12345, whatsapp:+1…, an alpha sender)")
			}
			for _, q := range args {
				if _, err := parseQuery(q); err != nil {
					return &setupError{err: fmt.Errorf("%q: %w", q, err), help: cmd.CommandPath()}
				}
			}
			opts.queries = args
			return runFind(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array, one object a line per QUERY (see the README)")
	cmd.Flags().BoolVar(&opts.unattached, "unattached", false, "list the account's numbers, short codes and WhatsApp and RCS senders that no service holds")
	return cmd
}

// findHolder is one service holding a sender, in find's JSON.
type findHolder struct {
	ServiceSID  string `json:"service_sid"`
	ServiceName string `json:"service_name"`
	SID         string `json:"sid"`
	Sender      string `json:"sender"`
	Kind        string `json:"kind"`
}

// findLine is one QUERY's answer in find's JSON.
type findLine struct {
	Query       string       `json:"query"`
	Found       bool         `json:"found"`
	Holders     []findHolder `json:"holders"`
	InNoService *findHolder  `json:"in_no_service,omitempty"` // the account's sender, when no service holds it
}

// errNotFound is returned when some QUERY was found nowhere.
var errNotFound = errors.New("not found")

func runFind(ctx context.Context, opts *findOptions) error {
	a := opts.app
	return a.connected(ctx, "find", false, func(ctx context.Context, conn *connection, _ string) error {
		progress := isTerminal(a.sys.Err)
		var listed, read atomic.Int64
		ix, err := index.Build(ctx, conn.changes(), index.Options{
			Concurrency: a.global.concurrency,
			Account:     true,
			OnServices: func(page []api.Service) {
				listed.Add(int64(len(page)))
			},
			OnService: func(index.ServiceEntry) {
				n := read.Add(1)
				if progress {
					fmt.Fprintf(a.sys.Err, "\r\x1b[Kreading pools: %d/%d services", n, listed.Load())
				}
			},
		})
		if progress {
			fmt.Fprint(a.sys.Err, "\r\x1b[K")
		}
		if err != nil {
			return fmt.Errorf("find: %w", err)
		}
		incomplete := ix.Incomplete()
		for _, s := range incomplete {
			printf(a.sys.Err, "senderpool: warning: the pool of %s could not be read wholly: %s\n", serviceLabel(&s.Service), s.Err)
		}
		if opts.unattached {
			return printUnattached(a, ix, opts.json)
		}
		var lines []findLine
		notFound := 0
		for _, q := range opts.queries {
			line, err := findOne(ix, q)
			if err != nil {
				return err
			}
			lines = append(lines, line)
			if !line.Found {
				notFound++
			}
			if opts.json {
				continue
			}
			switch {
			case len(line.Holders) > 0:
				for _, h := range line.Holders {
					printf(a.sys.Out, "%s: %s (%s, %s) in %s\n", q, h.Sender, h.Kind, h.SID, serviceName(h.ServiceSID, h.ServiceName))
				}
			case line.InNoService != nil:
				h := line.InNoService
				printf(a.sys.Out, "%s: %s (%s, %s) in no service\n", q, h.Sender, h.Kind, h.SID)
			default:
				printf(a.sys.Out, "%s: not found\n", q)
			}
		}
		if opts.json {
			if err := writeJSON(a.sys.Out, lines); err != nil {
				return err
			}
		}
		if notFound > 0 {
			if len(incomplete) > 0 {
				return fmt.Errorf("%d of %d queries were %w (%d pools could not be read wholly: a sender may be in one of them)", notFound, len(opts.queries), errNotFound, len(incomplete))
			}
			return fmt.Errorf("%d of %d queries were %w", notFound, len(opts.queries), errNotFound)
		}
		return nil
	})
}

// findOne answers one query from the index.
func findOne(ix *index.Index, q string) (findLine, error) {
	line := findLine{Query: q, Holders: []findHolder{}}
	hits, err := ix.Holders(q)
	if err != nil {
		return line, err
	}
	for _, h := range hits {
		line.Holders = append(line.Holders, findHolder{
			ServiceSID: h.ServiceSID, ServiceName: h.ServiceName,
			SID: h.Sender.SID, Sender: h.Sender.Address, Kind: api.KindName(h.Sender.Kind),
		})
	}
	if len(hits) > 0 {
		line.Found = true
		return line, nil
	}
	in, err := api.ParseSenderInput(q)
	if err != nil {
		return line, err
	}
	for _, e := range ix.InNoService() {
		if e.Sender.Matches(in) {
			line.Found = true
			line.InNoService = &findHolder{SID: e.Sender.SID, Sender: e.Sender.Address, Kind: api.KindName(e.Sender.Kind)}
			break
		}
	}
	return line, nil
}

// printUnattached lists the account's senders no service holds. It is
// certain only when the account's lists and every pool were read whole.
func printUnattached(a *app, ix *index.Index, asJSON bool) error {
	if _, err := ix.AccountRead(); err != nil {
		return fmt.Errorf("find --unattached: the account's senders could not be read: %w", err)
	}
	free := ix.InNoService()
	slices.SortFunc(free, func(x, y index.AccountSenderEntry) int { return api.ComparePoolSenders(x.Sender, y.Sender) })
	var out []findHolder
	for _, e := range free {
		out = append(out, findHolder{SID: e.Sender.SID, Sender: e.Sender.Address, Kind: api.KindName(e.Sender.Kind)})
	}
	if asJSON {
		if out == nil {
			out = []findHolder{}
		}
		return writeJSON(a.sys.Out, out)
	}
	t := newTable(a.sys.Out, "KIND", "SID", "SENDER")
	for _, h := range out {
		t.row(h.Kind, h.SID, h.Sender)
	}
	return t.flush()
}
