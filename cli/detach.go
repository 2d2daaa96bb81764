package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
)

type detachOptions struct {
	app   *app
	input api.SenderInput
	yes   bool
	json  bool
	alpha senderFlags
}

func newCmdDetach(a *app) *cobra.Command {
	opts := &detachOptions{app: a}
	cmd := &cobra.Command{
		Use:   "detach --service MG… SENDER | --alpha NAME [--country CC]",
		Short: "Detach a sender from a service (asks first)",
		Long: `Detach a sender from a Messaging Service's pool (not from the account). SENDER
is its SID (XE…, PN…, SC…, AI…), or its number, short code digits or channel
address as in the pool; an alpha sender is named with --alpha (and --country
for a per-country one). On a terminal it names the sender and its kind and
asks first (the answer is not timed), saying what the detach changes for this
service: sticky sender on, the last sender of its kind, a US number leaving
the service's A2P campaign. Elsewhere it needs --yes. Refused with
--read-only, or for a read-only profile.`,
		Example: `  senderpool detach --service MG… XE…
  senderpool detach --service MG… +14155550100
  senderpool detach --service MG… --alpha Acme --country DE
  senderpool detach --service MG… PN… --yes --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := changeTarget(cmd, a, args, opts.alpha)
			if err != nil {
				return err
			}
			opts.input = in
			return runDetach(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.yes, "yes", false, "detach without asking (needed when not on a terminal)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the detached sender as the API sent it before")
	opts.alpha.add(cmd, "detach")
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
	var (
		target   api.PoolSender
		warnings []string
	)
	err = a.within(ctx, func(ctx context.Context) (err error) {
		target, err = detachTarget(ctx, conn.client, service, opts.input, !opts.yes || opts.json)
		if err != nil || opts.yes {
			return err
		}
		warnings = detachWarnings(ctx, conn.client, service, target)
		return nil
	})
	if err != nil {
		return fmt.Errorf("detach %s: %w", opts.input, err)
	}
	if !opts.yes {
		// The question is outside --timeout: a person may take their time.
		var q strings.Builder
		printf(&q, "Detach %s from %s?\n", senderLabel(target), service)
		for _, w := range warnings {
			printf(&q, "  ! %s\n", w)
		}
		q.WriteString("[y/N] ")
		ok, err := ask.yes(ctx, q.String())
		if err != nil {
			return err
		}
		if !ok {
			return setupf("not detached")
		}
	}
	err = a.within(ctx, func(ctx context.Context) error { return conn.client.DetachPoolSender(ctx, service, target) })
	if err != nil {
		return fmt.Errorf("detach %s: %w", opts.input, err)
	}
	if opts.json {
		raw, _ := target.Wire()
		return writeJSONValue(a.sys.Out, raw)
	}
	printf(a.sys.Out, "detached %s from %s\n", senderLabel(target), service)
	return nil
}

// detachTarget is the pool member in names, fetched fresh: a SID by
// its prefix, an address found in the service's pool first. With fresh
// false a PN…, SC… or XE… SID is taken as it is: --yes without --json
// needs nothing but the DELETE (an AI… SID is in one of two lists).
func detachTarget(ctx context.Context, client *api.Client, service string, in api.SenderInput, fresh bool) (api.PoolSender, error) {
	if in.SID != "" {
		if !fresh && in.SID[:2] != api.PrefixAlphaSender {
			src := sidSource(in.SID)
			return api.PoolSender{SID: in.SID, Source: src, Kind: src.Kind()}, nil
		}
		return client.FindPoolSenderBySID(ctx, service, in.SID)
	}
	p, err := findMember(ctx, client, service, in)
	if err != nil {
		return api.PoolSender{}, err
	}
	return client.FetchPoolSender(ctx, service, p.Source, p.SID)
}

// sidSource is the source a SID's prefix tells (not AI…: two sources
// hold alpha senders).
func sidSource(sid string) api.PoolSource {
	switch sid[:2] {
	case api.PrefixPhoneNumber:
		return api.SourcePhoneNumbers
	case api.PrefixShortCode:
		return api.SourceShortCodes
	}
	return api.SourceChannelSenders
}

// errNotInService is wrapped when what was named is no member of the
// service's pool.
var errNotInService = errors.New("not in the service's pool")

// findMember finds what in names by its address in the sources of a
// service's pool that can hold its kind; more than one match (an alpha
// sender for every country and for some) is a usage error naming them.
func findMember(ctx context.Context, client *api.Client, service string, in api.SenderInput) (api.PoolSender, error) {
	kinds := channelKinds()
	if !api.IsChannelKind(in.Kind) {
		kinds = kindSet{api.KindName(in.Kind): true}
	}
	pool, err := listPool(ctx, client, service, kinds.sources())
	if err != nil {
		return api.PoolSender{}, err
	}
	var found []api.PoolSender
	for _, p := range pool {
		if p.Matches(in) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return api.PoolSender{}, errNotInService
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, p := range found {
		names[i] = senderLabel(p)
	}
	return api.PoolSender{}, setupf("%d senders match: %s; name one by its SID (or --country)", len(found), strings.Join(names, "; "))
}

// detachWarnings are the sentences of api.DetachWarnings for this
// service, or one saying they could not be checked: a question must not
// pass for a harmless one when it is not known to be.
func detachWarnings(ctx context.Context, client *api.Client, service string, target api.PoolSender) []string {
	svc, err := client.FetchService(ctx, service)
	var campaign *api.A2PCampaign
	if err == nil {
		campaign, err = client.ServiceA2PCampaign(ctx, service)
	}
	var pool []api.PoolSender
	if err == nil {
		pool, err = listPool(ctx, client, service, api.PoolSources())
	}
	if err != nil {
		return []string{"Could not check what this detach changes for the service (sticky sender, the last of its kind, the A2P campaign): " + err.Error()}
	}
	var out []string
	for _, w := range api.DetachWarnings(svc, campaign, pool, target) {
		out = append(out, w.Text(target, campaign))
	}
	return out
}
