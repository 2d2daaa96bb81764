package twiliotest

import "time"

// Demo credentials: fixed, valid in shape, and obviously not real.
const (
	DemoAccountSID   = "ACdeadbeef000000000000000000000000"
	DemoAuthToken    = "0123456789abcdef0123456789abcdef"
	DemoAPIKeySID    = "SKdeadbeef000000000000000000000000"
	DemoAPIKeySecret = "demo-api-key-secret-not-a-real-one"
)

// The demo's services, in the order the fake lists them.
const (
	DemoServiceNotifications = "MG940eee3cba6f875c2e84496e7857dd86" // "Acme Notifications": 7 senders (or DemoOptions.Senders)
	DemoServiceMarketing     = "MGb938451ee325faa633406bc44dc2a627" // "Acme Marketing": 5 senders
	DemoServiceSandbox       = "MGc2354e2bb7740a63c1d8fac168fb90d7" // "Sandbox (empty)": none
)

// The demo's senders, by what they are; each comment names the sender and
// the oddity it carries, if any.
const (
	// On Acme Notifications (DemoServiceNotifications), in list order.
	DemoSenderWhatsAppUS       = "XEa2da95a83ec33dd6887e840043e58844" // whatsapp:+14155550100
	DemoSenderWhatsAppGB       = "XE5aab0a377f90ade7bc38d756d0055979" // whatsapp:+447700900123
	DemoSenderWhatsAppDE       = "XE9d9b532aba4e6c3686ff0de26a769806" // whatsapp:+4915112345678, sender_type "whatsapp", OFFLINE
	DemoSenderMessenger        = "XE8b3890644f3d4e7b37d72e4af6978770" // messenger:104794531907950
	DemoSenderMessangerTypo    = "XE131db61884f42b4b548a84a5b43d4318" // messenger:109876543210987, sender_type "Messanger"
	DemoSenderRCSNotifications = "XEddfa7fa4ffe9ec11c63d5f77bb3a6a06" // rcs:acme_notifications_agent
	DemoSenderRCSUntyped       = "XEba49c19fc0a9c8beb070e38434d57084" // rcs:acme_alerts_agent, no sender_type, no country, ONLINE:UPDATING

	// On Acme Marketing (DemoServiceMarketing), in list order.
	DemoSenderWhatsAppBR  = "XEd4dd79d3b5834f4cecb736d877f1caf0" // whatsapp:+5511987654321
	DemoSenderWhatsAppIN  = "XE88177abd25fbab1ba70b967adf354788" // whatsapp:+919876543210
	DemoSenderWhatsAppES  = "XEfaaced226972f683de11ee00366dadc0" // whatsapp:+34612345678, OFFLINE
	DemoSenderRCSLongName = "XEa0f09780597538cbc54be01c0ef8e010" // rcs:acme_marketing_seasonal_…: 72 characters
	DemoSenderMessengerMX = "XEb9ae5c8f1fca7da27744001a6aa45fe0" // messenger:100012345678901

	// On the account, attached to no service: what an attach can offer.
	DemoFreeWhatsAppUS = "XE53bdf64dc34797c42393446abe564059" // whatsapp:+14155550123
	DemoFreeWhatsAppFR = "XEcb2d34ea5865585254b1070f63eb18aa" // whatsapp:+33612345678, OFFLINE
	DemoFreeWhatsAppJP = "XE6a1510446d4337155352d63f337e6853" // whatsapp:+819012345678
	DemoFreeRCSSupport = "XEe7b0dfa436cc71a5915405c051032369" // rcs:acme_support_agent
	DemoFreeRCSBilling = "XE345986d33aa67f52682f860ede282d59" // rcs:acme_billing_agent, OFFLINE
)

// DemoUnknownSender is a well-formed sender SID that is on no account the
// demo serves: attaching it meets a real 404.
const DemoUnknownSender = "XE00000000000000000000000000000bad"

