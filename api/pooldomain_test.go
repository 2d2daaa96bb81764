package api_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
)

func TestSIDKind(t *testing.T) {
	hex := strings.Repeat("0a", 16)
	tests := []struct {
		sid, kind string
	}{
		{"PN" + hex, api.KindPhoneNumber},
		{"SC" + hex, api.KindShortCode},
		{"AI" + hex, api.KindAlpha},
		{"XE" + hex, api.KindChannelSender},
		{"MG" + hex, ""},
		{"pn" + hex, ""},
		{"PN" + hex[:31], ""},
		{"PN" + hex + "0", ""},
		{"PN" + strings.Repeat("g", 32), ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := api.SIDKind(tt.sid); got != tt.kind {
			t.Errorf("SIDKind(%q) = %q, want %q", tt.sid, got, tt.kind)
		}
		err := api.ValidatePoolSID(tt.sid)
		if (err == nil) != (tt.kind != "") {
			t.Errorf("ValidatePoolSID(%q) = %v", tt.sid, err)
		}
		if err != nil && !errors.Is(err, api.ErrInvalidSID) {
			t.Errorf("ValidatePoolSID(%q): %v does not match ErrInvalidSID", tt.sid, err)
		}
	}
	var sidErr *api.SIDError
	if err := api.ValidatePoolSID("MG" + hex); !errors.As(err, &sidErr) || !strings.Contains(err.Error(), "expected PN, SC, AI or XE followed by 32 hex digits") {
		t.Errorf("the error names every prefix: %v", err)
	}
	if err := api.ValidatePoolSID("PN12"); !strings.Contains(err.Error(), "invalid phone number SID") {
		t.Errorf("a PN… that is cut short is a phone number SID error: %v", err)
	}
	for prefix, validate := range map[string]func(string) error{
		api.PrefixPhoneNumber: api.ValidatePhoneNumberSID, api.PrefixShortCode: api.ValidateShortCodeSID,
		api.PrefixAlphaSender: api.ValidateAlphaSenderSID, api.PrefixA2PCampaign: api.ValidateA2PCampaignSID,
	} {
		if validate(prefix+hex) != nil || validate("XE"+hex) == nil {
			t.Errorf("validator of %s", prefix)
		}
	}
}

func TestValidateAddresses(t *testing.T) {
	tests := []struct {
		name     string
		validate func(string) error
		ok       []string
		bad      []string
	}{
		{"E.164", api.ValidateE164,
			[]string{"+14155550100", "+447700900123", "+2901234", "+123456789012345"},
			[]string{"", "14155550100", "+1 415 555 0100", "+", "+123456", "+1234567890123456", "+04155550100", "+1415555010a", "++14155550100", "+１４１５５５５０１００"}},
		{"short code", api.ValidateShortCode,
			[]string{"123", "12345", "12345678"},
			[]string{"", "12", "123456789", "12a45", " 12345", "+12345"}},
		{"alpha sender", api.ValidateAlphaSender,
			[]string{"Acme", "A", "Acme GmbH", "ACME 24", "A-B+C_D&E", "abcdefghijk", "1A"},
			[]string{"", "12345", "abcdefghijkl", " Acme", "Acme ", "Acme.io", "Ácme", "Acme\x1b[2J", "Acme\n", "+-_&", "Acme\u200b"}},
		{"country code", api.ValidateCountryCode,
			[]string{"DE", "US", "GB"},
			[]string{"", "de", "DEU", "D", "D1", "ÄB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.ok {
				if err := tt.validate(s); err != nil {
					t.Errorf("%q refused: %v", s, err)
				}
			}
			for _, s := range tt.bad {
				err := tt.validate(s)
				var addrErr *api.AddressError
				if err == nil || !errors.Is(err, api.ErrInvalidAddress) || !errors.As(err, &addrErr) {
					t.Errorf("%q accepted, or not an *AddressError: %v", s, err)
					continue
				}
				checkPrintable(t, "the error", err.Error())
			}
		})
	}
	if n, err := api.NormalizeE164(" +1 (415) 555-0100 "); err != nil || n != "+14155550100" {
		t.Errorf("NormalizeE164: %q %v", n, err)
	}
	if _, err := api.NormalizeE164("+1 (415) 555-01OO"); err == nil || !strings.Contains(err.Error(), "+1 (415) 555-01OO") {
		t.Errorf("NormalizeE164 of letters: %v (the error quotes what was typed)", err)
	}
	if c, err := api.NormalizeCountryCode(" de "); err != nil || c != "DE" {
		t.Errorf("NormalizeCountryCode: %q %v", c, err)
	}
}

