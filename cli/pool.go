package cli

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/senderpool/senderpool/api"
)

// kindSet is the kinds a command keeps; nil keeps every kind.
type kindSet map[string]bool

// parseKinds reads --kind's comma-separated names (any case, spaces
// around them allowed).
func parseKinds(values []string) (kindSet, error) {
	if len(values) == 0 {
		return nil, nil
	}
	set := kindSet{}
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if !slices.Contains(api.KindNames(), name) {
				return nil, setupf("--kind: unknown kind %q; want one or more of %s, comma-separated", name, strings.Join(api.KindNames(), ", "))
			}
			set[name] = true
		}
	}
	return set, nil
}

// keeps reports whether the set keeps senders of kind (api.Kind…).
func (k kindSet) keeps(kind string) bool { return k == nil || k[api.KindName(kind)] }

// sources are the pool's sources that can hold a kind of the set, in the
// api's order: a narrowed list asks only those.
func (k kindSet) sources() []api.PoolSource {
	var out []api.PoolSource
	for _, src := range api.PoolSources() {
		if k.wants(src) {
			out = append(out, src)
		}
	}
	return out
}

func (k kindSet) wants(src api.PoolSource) bool {
	if k == nil {
		return true
	}
	if src == api.SourceChannelSenders {
		for name := range channelKinds() {
			if k[name] {
				return true
			}
		}
		return false
	}
	return k[api.KindName(src.Kind())]
}

// channelKinds is every kind a channel sender (XE…) can be listed under.
func channelKinds() kindSet {
	set := kindSet{}
	for _, kind := range api.Kinds() {
		if api.IsChannelKind(kind) {
			set[api.KindName(kind)] = true
		}
	}
	return set
}

// listPool reads the sources of a service's pool at the same time, one
// stream each, and returns their senders sorted as the dashboard shows
// them (api.SortPool), a SID listed twice once. When some sources fail
// the senders of the others come with an *api.PoolError naming them.
func listPool(ctx context.Context, client *api.Client, service string, sources []api.PoolSource) ([]api.PoolSender, error) {
	if err := api.ValidateServiceSID(service); err != nil {
		return nil, err
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		bySource = make(map[api.PoolSource][]api.PoolSender, len(sources))
		failed   = map[api.PoolSource]error{}
	)
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var got []api.PoolSender
			err := client.ListSourcePages(ctx, service, src, func(page []api.PoolSender) error {
				got = append(got, page...)
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			bySource[src] = got
			if err != nil {
				failed[src] = err
			}
		}()
	}
	wg.Wait()
	var all []api.PoolSender
	seen := sidSet{}
	for _, src := range sources {
		for _, p := range bySource[src] {
			if seen.first(p.SID) {
				all = append(all, p)
			}
		}
	}
	if len(failed) == 0 {
		return api.SortPool(all), nil
	}
	if err := ctx.Err(); err != nil {
		// Ended by the caller (--timeout, a signal): one error says so.
		for _, src := range sources {
			if e := failed[src]; errors.Is(e, context.Canceled) || errors.Is(e, context.DeadlineExceeded) {
				return nil, e
			}
		}
	}
	return api.SortPool(all), &api.PoolError{Errs: failed}
}

// senderLabel names a pool member for a person: its address, kind and SID
// (and an alpha sender's destination country).
func senderLabel(p api.PoolSender) string {
	if p.Address == "" && p.Kind == "" {
		// Known by its SID only (a detach --yes that fetched nothing).
		return p.SID + " (channel sender)"
	}
	what := p.Address
	if what == "" {
		what = p.SID
	}
	kind := api.KindName(p.Kind)
	if p.DestinationCountry != "" {
		kind += " for " + p.DestinationCountry
	}
	if p.TollFree {
		kind += ", toll-free"
	}
	return what + " (" + kind + ", " + p.SID + ")"
}