// The rest of the demo's pool: phone numbers, short codes, alpha senders,
// the A2P campaign. Each comment names the sender and what it shows.
const (
	// On Acme Notifications (DemoServiceNotifications): sticky sender on,
	// a verified US A2P campaign, US long codes and a toll-free number, an
	// alpha sender for every country and a German one.
	DemoNumberUSSanFrancisco = "PNe07e8e937cc71f7f45ee1a20e236761b" // +14155550142, US local
	DemoNumberUSNewYork      = "PN3f6e15864b53b486b0ba1942396ec2af" // +12125550187, US local
	DemoNumberUSChicago      = "PN2ef112ddca9e7d8601e8ad46b9d0063b" // +13125550163, US local, SMS only
	DemoNumberTollFree       = "PN76439485c37e173f356cf6cc84aa28da" // +18335550199, US toll-free
	DemoAlphaGlobal          = "AI978156804f48de35afb0cf86b7906d2b" // "Acme", every country
	DemoAlphaGermany         = "AIebfe3c026eca6371eebc7c0fc481ed8d" // "Acme GmbH", for DE only
	DemoCampaign             = "QEcc4fd84e61f705b5fde096a4a99607d2" // the US A2P campaign, VERIFIED
	DemoBrand                = "BN2e68d5367cb13c7ba349be78ac39e890" // its brand registration

	// On Acme Marketing (DemoServiceMarketing): sticky sender off, area
	// code geomatch off, no campaign.
	DemoNumberUK          = "PN4c388c53fcf4c51d492b447613f44cc4" // +447700900456, GB mobile
	DemoNumberUSMarketing = "PN34fc01432b5e0874d519a2b81428a8eb" // +16465550123, US local
	DemoShortCode         = "SCf2bb7b9f3c35b742c92392e72fbcf005" // 24368, US

	// On the account, in no service: what an attach can offer, and the
	// refusals Twilio has words for.
	DemoFreeNumberUS        = "PN52735cd8772cd722edf07c53b4a03771" // +14155550177, US local: attaches
	DemoFreeTollFree        = "PN85ea75982559d209c4d194c4857de034" // +18885550111, US toll-free: attaches
	DemoFreeNumberVoiceOnly = "PNfd51990d4a6fc4380e4f99fb222bc294" // +13125550160, voice only: 21715
	DemoFreeNumberIreland   = "PNd11419f70fc2badb15329a32bdb07f6e" // +35315550123, region ie1: 21669
	DemoFreeShortCode       = "SC9eb2d167ccb20bdf614251bf320d8078" // 55123, US: attaches
	DemoFreeShortCodeUK     = "SCfc3381a87e1090d8dd1322dcb9c300c6" // 60777, GB: attaches
)

// DemoUnknownNumber is a well-formed phone number SID that is on no
// account the demo serves: attaching it meets Twilio's 21421.
const DemoUnknownNumber = "PN00000000000000000000000000000bad"

// DemoOptions shape the demo data set.
type DemoOptions struct {
	Senders int // 0 = the default dozen; N > 12 grows the first service to N channel senders
	// Numbers, when more than the first service's own four, grows its
	// phone numbers to Numbers (generated, US and European), raising its
	// pool limit to fit; ShortCodes likewise its short codes (none of its
	// own). For benchmarks and for screens of thousands of senders of
	// every kind.
	Numbers    int
	ShortCodes int
	Latency    time.Duration    // added before every reply
	Now        func() time.Time // clock for attach timestamps; default time.Now
	// Concurrency caps the requests in flight at once (Options.Concurrency);
	// the demo reads it from SENDERPOOL_DEMO_CONCURRENCY (ParseConcurrency).
	Concurrency ConcurrencyLimit
}

// demoDate is a fixed 2024 date, so demo screens are the same on every run.
func demoDate(month, day, hour int) time.Time {
	return time.Date(2024, time.Month(month), day, hour, 17, 42, 0, time.UTC)
}

