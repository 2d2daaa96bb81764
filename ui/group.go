package ui

import (
	"slices"

	"github.com/senderpool/senderpool/api"
)

// group is one section of the sender list.
type group struct {
	Kind    string
	Senders []api.PoolSender
}

// groupSenders splits senders into groups in display order (api's kind
// and sender order), so the list never reorders between refreshes.
func groupSenders(senders []api.PoolSender) []group {
	byKind := map[string][]api.PoolSender{}
	for _, s := range senders {
		k := s.Kind
		byKind[k] = append(byKind[k], s)
	}
	groups := make([]group, 0, len(byKind))
	for k, ss := range byKind {
		slices.SortFunc(ss, api.ComparePoolSenders)
		groups = append(groups, group{Kind: k, Senders: ss})
	}
	slices.SortFunc(groups, func(a, b group) int { return api.CompareKinds(a.Kind, b.Kind) })
	return groups
}
