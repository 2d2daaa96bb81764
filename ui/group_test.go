package ui

import (
	"slices"
	"testing"

	"github.com/senderpool/senderpool/api"
)

func TestSenderKind(t *testing.T) {
	tests := []struct {
		name, sender, typ, want string
	}{
		{"exact WhatsApp", "whatsapp:+14155550100", "WhatsApp", kindWhatsApp},
		{"lower case type", "whatsapp:+14155550100", "whatsapp", kindWhatsApp},
		{"upper case type", "whatsapp:+14155550100", "WHATSAPP", kindWhatsApp},
		{"spec typo Messanger", "messenger:104794531907950", "Messanger", kindMessenger},
		{"Messenger", "messenger:104794531907950", "Messenger", kindMessenger},
		{"RCS mixed case", "rcs:agent", "Rcs", kindRCS},
		{"null type falls back to prefix", "rcs:acme_agent", "", kindRCS},
		{"unknown type falls back to prefix", "whatsapp:+1415", "Sms-ish", kindWhatsApp},
		{"prefix is case-insensitive", "WhatsApp:+1415", "", kindWhatsApp},
		{"unknown type, unknown prefix keeps type", "instagram:acme", "Instagram", "Instagram"},
		{"nothing known", "", "", kindOther},
		{"no prefix at all", "+14155550100", "", kindOther},
		{"whitespace type", "messenger:1", "  ", kindMessenger},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := senderKind(api.ChannelSender{Sender: tt.sender, SenderType: tt.typ})
			if got != tt.want {
				t.Errorf("senderKind(%q, %q) = %q, want %q", tt.sender, tt.typ, got, tt.want)
			}
		})
	}
}

func TestGroupSendersOrderAndCounts(t *testing.T) {
	in := append(sampleSenders(),
		sender(xe(7), "instagram:acme", "Instagram", ""),
		sender(xe(8), "", "", ""),
		sender(xe(9), "whatsapp:+10000000000", "WhatsApp", "US"),
	)
	groups := groupSenders(in)
	var kinds []string
	counts := map[string]int{}
	for _, g := range groups {
		kinds = append(kinds, g.Kind)
		counts[g.Kind] = len(g.Senders)
		if !slices.IsSortedFunc(g.Senders, compareSenders) {
			t.Errorf("group %s not sorted", g.Kind)
		}
	}
	wantKinds := []string{kindWhatsApp, kindMessenger, kindRCS, "Instagram", kindOther}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("group order = %v, want %v", kinds, wantKinds)
	}
	wantCounts := map[string]int{kindWhatsApp: 3, kindMessenger: 2, kindRCS: 2, "Instagram": 1, kindOther: 1}
	for k, n := range wantCounts {
		if counts[k] != n {
			t.Errorf("%s has %d senders, want %d", k, counts[k], n)
		}
	}
	// Input order must not matter.
	rev := slices.Clone(in)
	slices.Reverse(rev)
	if a, b := SortedSenders(in), SortedSenders(rev); !slices.EqualFunc(a, b, func(x, y api.ChannelSender) bool { return x.SID == y.SID }) {
		t.Error("order depends on input order")
	}
}
