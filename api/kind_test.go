package api

import "testing"

func TestSenderKind(t *testing.T) {
	tests := []struct {
		name, sender, typ, want string
	}{
		{"exact WhatsApp", "whatsapp:+14155550100", "WhatsApp", KindWhatsApp},
		{"lower case type", "whatsapp:+14155550100", "whatsapp", KindWhatsApp},
		{"upper case type", "whatsapp:+14155550100", "WHATSAPP", KindWhatsApp},
		{"spec typo Messanger", "messenger:104794531907950", "Messanger", KindMessenger},
		{"Messenger", "messenger:104794531907950", "Messenger", KindMessenger},
		{"RCS mixed case", "rcs:agent", "Rcs", KindRCS},
		{"null type falls back to prefix", "rcs:acme_agent", "", KindRCS},
		{"unknown type falls back to prefix", "whatsapp:+1415", "Sms-ish", KindWhatsApp},
		{"prefix is case-insensitive", "WhatsApp:+1415", "", KindWhatsApp},
		{"unknown type, unknown prefix keeps type", "instagram:acme", "Instagram", "Instagram"},
		{"nothing known", "", "", KindOther},
		{"no prefix at all", "+14155550100", "", KindOther},
		{"whitespace type", "messenger:1", "  ", KindMessenger},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SenderKind(ChannelSender{Sender: tt.sender, SenderType: tt.typ})
			if got != tt.want {
				t.Errorf("SenderKind(%q, %q) = %q, want %q", tt.sender, tt.typ, got, tt.want)
			}
		})
	}
}