func TestIsTollFree(t *testing.T) {
	for number, want := range map[string]bool{
		"+18005550100": true, "+18335550199": true, "+18445550100": true, "+18555550100": true,
		"+18665550100": true, "+18775550100": true, "+18885550111": true,
		"+14155550100": false, "+18225550100": false, "+448005550100": false, "+1800555010": false,
		"+180055501000": false, "18005550100": false, "": false,
	} {
		if got := api.IsTollFree(number); got != want {
			t.Errorf("IsTollFree(%q) = %v, want %v", number, got, want)
		}
	}
}

func TestParseSenderInput(t *testing.T) {
	hex := strings.Repeat("1", 32)
	tests := []struct {
		in   string
		want api.SenderInput
		err  error // errors.Is target; nil for success
	}{
		{"PN" + hex, api.SenderInput{Kind: api.KindPhoneNumber, SID: "PN" + hex}, nil},
		{" SC" + hex + " ", api.SenderInput{Kind: api.KindShortCode, SID: "SC" + hex}, nil},
		{"AI" + hex, api.SenderInput{Kind: api.KindAlpha, SID: "AI" + hex}, nil},
		{"XE" + hex, api.SenderInput{Kind: api.KindChannelSender, SID: "XE" + hex}, nil},
		{"+1 415 555 0100", api.SenderInput{Kind: api.KindPhoneNumber, Address: "+14155550100"}, nil},
		{"+447700900123", api.SenderInput{Kind: api.KindPhoneNumber, Address: "+447700900123"}, nil},
		{"12345", api.SenderInput{Kind: api.KindShortCode, Address: "12345"}, nil},
		{"whatsapp:+14155550100", api.SenderInput{Kind: api.KindWhatsApp, Address: "whatsapp:+14155550100"}, nil},
		{"WhatsApp:+14155550100", api.SenderInput{Kind: api.KindWhatsApp, Address: "whatsapp:+14155550100"}, nil},
		{"rcs:acme_agent", api.SenderInput{Kind: api.KindRCS, Address: "rcs:acme_agent"}, nil},
		{"messenger:104794531907950", api.SenderInput{Kind: api.KindMessenger, Address: "messenger:104794531907950"}, nil},
		{"Acme", api.SenderInput{Kind: api.KindAlpha, Address: "Acme"}, nil},
		{"Acme GmbH", api.SenderInput{Kind: api.KindAlpha, Address: "Acme GmbH"}, nil},
		{"SCOOTER", api.SenderInput{Kind: api.KindAlpha, Address: "SCOOTER"}, nil}, // a pool prefix, but a word
		{"", api.SenderInput{}, api.ErrInvalidAddress},
		{"PN1234abcd", api.SenderInput{}, api.ErrInvalidSID},      // a SID cut short is never an alpha sender
		{"MG" + hex, api.SenderInput{}, api.ErrInvalidSID},        // not a pool member
		{"14155550100", api.SenderInput{}, api.ErrInvalidAddress}, // the + is missing
		{"(415) 555-0100", api.SenderInput{}, api.ErrInvalidAddress},
		{"12", api.SenderInput{}, api.ErrInvalidAddress},
		{"+1 415 ABC", api.SenderInput{}, api.ErrInvalidAddress},
		{"whatsapp:14155550100", api.SenderInput{}, api.ErrInvalidAddress},
		{"sms:+14155550100", api.SenderInput{}, api.ErrInvalidAddress},
		{"rcs:", api.SenderInput{}, api.ErrInvalidAddress},
		{"Acme Corporation", api.SenderInput{}, api.ErrInvalidAddress}, // 16 characters
		{"Acme\x1b]0;x\x07", api.SenderInput{}, api.ErrInvalidAddress},
	}
	for _, tt := range tests {
		got, err := api.ParseSenderInput(tt.in)
		switch {
		case tt.err != nil:
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseSenderInput(%q) = %+v, %v; want %v", tt.in, got, err, tt.err)
			} else {
				checkPrintable(t, "the error", err.Error())
			}
		case err != nil || got != tt.want:
			t.Errorf("ParseSenderInput(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestKindsOrder(t *testing.T) {
	shuffled := []string{api.KindAlpha, api.KindOther, "Instagram", api.KindShortCode, api.KindRCS, api.KindPhoneNumber, api.KindWhatsApp, api.KindMessenger}
	slices.SortFunc(shuffled, api.CompareKinds)
	want := []string{api.KindWhatsApp, api.KindMessenger, api.KindRCS, "Instagram", api.KindOther, api.KindPhoneNumber, api.KindShortCode, api.KindAlpha}
	if !slices.Equal(shuffled, want) {
		t.Errorf("kinds sort as %v, want %v", shuffled, want)
	}
	if got := api.Kinds(); !slices.IsSortedFunc(got, api.CompareKinds) || len(got) != 7 {
		t.Errorf("Kinds() = %v", got)
	}
	for kind, channel := range map[string]bool{
		api.KindWhatsApp: true, api.KindOther: true, "Instagram": true,
		api.KindPhoneNumber: false, api.KindShortCode: false, api.KindAlpha: false, api.KindChannelSender: false, "": false,
	} {
		if api.IsChannelKind(kind) != channel {
			t.Errorf("IsChannelKind(%q) = %v", kind, !channel)
		}
	}
}

func TestSortPool(t *testing.T) {
	s := func(kind, address, dest, sid string) api.PoolSender {
		return api.PoolSender{Kind: kind, Address: address, DestinationCountry: dest, SID: sid}
	}
	in := []api.PoolSender{
		s(api.KindAlpha, "Acme", "DE", "AI2"),
		s(api.KindPhoneNumber, "+447700900123", "", "PN2"),
		s(api.KindAlpha, "Acme", "", "AI1"),
		s(api.KindShortCode, "12345", "", "SC1"),
		s(api.KindWhatsApp, "whatsapp:+1", "", "XE1"),
		s(api.KindPhoneNumber, "+14155550100", "", "PN1"),
		s(api.KindRCS, "rcs:a", "", "XE2"),
		s(api.KindPhoneNumber, "+14155550100", "", "PN0"),
	}
	var got []string
	for _, p := range api.SortPool(in) {
		got = append(got, p.SID)
	}
	if want := []string{"XE1", "XE2", "PN0", "PN1", "PN2", "SC1", "AI1", "AI2"}; !slices.Equal(got, want) {
		t.Errorf("SortPool: %v, want %v", got, want)
	}
	if in[0].SID != "AI2" {
		t.Error("SortPool changed its input")
	}
	if n := api.PoolUsage(in); n != 4 {
		t.Errorf("PoolUsage = %d, want 4 (numbers and short codes)", n)
	}
}

func TestPoolSenderFromEveryType(t *testing.T) {
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name string
		got  api.PoolSender
		want api.PoolSender
	}{
		{"channel sender", api.ChannelSender{SID: "XE1", MessagingServiceSID: "MG1", Sender: "whatsapp:+14155550100", SenderType: "WhatsApp", CountryCode: "US", DateCreated: &at, URL: "u"}.PoolSender(),
			api.PoolSender{Kind: api.KindWhatsApp, Source: api.SourceChannelSenders, SID: "XE1", ServiceSID: "MG1", Address: "whatsapp:+14155550100", Country: "US", DateCreated: &at, URL: "u"}},
		{"toll-free number", api.PhoneNumber{SID: "PN1", ServiceSID: "MG1", PhoneNumber: "+18005550100", CountryCode: "US", Capabilities: []string{"SMS"}}.PoolSender(),
			api.PoolSender{Kind: api.KindPhoneNumber, Source: api.SourcePhoneNumbers, SID: "PN1", ServiceSID: "MG1", Address: "+18005550100", Country: "US", Capabilities: []string{"SMS"}, TollFree: true}},
		{"short code", api.ShortCode{SID: "SC1", ShortCode: "12345", CountryCode: "GB"}.PoolSender(),
			api.PoolSender{Kind: api.KindShortCode, Source: api.SourceShortCodes, SID: "SC1", Address: "12345", Country: "GB"}},
		{"alpha sender", api.AlphaSender{SID: "AI1", AlphaSender: "Acme", Capabilities: []string{"SMS"}}.PoolSender(),
			api.PoolSender{Kind: api.KindAlpha, Source: api.SourceAlphaSenders, SID: "AI1", Address: "Acme", Capabilities: []string{"SMS"}}},
		{"per-country alpha sender", api.DestinationAlphaSender{SID: "AI2", AlphaSender: "Acme", IsoCountryCode: "DE"}.PoolSender(),
			api.PoolSender{Kind: api.KindAlpha, Source: api.SourceDestinationAlphaSenders, SID: "AI2", Address: "Acme", DestinationCountry: "DE"}},
		{"account number", api.IncomingPhoneNumber{SID: "PN3", PhoneNumber: "+14155550100", Capabilities: &api.NumberCapabilities{SMS: true, Voice: true}, URI: "/2010"}.PoolSender(),
			api.PoolSender{Kind: api.KindPhoneNumber, Source: api.SourcePhoneNumbers, SID: "PN3", Address: "+14155550100", Capabilities: []string{"SMS", "Voice"}, URL: "/2010"}},
		{"account short code", api.AccountShortCode{SID: "SC3", ShortCode: "55123"}.PoolSender(),
			api.PoolSender{Kind: api.KindShortCode, Source: api.SourceShortCodes, SID: "SC3", Address: "55123"}},
	}
	for _, tt := range tests {
		g, w := tt.got, tt.want
		if g.Kind != w.Kind || g.Source != w.Source || g.SID != w.SID || g.ServiceSID != w.ServiceSID || g.Address != w.Address ||
			g.Country != w.Country || g.DestinationCountry != w.DestinationCountry || !slices.Equal(g.Capabilities, w.Capabilities) ||
			g.TollFree != w.TollFree || g.URL != w.URL || g.DateCreated != w.DateCreated {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, g, w)
		}
		if _, ok := g.Wire(); ok {
			t.Errorf("%s: a value built in code has wire bytes", tt.name)
		}
	}
	if !(api.PoolSender{Capabilities: []string{"SMS", "Voice"}}).Can("sms") || (api.PoolSender{}).Can("SMS") {
		t.Error("Can")
	}
}

