package ui

import (
	"slices"
	"testing"

	"github.com/senderpool/senderpool/api"
)

func TestListGroupsOrderAndCounts(t *testing.T) {
	in := append(sampleSenders(),
		sender(xe(7), "instagram:acme", "Instagram", ""),
		sender(xe(8), "", "", ""),
		sender(xe(9), "whatsapp:+10000000000", "WhatsApp", "US"),
	)
	var l senderList
	l.setSenders(pool(in), nil)
	groups := l.shownGroups()
	var kinds []string
	counts := map[string]int{}
	for _, g := range groups {
		kinds = append(kinds, g.Kind)
		counts[g.Kind] = len(g.Senders)
		if !slices.IsSortedFunc(g.Senders, api.ComparePoolSenders) {
			t.Errorf("group %s not sorted", g.Kind)
		}
	}
	wantKinds := []string{api.KindWhatsApp, api.KindMessenger, api.KindRCS, "Instagram", api.KindOther}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("group order = %v, want %v", kinds, wantKinds)
	}
	wantCounts := map[string]int{api.KindWhatsApp: 3, api.KindMessenger: 2, api.KindRCS: 2, "Instagram": 1, api.KindOther: 1}
	for k, n := range wantCounts {
		if counts[k] != n {
			t.Errorf("%s has %d senders, want %d", k, counts[k], n)
		}
	}
	// Input order must not matter.
	rev := slices.Clone(in)
	slices.Reverse(rev)
	if a, b := api.SortSenders(in), api.SortSenders(rev); !slices.EqualFunc(a, b, func(x, y api.ChannelSender) bool { return x.SID == y.SID }) {
		t.Error("order depends on input order")
	}
}
