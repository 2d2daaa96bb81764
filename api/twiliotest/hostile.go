package twiliotest

import (
	"fmt"
	"strings"
	"time"
)

// HostileValues is text that must never reach a terminal, the clipboard
// or a file as it was sent: escape sequences of every kind (screen clear,
// cursor moves, window title, OSC 52 clipboard, OSC 8 links), carriage
// return, newline, backspace, C1 controls (as UTF-8 and as a bare byte),
// bidi overrides and isolates, zero-width and other invisible format
// characters, invalid UTF-8, and a 100,000-character string.
func HostileValues() []string {
	return []string{
		"\x1b[2J\x1b[H" + "cleared",
		"\x1b]0;pwned\x07" + "title",
		"\x1b]52;c;ZWNobyBwd25lZA==\x07" + "clip",
		"\x1b]8;;https://evil.example\x1b\\" + "link" + "\x1b]8;;\x1b\\",
		"\x1b[5A\x1b[2K" + "up",
		"\x1b[31m" + "red" + "\x1b[0m",
		"line1\nline2",
		"over\rwrite",
		"back\b\b\bspace",
		"\u009b31m" + "c1",
		"bare\x9bbyte",
		"svc\u202egpj.exe",
		"zero\u200bwidth\u2066iso\u2069",
		"\ufeffbom\u00adsoft",
		"bad\xff\xfeutf8",
		strings.Repeat("A", 100_000),
	}
}

// Hostile names the parts of the fake AddHostile seeds.
type Hostile struct {
	Service    string   // a service with a well-formed SID whose name and senders are hostile
	BadService string   // a service whose SID itself is hostile
	Senders    []string // the hostile service's senders (well-formed SIDs)
	BadSender  string   // a sender of the hostile service whose SID is hostile
	Free       []string // hostile senders attached nowhere, for the attach picker
}

// AddHostile seeds a service whose name and every field of every sender
// (sender, type, country, status, profile name) holds one of
// HostileValues, a service and a sender whose SIDs are hostile, and free
// senders with hostile fields for the attach picker.
func (f *Fake) AddHostile() Hostile {
	values := HostileValues()
	h := Hostile{
		Service:    "MG" + strings.Repeat("e", 32),
		BadService: "MG" + strings.Repeat("f", 31) + "\x1b]0;x\x07",
		BadSender:  "XE" + strings.Repeat("e", 20) + "\n\x1b[2Jrm -rf ~\n",
	}
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, v := range values {
		sid := fmt.Sprintf("XE%032x", 0xbad0000+i)
		f.AddSender(SenderSeed{
			SID: sid, Sender: "whatsapp:+1415" + v, SenderType: "WhatsApp" + v,
			CountryCode: v, Status: "OFFLINE" + v, ProfileName: v, Created: created,
		})
		h.Senders = append(h.Senders, sid)
		free := fmt.Sprintf("XE%032x", 0xfee0000+i)
		f.AddSender(SenderSeed{SID: free, Sender: "rcs:" + v, SenderType: "RCS", CountryCode: v, Status: v, ProfileName: v, Created: created})
		h.Free = append(h.Free, free)
	}
	f.AddSender(SenderSeed{SID: h.BadSender, Sender: "whatsapp:+1" + values[0], SenderType: "WhatsApp", Created: created})
	f.AddService(ServiceSeed{SID: h.Service, FriendlyName: "Evil" + values[0] + values[11], Created: created,
		Attached: append(append([]string(nil), h.Senders...), h.BadSender)})
	f.AddService(ServiceSeed{SID: h.BadService, FriendlyName: "Bad SID" + values[2], Created: created})
	return h
}
