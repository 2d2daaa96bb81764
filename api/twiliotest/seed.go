package twiliotest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Generate returns n senders built from seed: the same seed, n and start
// give the same senders. About half are WhatsApp numbers (E.164, with a
// matching country code), a fifth Messenger pages, a fifth RCS agents, and
// a tenth carry the odd sender types real accounts show ("Messanger",
// no type at all, lowercase "whatsapp"). Most are ONLINE, some OFFLINE, a
// few in other v2 states. Created times start after start and increase,
// so the fake lists them in generation order.
func Generate(seed int64, n int, start time.Time) []SenderSeed {
	if start.IsZero() {
		start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	g := &generator{
		rng:     rand.New(rand.NewPCG(uint64(seed), 0x5e9de7f001)),
		sids:    make(map[string]bool, n),
		senders: make(map[string]bool, n),
		agents:  map[string]int{},
	}
	out := make([]SenderSeed, 0, max(n, 0))
	t := stamp(start)
	for range n {
		t = t.Add(time.Duration(1+g.rng.IntN(600)) * time.Second)
		s := g.sender()
		s.Created = t
		out = append(out, s)
	}
	return out
}

type generator struct {
	rng     *rand.Rand
	sids    map[string]bool
	senders map[string]bool // WhatsApp and Messenger sender strings taken
	agents  map[string]int  // RCS agent base name → how many so far
}

type country struct {
	code   string
	prefix []string // dialling code plus the start of a mobile number
	digits int      // random digits after the prefix
}

// Mobile number shapes per country.
var countries = []country{
	{"US", []string{"+1415", "+1212", "+1646", "+1312", "+1512", "+1206"}, 7},
	{"GB", []string{"+447"}, 9},
	{"DE", []string{"+49151", "+49160", "+49170", "+49176"}, 8},
	{"BR", []string{"+55119", "+55219", "+55319", "+55419"}, 8},
	{"IN", []string{"+919", "+918", "+917"}, 9},
	{"MX", []string{"+5255", "+5233", "+5281"}, 8},
	{"ES", []string{"+346"}, 8},
	{"FR", []string{"+336", "+337"}, 8},
	{"JP", []string{"+8190", "+8180", "+8170"}, 8},
}

var (
	brands   = []string{"acme", "globex", "initech", "umbrella", "hooli", "wonka", "soylent", "tyrell", "cyberdyne", "vandelay"}
	purposes = []string{"support", "alerts", "billing", "promo", "delivery", "otp", "booking", "news"}
	others   = []string{"PENDING_VERIFICATION", "ONLINE:UPDATING", "VERIFYING", "TWILIO_REVIEW", "CREATING", "DRAFT"}
)

func (g *generator) sender() SenderSeed {
	s := SenderSeed{SID: g.sid(), Status: g.status()}
	brand, purpose := pick(g.rng, brands), pick(g.rng, purposes)
	s.ProfileName = title(brand) + " " + title(purpose)
	c := g.country()
	s.CountryCode = c.code
	switch r := g.rng.IntN(100); {
	case r < 50:
		s.SenderType, s.Sender = "WhatsApp", g.whatsapp(c)
	case r < 70:
		s.SenderType, s.Sender = "Messenger", g.messenger()
	case r < 90:
		s.SenderType, s.Sender = "RCS", g.rcs(brand, purpose)
	default:
		switch g.rng.IntN(3) {
		case 0: // the typo of the spec's own example
			s.SenderType, s.Sender = "Messanger", g.messenger()
		case 1: // no type: only the prefix tells
			s.SenderType, s.Sender = "", g.rcs(brand, purpose)
		default:
			s.SenderType, s.Sender = "whatsapp", g.whatsapp(c)
		}
	}
	return s
}

func (g *generator) sid() string {
	for {
		sid := fmt.Sprintf("XE%016x%016x", g.rng.Uint64(), g.rng.Uint64())
		if !g.sids[sid] {
			g.sids[sid] = true
			return sid
		}
	}
}

func (g *generator) status() string {
	switch r := g.rng.IntN(100); {
	case r < 82:
		return "ONLINE"
	case r < 92:
		return "OFFLINE"
	default:
		return pick(g.rng, others)
	}
}

// country picks the US for a third of the senders, the others evenly.
func (g *generator) country() country {
	if g.rng.IntN(3) == 0 {
		return countries[0]
	}
	return countries[1+g.rng.IntN(len(countries)-1)]
}

func (g *generator) unique(make func() string) string {
	for {
		s := make()
		if !g.senders[s] {
			g.senders[s] = true
			return s
		}
	}
}

func (g *generator) whatsapp(c country) string {
	return g.unique(func() string {
		return "whatsapp:" + pick(g.rng, c.prefix) + g.digits(c.digits)
	})
}

// messenger returns a 15-digit Facebook page id.
func (g *generator) messenger() string {
	return g.unique(func() string { return "messenger:10" + g.digits(13) })
}

// rcs returns an agent id like acme_support_agent; repeats get a number.
func (g *generator) rcs(brand, purpose string) string {
	base := "rcs:" + brand + "_" + purpose + "_agent"
	g.agents[base]++
	if n := g.agents[base]; n > 1 {
		return fmt.Sprintf("%s_%d", base, n)
	}
	return base
}

func (g *generator) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.rng.IntN(10)))
	}
	return b.String()
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