// demoSenders: 7 on Acme Notifications, 5 on Acme Marketing, 5 on no
// service (what an attach picker can offer). They include every oddity
// the UI must survive: the "Messanger" typo, a missing type, a lowercase
// type, a very long sender id, a sender without a country.
func demoSenders() (notifications, marketing, free []SenderSeed) {
	notifications = []SenderSeed{
		{SID: DemoSenderWhatsAppUS, Sender: "whatsapp:+14155550100", SenderType: "WhatsApp", CountryCode: "US", Status: "ONLINE", ProfileName: "Acme Support", Created: demoDate(2, 3, 9)},
		{SID: DemoSenderWhatsAppGB, Sender: "whatsapp:+447700900123", SenderType: "WhatsApp", CountryCode: "GB", Status: "ONLINE", ProfileName: "Acme UK", Created: demoDate(2, 5, 14)},
		{SID: DemoSenderWhatsAppDE, Sender: "whatsapp:+4915112345678", SenderType: "whatsapp", CountryCode: "DE", Status: "OFFLINE", ProfileName: "Acme Deutschland", Created: demoDate(2, 11, 8)},
		{SID: DemoSenderMessenger, Sender: "messenger:104794531907950", SenderType: "Messenger", CountryCode: "US", Status: "ONLINE", ProfileName: "Acme", Created: demoDate(2, 20, 16)},
		{SID: DemoSenderMessangerTypo, Sender: "messenger:109876543210987", SenderType: "Messanger", CountryCode: "US", Status: "ONLINE", ProfileName: "Acme Help Center", Created: demoDate(3, 1, 11)},
		{SID: DemoSenderRCSNotifications, Sender: "rcs:acme_notifications_agent", SenderType: "RCS", CountryCode: "US", Status: "ONLINE", ProfileName: "Acme Notifications", Created: demoDate(3, 4, 10)},
		{SID: DemoSenderRCSUntyped, Sender: "rcs:acme_alerts_agent", SenderType: "", CountryCode: "", Status: "ONLINE:UPDATING", ProfileName: "Acme Alerts", Created: demoDate(3, 9, 13)},
	}
	marketing = []SenderSeed{
		{SID: DemoSenderWhatsAppBR, Sender: "whatsapp:+5511987654321", SenderType: "WhatsApp", CountryCode: "BR", Status: "ONLINE", ProfileName: "Acme Brasil", Created: demoDate(4, 2, 9)},
		{SID: DemoSenderWhatsAppIN, Sender: "whatsapp:+919876543210", SenderType: "WhatsApp", CountryCode: "IN", Status: "ONLINE", ProfileName: "Acme India", Created: demoDate(4, 8, 7)},
		{SID: DemoSenderWhatsAppES, Sender: "whatsapp:+34612345678", SenderType: "WhatsApp", CountryCode: "ES", Status: "OFFLINE", ProfileName: "Acme España", Created: demoDate(4, 15, 12)},
		{SID: DemoSenderRCSLongName, Sender: "rcs:acme_marketing_seasonal_promotions_and_loyalty_rewards_agent_eu_west", SenderType: "RCS", CountryCode: "GB", Status: "ONLINE", ProfileName: "Acme Seasonal Promotions and Loyalty Rewards", Created: demoDate(4, 22, 15)},
		{SID: DemoSenderMessengerMX, Sender: "messenger:100012345678901", SenderType: "Messenger", CountryCode: "MX", Status: "ONLINE", ProfileName: "Acme México", Created: demoDate(5, 2, 10)},
	}
	free = []SenderSeed{
		{SID: DemoFreeWhatsAppUS, Sender: "whatsapp:+14155550123", SenderType: "WhatsApp", CountryCode: "US", Status: "ONLINE", ProfileName: "Acme Sales", Created: demoDate(5, 14, 9)},
		{SID: DemoFreeWhatsAppFR, Sender: "whatsapp:+33612345678", SenderType: "WhatsApp", CountryCode: "FR", Status: "OFFLINE", ProfileName: "Acme France", Created: demoDate(5, 20, 11)},
		{SID: DemoFreeWhatsAppJP, Sender: "whatsapp:+819012345678", SenderType: "WhatsApp", CountryCode: "JP", Status: "ONLINE", ProfileName: "Acme Japan", Created: demoDate(6, 3, 8)},
		{SID: DemoFreeRCSSupport, Sender: "rcs:acme_support_agent", SenderType: "RCS", CountryCode: "US", Status: "ONLINE", ProfileName: "Acme Support", Created: demoDate(6, 10, 14)},
		{SID: DemoFreeRCSBilling, Sender: "rcs:acme_billing_agent", SenderType: "RCS", CountryCode: "US", Status: "OFFLINE", ProfileName: "Acme Billing", Created: demoDate(6, 18, 16)},
	}
	return notifications, marketing, free
}

