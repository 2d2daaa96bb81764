package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
)

func TestDetachWarnings(t *testing.T) {
	on, off := true, false
	sticky, loose := &api.Service{StickySender: &on}, &api.Service{StickySender: &off}
	campaign := &api.A2PCampaign{SID: "QE1", CampaignID: "CJ7QW2X"}
	usNumber := api.PoolSender{Kind: api.KindPhoneNumber, SID: "PN1", Address: "+14155550142", Country: "US"}
	usNumber2 := api.PoolSender{Kind: api.KindPhoneNumber, SID: "PN2", Address: "+12125550187", Country: "US"}
	tollFree := api.PoolSender{Kind: api.KindPhoneNumber, SID: "PN3", Address: "+18335550199", Country: "US", TollFree: true}
	uk := api.PoolSender{Kind: api.KindPhoneNumber, SID: "PN4", Address: "+447700900456", Country: "GB"}
	wa := api.PoolSender{Kind: api.KindWhatsApp, SID: "XE1", Address: "whatsapp:+14155550100"}
	alpha := api.PoolSender{Kind: api.KindAlpha, SID: "AI1", Address: "Acme"}
	pool := []api.PoolSender{usNumber, usNumber2, tollFree, uk, wa, alpha}
	tests := []struct {
		name     string
		svc      *api.Service
		campaign *api.A2PCampaign
		pool     []api.PoolSender
		target   api.PoolSender
		want     []api.DetachWarning
	}{
		{"a US long code, sticky, with a campaign", sticky, campaign, pool, usNumber, []api.DetachWarning{api.WarnStickySender, api.WarnLeavesCampaign}},
		{"the same without sticky sender or campaign", loose, nil, pool, usNumber, nil},
		{"toll-free numbers are not in the campaign", loose, campaign, pool, tollFree, nil},
		{"a UK number is not in it either", loose, campaign, pool, uk, nil},
		{"sticky sender is about numbers and short codes", sticky, nil, pool, wa, []api.DetachWarning{api.WarnLastOfKind}},
		{"the last alpha sender", loose, nil, pool, alpha, []api.DetachWarning{api.WarnLastOfKind}},
		{"the last number of all", sticky, campaign, []api.PoolSender{usNumber, wa}, usNumber,
			[]api.DetachWarning{api.WarnStickySender, api.WarnLastOfKind, api.WarnLeavesCampaign}},
		{"settings unknown", nil, nil, pool, usNumber, nil},
		{"sticky sender unknown", &api.Service{}, nil, pool, usNumber, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := api.DetachWarnings(tt.svc, tt.campaign, tt.pool, tt.target)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	for w, words := range map[api.DetachWarning][]string{
		api.WarnStickySender:   {"Sticky sender", "+14155550142"},
		api.WarnLastOfKind:     {"last phone number", "no phone number left"},
		api.WarnLeavesCampaign: {"+14155550142", "US A2P campaign (CJ7QW2X)"},
	} {
		text := w.Text(usNumber, campaign)
		for _, word := range words {
			if !strings.Contains(text, word) {
				t.Errorf("%q lacks %q", text, word)
			}
		}
	}
	if got := api.WarnLastOfKind.Text(wa, nil); !strings.Contains(got, "last WhatsApp sender") {
		t.Errorf("%q", got)
	}
}
