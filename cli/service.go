package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type serviceOptions struct {
	app  *app
	json bool
}

func newCmdService(a *app) *cobra.Command {
	opts := &serviceOptions{app: a}
	cmd := &cobra.Command{
		Use:   "service --service MG…",
		Short: "Show a service's sender-selection settings, A2P campaign and pool size",
		Long: `Show the settings of a Messaging Service that decide how Twilio picks a sender
from its pool (sticky sender, area code geomatch, smart encoding, MMS
converter, fallback to long code, validity period, use inbound webhook on
number), its use case, its US A2P campaign when it has one (status, campaign
id, brand registration), and the size of its pool: the phone numbers and short
codes against Twilio's default limit of 400, and the count of each kind. A
setting the API leaves null prints "unknown". "senderpool service set" changes
the settings.`,
		Example: `  senderpool service --service MG…
  senderpool service --service MG… --json | jq .pool`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runService(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print one object: the service and its campaign as the API sent them, and the pool's counts")
	cmd.AddCommand(newCmdServiceSet(a))
	return cmd
}

// serviceReport is what `service` prints: the service, its campaign and
// its pool's counts, each read fresh.
type serviceReport struct {
	service  *api.Service
	campaign *api.A2PCampaign // nil: none
	pool     poolCounts
}

// poolCounts is the pool's size: the members that take a place of the
// limit, and every kind (the --kind names) with its count.
type poolCounts struct {
	Limited      int            `json:"numbers_and_short_codes"`
	DefaultLimit int            `json:"default_limit"`
	Kinds        map[string]int `json:"kinds"`
}

func countPool(pool []api.PoolSender) poolCounts {
	c := poolCounts{Limited: api.PoolUsage(pool), DefaultLimit: api.DefaultPoolLimit, Kinds: map[string]int{}}
	for _, k := range api.KindNames() {
		c.Kinds[k] = 0 // every kind, so the JSON has one shape
	}
	for _, p := range pool {
		c.Kinds[api.KindName(p.Kind)]++
	}
	return c
}

func runService(ctx context.Context, opts *serviceOptions) error {
	a := opts.app
	return a.connected(ctx, "service", true, func(ctx context.Context, conn *connection, service string) error {
		r, err := readService(ctx, conn.client, service)
		if err != nil {
			return fmt.Errorf("service %s: %w", service, err)
		}
		if opts.json {
			return writeServiceJSON(ctx, a.sys.Out, conn.client, service, r)
		}
		return writeServiceBlock(a.sys.Out, r)
	})
}

// readService fetches the service, its campaign and its pool at the same
// time: three independent reads, so the command costs about as long as
// the slowest one. Any failure fails the whole: a count or a setting is
// never guessed.
func readService(ctx context.Context, client *api.Client, service string) (serviceReport, error) {
	var (
		r                        serviceReport
		svcErr, campErr, poolErr error
		wg                       sync.WaitGroup
		pool                     []api.PoolSender
	)
	wg.Add(3)
	go func() { defer wg.Done(); r.service, svcErr = client.FetchService(ctx, service) }()
	go func() { defer wg.Done(); r.campaign, campErr = client.ServiceA2PCampaign(ctx, service) }()
	go func() { defer wg.Done(); pool, poolErr = client.ListPool(ctx, service) }()
	wg.Wait()
	// The service's own error first: a 404 there explains the others.
	for _, err := range []error{svcErr, campErr, poolErr} {
		if err != nil {
			return serviceReport{}, err
		}
	}
	r.pool = countPool(pool)
	return r, nil
}

// writeServiceJSON prints {"service": …, "us_a2p_campaign": … or null,
// "pool": …}. A listed campaign does not keep the bytes it came in, so it
// is fetched alone for them.
func writeServiceJSON(ctx context.Context, w io.Writer, client *api.Client, service string, r serviceReport) error {
	svc, err := r.service.WireJSON()
	if err != nil {
		return err
	}
	campaign := json.RawMessage("null")
	if r.campaign != nil {
		c, err := client.FetchA2PCampaign(ctx, service, r.campaign.SID)
		if err != nil {
			return fmt.Errorf("service %s: the US A2P campaign: %w", service, err)
		}
		if campaign, err = c.WireJSON(); err != nil {
			return err
		}
	}
	return writeJSONValue(w, struct {
		Service  json.RawMessage `json:"service"`
		Campaign json.RawMessage `json:"us_a2p_campaign"`
		Pool     poolCounts      `json:"pool"`
	}{svc, campaign, r.pool})
}

// writeServiceBlock prints the report as FIELD value lines, as show does.
func writeServiceBlock(w io.Writer, r serviceReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(field, value string) { fmt.Fprintf(tw, "%s\t%s\n", field, cell(value)) }
	s := r.service
	line("SERVICE", s.SID)
	for _, st := range serviceSettings() {
		line(st.field, st.get(s))
	}
	if c := r.campaign; c == nil {
		line("A2P-CAMPAIGN", "none")
	} else {
		line("A2P-CAMPAIGN", orUnknown(c.CampaignStatus))
		line("CAMPAIGN-ID", c.CampaignID)
		line("BRAND", c.BrandRegistrationSID)
	}
	line("POOL", fmt.Sprintf("%d/%d numbers and short codes", r.pool.Limited, r.pool.DefaultLimit))
	line("KINDS", kindCounts(r.pool))
	return tw.Flush()
}

// kindCounts is "whatsapp 3, phone-number 4, …" in the pool's order,
// the kinds it has none of left out; "none" for an empty pool.
func kindCounts(c poolCounts) string {
	var parts []string
	for _, k := range api.KindNames() {
		if n := c.Kinds[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// orUnknown is "unknown" for a field the API left null or blank.
func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unknown"
	}
	return s
}