func title(s string) string {
	if s == "otp" {
		return "OTP"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// GenerateNumbers returns n phone numbers built from seed, the same for
// the same arguments: about half US local numbers, a tenth US toll-free,
// the rest mobile numbers of the other countries Generate uses; most with
// SMS, MMS and Voice, some SMS only. SIDs and numbers are unique; Created
// times start after start and increase.
func GenerateNumbers(seed int64, n int, start time.Time) []NumberSeed {
	if start.IsZero() {
		start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	sids, numbers := make(map[string]bool, n), make(map[string]bool, n)
	out := make([]NumberSeed, 0, max(n, 0))
	t := stamp(start)
	for range n {
		t = t.Add(time.Duration(1+rng.IntN(600)) * time.Second)
		s := NumberSeed{Created: t}
		for s.SID == "" || sids[s.SID] {
			s.SID = fmt.Sprintf("PN%016x%016x", rng.Uint64(), rng.Uint64())
		}
		sids[s.SID] = true
		for s.PhoneNumber == "" || numbers[s.PhoneNumber] {
			switch r := rng.IntN(100); {
			case r < 50:
				s.CountryCode, s.Type = "US", ""
				s.PhoneNumber = pick(rng, countries[0].prefix) + digits(rng, countries[0].digits)
			case r < 60:
				s.CountryCode, s.Type = "US", "tollfree"
				s.PhoneNumber = "+1" + pick(rng, []string{"800", "833", "844", "855", "866", "877", "888"}) + digits(rng, 7)
			default:
				c := countries[1+rng.IntN(len(countries)-1)]
				s.CountryCode, s.Type = c.code, "mobile"
				s.PhoneNumber = pick(rng, c.prefix) + digits(rng, c.digits)
			}
		}
		numbers[s.PhoneNumber] = true
		if rng.IntN(5) == 0 {
			s.Capabilities = []string{"SMS"}
		}
		out = append(out, s)
	}
	return out
}

// GenerateShortCodes returns n short codes built from seed: five or six
// digits, US mostly, unique; Created times increase from start.
func GenerateShortCodes(seed int64, n int, start time.Time) []ShortCodeSeed {
	if start.IsZero() {
		start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5c0de5))
	sids, codes := make(map[string]bool, n), make(map[string]bool, n)
	out := make([]ShortCodeSeed, 0, max(n, 0))
	t := stamp(start)
	for range n {
		t = t.Add(time.Duration(1+rng.IntN(600)) * time.Second)
		s := ShortCodeSeed{Created: t, CountryCode: "US"}
		if rng.IntN(4) == 0 {
			s.CountryCode = "GB"
		}
		for s.SID == "" || sids[s.SID] {
			s.SID = fmt.Sprintf("SC%016x%016x", rng.Uint64(), rng.Uint64())
		}
		sids[s.SID] = true
		for s.ShortCode == "" || codes[s.ShortCode] {
			s.ShortCode = strconv.Itoa(10_000 + rng.IntN(990_000))
		}
		codes[s.ShortCode] = true
		out = append(out, s)
	}
	return out
}

func digits(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	return b.String()
}
