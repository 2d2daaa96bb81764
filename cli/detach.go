package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
)

type detachOptions struct {
	app       *app
	input     api.SenderInput // one sender
	targets   []target        // a batch: several, or "-"
	fromStdin bool
	yes       bool
	json      bool
	alpha     senderFlags
}

func newCmdDetach(a *app) *cobra.Command {
	opts := &detachOptions{app: a}
	cmd := &cobra.Command{
		Use:   "detach --service MG… SENDER… | - | --alpha NAME [--country CC]",
		Short: "Detach senders from a service (asks first)",
		Long: `Detach a sender from a Messaging Service's pool (not from the account). SENDER
is its SID (XE…, PN…, SC…, AI…), or its number, short code digits or channel
address as in the pool; an alpha sender is named with --alpha (and --country
for a per-country one). On a terminal it names the sender and its kind and
asks first (the answer is not timed), saying what the detach changes for this
service: sticky sender on, the last sender of its kind, a US number leaving
the service's A2P campaign. Elsewhere it needs --yes. Refused with
--read-only, or for a read-only profile.

Several SENDERs, or - to read them one a line from stdin (blank lines and
# comments skipped), are detached as one batch, --concurrency at a time,
after one question that counts them by kind (- needs --yes: stdin holds
the senders, not the answer). Each gets a line: ✓ detached, or ✗ and why
(one not in the pool is not sent); exit 1 when any failed. Every line is
checked first: a malformed one is named with its line number and nothing
is sent. Every change is recorded in the audit log first (senderpool log).`,
		Example: `  senderpool detach --service MG… XE…
  senderpool detach --service MG… +14155550100
  senderpool detach --service MG… --alpha Acme --country DE
  senderpool detach --service MG… PN… --yes --json
  senderpool detach --service MG… PN… PN… XE…
  grep -v '^#' retired.txt | senderpool detach --service MG… --yes -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.alpha.alpha == "" && (len(args) > 1 || containsDash(args)) {
				if err := writeRefused(cmd, a); err != nil {
					return err
				}
				ts, fromStdin, err := readTargets(cmd, a.sys.In, args, true)
				if err != nil {
					return err
				}
				opts.targets, opts.fromStdin = ts, fromStdin
				return runDetachMany(cmd.Context(), opts)
			}
			in, err := changeTarget(cmd, a, args, opts.alpha)
			if err != nil {
				return err
			}
			opts.input = in
			return runDetach(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.yes, "yes", false, "detach without asking (needed when not on a terminal)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the detached sender as the API sent it before (a batch: one object a line, see the README)")
	opts.alpha.add(cmd, "detach")
	return cmd
}

func runDetach(ctx context.Context, opts *detachOptions) error {
	a := opts.app
	conn, service, ask, err := a.connectToChange(ctx, changeCommand{name: "detach", needService: true, yes: opts.yes})
	if err != nil {
		return err
	}
	defer conn.close()
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
	err = a.within(ctx, func(ctx context.Context) error { return conn.changes().DetachPoolSender(ctx, service, target) })
	if err != nil && !madeUnrecorded(err) {
		return fmt.Errorf("detach %s: %w", opts.input, err)
	}
	if opts.json {
		raw, _ := target.Wire()
		if werr := writeJSONValue(a.sys.Out, raw); werr != nil {
			return werr
		}
	} else {
		printf(a.sys.Out, "detached %s from %s\n", senderLabel(target), service)
	}
	if err != nil {
		return unrecorded("detach "+opts.input.String(), err)
	}
	return nil
}

// member is a batch's target as found in a pool: the sender, or why it
// is not to be sent.
type member struct {
	p   api.PoolSender
	err error
}

// plainSID reports a target a detach can send by its SID alone: PN…,
// SC… and XE… each live in one list (AI… in one of two).
func plainSID(in api.SenderInput) bool {
	return in.SID != "" && in.SID[:2] != api.PrefixAlphaSender
}

// resolveMembers finds each target in the service's pool, listed once
// (not once a sender). With list false every target is a plain SID and is
// taken as it is.
func resolveMembers(ctx context.Context, client *api.Client, service string, targets []target, list bool) ([]member, error) {
	out := make([]member, len(targets))
	if !list {
		for i, t := range targets {
			src := sidSource(t.in.SID)
			out[i].p = api.PoolSender{SID: t.in.SID, Source: src, Kind: src.Kind()}
		}
		return out, nil
	}
	pool, err := listPool(ctx, client, service, api.PoolSources())
	if err != nil {
		// A sender in a list that failed would pass for one not in the
		// pool: nothing is sent.
		return nil, err
	}
	named := map[string]string{} // SID → as first named
	for i, t := range targets {
		var found []api.PoolSender
		for _, p := range pool {
			if p.Matches(t.in) {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 0:
			out[i].err = errNotInService
		case 1:
			if first, dup := named[found[0].SID]; dup {
				out[i].err = fmt.Errorf("the same sender as %q, named before (not sent twice)", first)
				continue
			}
			named[found[0].SID] = t.text
			out[i].p = found[0]
		default:
			names := make([]string, len(found))
			for j, p := range found {
				names[j] = senderLabel(p)
			}
			out[i].err = fmt.Errorf("%d senders match: %s; name one by its SID", len(found), strings.Join(names, "; "))
		}
	}
	return out, nil
}

// countByKind says how many senders of each kind: "3 phone-number, 1 rcs".
func countByKind(ps []api.PoolSender) string {
	counts := map[string]int{}
	var order []string
	for _, p := range api.SortPool(slices.Clone(ps)) {
		k := api.KindName(p.Kind)
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

func runDetachMany(ctx context.Context, opts *detachOptions) error {
	a := opts.app
	asking := !opts.yes
	conn, service, ask, err := a.connectToChange(ctx, changeCommand{name: "detach", needService: true, yes: opts.yes, fromStdin: opts.fromStdin})
	if err != nil {
		return err
	}
	defer conn.close()
	list := asking || opts.json || slices.ContainsFunc(opts.targets, func(t target) bool { return !plainSID(t.in) })
	var (
		members []member
		svcName string
	)
	err = a.within(ctx, func(ctx context.Context) (err error) {
		if members, err = resolveMembers(ctx, conn.client, service, opts.targets, list); err != nil || !asking {
			return err
		}
		svc, err := conn.changes().FetchService(ctx, service)
		if err != nil {
			return err
		}
		svcName = serviceLabel(svc)
		return nil
	})
	if err != nil {
		return fmt.Errorf("detach: %w", err)
	}
	var send []api.PoolSender
	for _, m := range members {
		if m.err == nil {
			send = append(send, m.p)
		}
	}
	if asking {
		if len(send) == 0 {
			return detachReport(a, opts, service, members, nil)
		}
		// The question is outside --timeout: a person may take their time.
		var q strings.Builder
		printf(&q, "Detach %d senders from %s?\n  %s\n", len(send), svcName, countByKind(send))
		if n := len(members) - len(send); n > 0 {
			printf(&q, "  (%d named are not in its pool and are left out)\n", n)
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
	rep := conn.changes().DetachMany(ctx, service, send, a.progress("detach"))
	return detachReport(a, opts, service, members, rep.Results)
}

// detachReport prints a batch's lines in the order the senders were
// named: those not found, and those sent with their results.
func detachReport(a *app, opts *detachOptions, service string, members []member, results []bulk.Result[api.PoolSender]) error {
	out := newBatchOut(a, opts.json)
	next := 0
	for i, m := range members {
		t := opts.targets[i]
		line := batchLine{Sender: t.text, SID: t.in.SID, Outcome: "failed"}
		if m.err != nil {
			out.failed(line, m.err, "✗ %s: %s", t.text, reason(m.err))
			continue
		}
		r := results[next]
		next++
		line.SID, line.Object, line.Outcome = m.p.SID, wire(m.p), outcomeName(r.Outcome, "detached")
		switch {
		case r.Outcome == bulk.OK:
			out.ok(line, "✓ detached %s from %s", senderLabel(m.p), service)
		case madeUnrecorded(r.Err):
			line.Outcome = "detached"
			out.unrecorded(line, r.Err, "✓ detached %s from %s", senderLabel(m.p), service)
		case r.Outcome == bulk.NotStarted:
			out.failed(line, nil, "✗ %s: not detached: the batch stopped first", t.text)
		case api.IsNotFound(r.Err):
			out.failed(line, r.Err, "✗ %s: not in the service's pool (%s)", t.text, reason(r.Err))
		default:
			out.failed(line, r.Err, "✗ %s: %s", t.text, reason(r.Err))
		}
	}
	return out.end()
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