// demoGenerateSeed makes the grown demo the same on every run.
const demoGenerateSeed = 20240601

// demoPool: the phone numbers and short codes of each demo service, and
// those of the account in no service.
func demoPool() (notifications, marketing, free []NumberSeed, shortMarketing, shortFree []ShortCodeSeed) {
	notifications = []NumberSeed{
		{SID: DemoNumberUSSanFrancisco, PhoneNumber: "+14155550142", CountryCode: "US", Created: demoDate(1, 16, 9)},
		{SID: DemoNumberUSNewYork, PhoneNumber: "+12125550187", CountryCode: "US", Created: demoDate(1, 16, 10)},
		{SID: DemoNumberUSChicago, PhoneNumber: "+13125550163", CountryCode: "US", Capabilities: []string{"SMS"}, Created: demoDate(1, 18, 14)},
		{SID: DemoNumberTollFree, PhoneNumber: "+18335550199", CountryCode: "US", Type: "tollfree", FriendlyName: "Acme toll-free", Created: demoDate(2, 1, 11)},
	}
	marketing = []NumberSeed{
		{SID: DemoNumberUK, PhoneNumber: "+447700900456", CountryCode: "GB", Type: "mobile", Capabilities: []string{"SMS", "Voice"}, Created: demoDate(1, 23, 9)},
		{SID: DemoNumberUSMarketing, PhoneNumber: "+16465550123", CountryCode: "US", Created: demoDate(1, 23, 10)},
	}
	free = []NumberSeed{
		{SID: DemoFreeNumberUS, PhoneNumber: "+14155550177", CountryCode: "US", Created: demoDate(5, 14, 9)},
		{SID: DemoFreeTollFree, PhoneNumber: "+18885550111", CountryCode: "US", Type: "tollfree", Created: demoDate(5, 20, 10)},
		{SID: DemoFreeNumberVoiceOnly, PhoneNumber: "+13125550160", CountryCode: "US", Capabilities: []string{"Voice"}, FriendlyName: "IVR line", Created: demoDate(6, 2, 15)},
		{SID: DemoFreeNumberIreland, PhoneNumber: "+35315550123", CountryCode: "IE", Region: "ie1", FriendlyName: "Dublin office", Created: demoDate(6, 9, 12)},
	}
	shortMarketing = []ShortCodeSeed{
		{SID: DemoShortCode, ShortCode: "24368", CountryCode: "US", FriendlyName: "ACME DEALS", Created: demoDate(1, 24, 9)},
	}
	shortFree = []ShortCodeSeed{
		{SID: DemoFreeShortCode, ShortCode: "55123", CountryCode: "US", Created: demoDate(6, 12, 10)},
		{SID: DemoFreeShortCodeUK, ShortCode: "60777", CountryCode: "GB", Created: demoDate(6, 15, 11)},
	}
	return
}