func TestPoolSenderMatches(t *testing.T) {
	number := api.PhoneNumber{SID: "PN1", PhoneNumber: "+14155550100"}.PoolSender()
	alpha := api.AlphaSender{SID: "AI1", AlphaSender: "Acme"}.PoolSender()
	alphaDE := api.DestinationAlphaSender{SID: "AI2", AlphaSender: "Acme", IsoCountryCode: "DE"}.PoolSender()
	wa := api.ChannelSender{SID: "XE1", Sender: "WhatsApp:+14155550100", SenderType: "WhatsApp"}.PoolSender()
	in := func(s string) api.SenderInput {
		v, err := api.ParseSenderInput(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	de := in("acme")
	de.Country = "DE"
	tests := []struct {
		p    api.PoolSender
		in   api.SenderInput
		want bool
	}{
		{number, in("+1 415 555 0100"), true},
		{number, in("PN" + strings.Repeat("0", 32)), false},
		{number, in("whatsapp:+14155550100"), false},
		{wa, in("whatsapp:+14155550100"), true},
		{wa, in("+14155550100"), false},
		{alpha, in("ACME"), true},
		{alphaDE, in("Acme"), true},
		{alpha, de, false},
		{alphaDE, de, true},
	}
	for i, tt := range tests {
		if got := tt.p.Matches(tt.in); got != tt.want {
			t.Errorf("%d: %s matches %+v = %v, want %v", i, tt.p.Address, tt.in, got, tt.want)
		}
	}
}

func TestDecodePoolSenderKeepsTheWire(t *testing.T) {
	raw := json.RawMessage(`{"sid":"PN1","phone_number":"+18885550111","capabilities":null,"extra":1}`)
	p, err := api.DecodePoolSender(api.SourcePhoneNumbers, raw)
	if err != nil || p.Kind != api.KindPhoneNumber || !p.TollFree {
		t.Fatalf("%+v %v", p, err)
	}
	if w, ok := p.Wire(); !ok || string(w) != string(raw) {
		t.Errorf("wire %s", w)
	}
	if _, err := api.DecodePoolSender(api.SourceShortCodes, json.RawMessage(`[1]`)); !errors.Is(err, api.ErrBadResponse) {
		t.Errorf("a list decoded as a short code: %v", err)
	}
	if _, err := api.DecodePoolSender(api.PoolSource(9), raw); !errors.Is(err, api.ErrInvalidSource) {
		t.Errorf("no such source: %v", err)
	}
}

// The 2010 API writes dates in RFC 2822 and capabilities as an object.
func TestDecode2010(t *testing.T) {
	var n api.IncomingPhoneNumber
	err := json.Unmarshal([]byte(`{"sid":"PN1","date_created":"Thu, 30 Jul 2015 23:19:04 +0000","date_updated":null,
		"capabilities":{"voice":true,"SMS":true,"mms":false,"fax":false},"beta":null,"phone_number":"+18089255327"}`), &n)
	if err != nil {
		t.Fatal(err)
	}
	if n.DateCreated == nil || !n.DateCreated.Equal(time.Date(2015, 7, 30, 23, 19, 4, 0, time.UTC)) || n.DateUpdated != nil {
		t.Errorf("dates %v %v", n.DateCreated, n.DateUpdated)
	}
	if got := n.Capabilities.List(); !slices.Equal(got, []string{"SMS", "Voice"}) {
		t.Errorf("capabilities %v", got)
	}
	b, err := n.WireJSON()
	if err != nil || !strings.Contains(string(b), `"date_created":"Thu, 30 Jul 2015 23:19:04 +0000"`) || !strings.Contains(string(b), `"date_updated":null`) {
		t.Errorf("encoded %s %v", b, err)
	}
	var again api.IncomingPhoneNumber
	if err := json.Unmarshal(b, &again); err != nil || !again.DateCreated.Equal(*n.DateCreated) {
		t.Errorf("round trip %v %v", again.DateCreated, err)
	}
	var c api.AccountShortCode
	if err := json.Unmarshal([]byte(`{"sid":"SC1","date_created":"2010-04-01T00:00:00Z"}`), &c); err != nil || c.DateCreated.Year() != 2010 {
		t.Errorf("RFC 3339 accepted too: %v %v", c.DateCreated, err)
	}
	for _, bad := range []string{`{"date_created":"yesterday"}`, `{"date_created":5}`} {
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
	var campaign api.A2PCampaign
	if err := json.Unmarshal([]byte(`{"sid":"QE1","errors":[{"error_code":30897,"fields":["MESSAGE_FLOW"]},"odd",3]}`), &campaign); err != nil ||
		len(campaign.Errors) != 3 || campaign.Errors[0].ErrorCode != 30897 || campaign.Errors[1].ErrorCode != 0 {
		t.Errorf("campaign errors %+v %v", campaign.Errors, err)
	}
}

func TestHints(t *testing.T) {
	for code, word := range map[int]string{
		api.CodeAlreadyInService: "already in this service", api.CodeInAnotherService: "detach it there first",
		api.CodePoolFull: "400", api.CodeNotSMSCapable: "neither SMS nor MMS",
		api.CodeRegionMismatch: "region", api.CodeAlphaNotAllowed: "not allowed",
	} {
		err := error(&api.Error{Status: 400, Code: code, Message: "x"})
		wrapped := errors.Join(errors.New("attach"), err)
		if !api.IsCode(wrapped, code) || api.IsCode(wrapped, code+1) {
			t.Errorf("IsCode(%d)", code)
		}
		if h := api.Hint(wrapped); !strings.Contains(h, word) {
			t.Errorf("Hint(%d) = %q, want %q in it", code, h, word)
		}
	}
	if api.Hint(&api.Error{Code: 20404}) != "" || api.Hint(errors.New("x")) != "" || api.IsCode(nil, 0) {
		t.Error("a hint for what has none")
	}
}