// Demo returns a fake with the demo data set: three services ("Acme
// Notifications", "Acme Marketing", and "Sandbox (empty)" with nothing in
// its pool); a dozen channel senders of mixed types across the first two,
// and five WhatsApp and RCS senders attached nowhere; the first two's
// phone numbers, short code, alpha senders and A2P campaign (see the
// constants), and the account's numbers and short codes in no service.
// Seed dates are fixed. It serves DemoAccountSID with DemoAuthToken or
// DemoAPIKeySID.
func Demo(opts DemoOptions) *Fake {
	f := New(Options{Now: opts.Now, Latency: opts.Latency, Concurrency: opts.Concurrency})
	notifications, marketing, free := demoSenders()
	if opts.Senders > len(notifications)+len(marketing) {
		notifications = append(notifications, demoGenerated(opts.Senders-len(notifications), notifications, marketing, free)...)
	}
	for _, list := range [][]SenderSeed{notifications, marketing, free} {
		for _, s := range list {
			f.AddSender(s)
		}
	}
	numNotifications, numMarketing, numFree, scMarketing, scFree := demoPool()
	var scNotifications []ShortCodeSeed
	if opts.Numbers > len(numNotifications) {
		numNotifications = append(numNotifications, GenerateNumbers(demoGenerateSeed, opts.Numbers-len(numNotifications), demoDate(7, 1, 0))...)
	}
	if opts.ShortCodes > 0 {
		scNotifications = GenerateShortCodes(demoGenerateSeed, opts.ShortCodes, demoDate(7, 1, 0))
	}
	for _, list := range [][]NumberSeed{numNotifications, numMarketing, numFree} {
		for _, n := range list {
			f.AddNumber(n)
		}
	}
	for _, list := range [][]ShortCodeSeed{scNotifications, scMarketing, scFree} {
		for _, c := range list {
			f.AddShortCode(c)
		}
	}
	f.AddService(ServiceSeed{SID: DemoServiceNotifications, FriendlyName: "Acme Notifications",
		Created: demoDate(1, 15, 10), StickySender: true, Attached: sids(notifications),
		PhoneNumbers: numberSIDs(numNotifications), ShortCodes: shortCodeSIDs(scNotifications),
		PoolLimit: max(DefaultPoolLimit, len(numNotifications)+len(scNotifications)),
		Alphas: []AlphaSeed{
			{SID: DemoAlphaGlobal, AlphaSender: "Acme", Created: demoDate(1, 17, 9)},
			{SID: DemoAlphaGermany, AlphaSender: "Acme GmbH", Country: "DE", Created: demoDate(2, 12, 10)},
		},
		Campaign: &CampaignSeed{SID: DemoCampaign, BrandRegistrationSID: DemoBrand, CampaignID: "CJ7QW2X",
			Status: "VERIFIED", Usecase: "MIXED", Created: demoDate(1, 20, 16)},
		Settings: ServiceSettings{Usecase: "notifications", ValidityPeriod: 14_400},
	})
	f.AddService(ServiceSeed{SID: DemoServiceMarketing, FriendlyName: "Acme Marketing",
		Created: demoDate(1, 22, 12), Attached: sids(marketing),
		PhoneNumbers: numberSIDs(numMarketing), ShortCodes: shortCodeSIDs(scMarketing),
		Settings: ServiceSettings{Usecase: "marketing", AreaCodeGeomatch: nb(false)},
	})
	f.AddService(ServiceSeed{SID: DemoServiceSandbox, FriendlyName: "Sandbox (empty)",
		Created: demoDate(1, 29, 15)})
	return f
}

func numberSIDs(list []NumberSeed) []string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = n.SID
	}
	return out
}

func shortCodeSIDs(list []ShortCodeSeed) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.SID
	}
	return out
}

// demoGenerated returns n generated senders whose SIDs and sender strings
// do not clash with the hand-written ones.
func demoGenerated(n int, fixed ...[]SenderSeed) []SenderSeed {
	taken := map[string]bool{}
	for _, list := range fixed {
		for _, s := range list {
			taken[s.SID], taken[s.Sender] = true, true
		}
	}
	for extra := 8; ; extra *= 2 {
		out := make([]SenderSeed, 0, n)
		for _, s := range Generate(demoGenerateSeed, n+extra, demoDate(7, 1, 0)) {
			if !taken[s.SID] && !taken[s.Sender] && len(out) < n {
				out = append(out, s)
			}
		}
		if len(out) == n {
			return out
		}
	}
}

func sids(list []SenderSeed) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.SID
	}
	return out
}
