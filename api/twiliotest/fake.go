// Package twiliotest is a stateful in-memory fake of the Twilio endpoints
// senderpool drives: Services (fetch, update), every member of their
// sender pool (ChannelSenders, PhoneNumbers, ShortCodes, AlphaSenders,
// DestinationAlphaSenders: list, fetch, attach, detach), their US A2P
// campaign, the account's v2 Channels Senders, and the account's own
// numbers and short codes of the 2010 API. The Messaging API and the 2010
// API live on different hosts at Twilio; their paths do not overlap, so
// one fake serves both. Tests, benchmarks and the --demo mode serve it
// over real HTTP (Start, or httptest with ServeHTTP).
//
// Like Twilio, it names every reply in a Twilio-Request-Id header and may
// cap the requests in flight at once (ConcurrencyLimit: 429, code 20429).
// For tests it breaks replies on demand (AddFault, AddSharedFault, scoped
// to one service with Fault.Service) and holds requests in flight until
// told (Hold), so that nothing in a test waits on the clock.
//
// The fake builds its JSON from its own structs and never imports package
// api, so decoding its answers with the api types checks the field names.
package twiliotest

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"
)

// Account is the Twilio account the fake serves, with the credentials it
// accepts: AccountSID:AuthToken, or any APIKeys SID:secret pair.
type Account struct {
	SID       string // AC…
	AuthToken string
	APIKeys   map[string]string // SK… → secret
}

// SenderSeed is a sender that exists on the account (the v2 catalogue).
type SenderSeed struct {
	SID         string // XE…
	Sender      string // "whatsapp:+14155550100", "messenger:1047…", "rcs:acme_agent"
	SenderType  string // as the v1 API spells it: "WhatsApp", "Messenger", "RCS", or odd values ("Messanger", "", "whatsapp", "Instagram")
	CountryCode string
	Status      string // v2 status: ONLINE, OFFLINE, …
	ProfileName string
	Created     time.Time
}

// ServiceSeed is a Messaging Service and the senders in its pool.
type ServiceSeed struct {
	SID          string // MG…
	FriendlyName string
	Created      time.Time
	StickySender bool
	Attached     []string // XE SIDs attached (must exist as SenderSeeds)

	PhoneNumbers []string        // PN SIDs in the pool (must exist as NumberSeeds)
	ShortCodes   []string        // SC SIDs in the pool (must exist as ShortCodeSeeds)
	Alphas       []AlphaSeed     // its alpha senders: at most one for every country, one per destination country
	Campaign     *CampaignSeed   // its US A2P campaign, if any
	Settings     ServiceSettings // the other settings; zero: Twilio's defaults for a new service
	// PoolLimit is how many phone numbers and short codes together the
	// pool holds (error 21714 past it); 0 is Twilio's default, 400.
	PoolLimit int
	Region    string // the Twilio region it lives in; "" is us1
}

// Options configure a Fake.
type Options struct {
	// Account is the account served. A zero SID means the demo account
	// (DemoAccountSID with DemoAuthToken and the demo API key), so that
	// New(Options{}) is usable as is.
	Account Account
	Now     func() time.Time // clock for attach timestamps; default time.Now
	Latency time.Duration    // added before every reply (respecting request ctx cancellation)
	// Concurrency caps the requests in flight at once, as Twilio caps an
	// account's; the zero value sets no cap.
	Concurrency ConcurrencyLimit
}

// Fake is the in-memory Twilio. All state sits behind one mutex; every
// method is safe for concurrent use.
type Fake struct {
	mu       sync.Mutex
	account  Account
	now      func() time.Time
	latency  time.Duration
	senders  map[string]*senderState
	services map[string]*serviceState
	channels map[string][]*senderState // v2 catalogue per channel, sorted; nil entry = rebuild

	numbers    memberSet[numberState]    // the account's numbers (2010 IncomingPhoneNumbers), by (Created, SID)
	shortCodes memberSet[shortCodeState] // the account's short codes (2010 SMS/ShortCodes)
	nextSID    uint64                    // counter for the SIDs the fake makes (alpha senders)

	faults   map[Route][]*pendingFault
	requests map[Route]int
	total    int
	records  []RequestRecord
	conns    int

	release     chan struct{} // closed by ReleaseHangs
	releaseOnce sync.Once

	limit     ConcurrencyLimit
	inFlight  int // requests admitted and not yet answered
	peak      int // the most inFlight has been
	throttled int // 429s the limit sent
	gates     []*Gate
}

type senderState struct {
	seed       SenderSeed
	service    string    // MG… it is attached to, "" when free
	attachedAt time.Time // date_created/date_updated of the ChannelSender
}

type serviceState struct {
	seed    ServiceSeed // Attached and the pool's lists are not kept: the sets below are the truth
	members map[string]*senderState
	sorted  []*senderState // members by (attachedAt, SID); nil = rebuild

	numbers    memberSet[numberState]    // by (attachedAt, SID)
	shortCodes memberSet[shortCodeState] // by (attachedAt, SID)
	alphas     memberSet[alphaState]     // for every country, by (created, SID)
	dalphas    memberSet[alphaState]     // per destination country
	settings   settingsState
}

// New returns a Fake with no services and no senders.
func New(opts Options) *Fake {
	acct := opts.Account
	if acct.SID == "" {
		acct = Account{SID: DemoAccountSID, AuthToken: DemoAuthToken,
			APIKeys: map[string]string{DemoAPIKeySID: DemoAPIKeySecret}}
	}
	// Copy the key map so later changes by the caller cannot race with us.
	keys := make(map[string]string, len(acct.APIKeys))
	for k, v := range acct.APIKeys {
		keys[k] = v
	}
	acct.APIKeys = keys
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Fake{
		account:    acct,
		now:        now,
		latency:    opts.Latency,
		limit:      opts.Concurrency,
		senders:    map[string]*senderState{},
		services:   map[string]*serviceState{},
		channels:   map[string][]*senderState{},
		numbers:    newMemberSet(func(n *numberState) (time.Time, string) { return n.seed.Created, n.seed.SID }),
		shortCodes: newMemberSet(func(s *shortCodeState) (time.Time, string) { return s.seed.Created, s.seed.SID }),
		faults:     map[Route][]*pendingFault{},
		requests:   map[Route]int{},
		release:    make(chan struct{}),
	}
}

// AccountSID returns the SID of the account the fake serves.
func (f *Fake) AccountSID() string { return f.account.SID }

// Account returns the account the fake serves, credentials included, so
// that a test can build a client that it accepts.
func (f *Fake) Account() Account {
	a := f.account // set once by New: no lock needed
	a.APIKeys = maps.Clone(a.APIKeys)
	return a
}

// AddSender adds s to the account's catalogue, or replaces the seed of the
// sender with the same SID (keeping its attachment).
func (f *Fake) AddSender(s SenderSeed) {
	s.Created = stamp(s.Created)
	f.mu.Lock()
	defer f.mu.Unlock()
	if old, ok := f.senders[s.SID]; ok {
		old.seed = s
		if old.service != "" {
			f.services[old.service].sorted = nil
		}
	} else {
		f.senders[s.SID] = &senderState{seed: s}
	}
	clear(f.channels)
}

// AddService adds (or replaces) a service and attaches s.Attached,
// s.PhoneNumbers and s.ShortCodes to it and creates s.Alphas. It panics
// when an attached SID is not known (AddSender, AddNumber, AddShortCode
// first) or is in another service, or when the seed passes the pool's
// limit: a seed like that is a bug in the test that wrote it.
func (f *Fake) AddService(s ServiceSeed) {
	s.Created = stamp(s.Created)
	attached := s.Attached
	s.Attached = nil
	f.mu.Lock()
	defer f.mu.Unlock()
	svc, ok := f.services[s.SID]
	if ok {
		svc.seed = s
	} else {
		svc = newServiceState(s)
		f.services[s.SID] = svc
	}
	svc.settings = newSettings(s)
	f.seedPoolLocked(svc, s)
	for _, xe := range attached {
		snd, ok := f.senders[xe]
		if !ok {
			panic(fmt.Sprintf("twiliotest: service %s seeds unknown sender %s (add it with AddSender first)", s.SID, xe))
		}
		if snd.service != "" && snd.service != s.SID {
			panic(fmt.Sprintf("twiliotest: sender %s is already attached to %s, cannot seed it into %s", xe, snd.service, s.SID))
		}
		// A seeded attachment cannot predate the sender or the service.
		snd.service = s.SID
		snd.attachedAt = later(snd.seed.Created, s.Created)
		svc.members[xe] = snd
	}
	svc.sorted = nil
}

// compareKey orders by time, then SID: the fake's stable list order.
func compareKey(ta time.Time, sa string, tb time.Time, sb string) int {
	if c := ta.Compare(tb); c != 0 {
		return c
	}
	return strings.Compare(sa, sb)
}

// stamp drops what the wire cannot show (sub-seconds, zone) so that the
// order the fake sorts by is the order a client sees.
func stamp(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// validSID reports whether s is prefix followed by exactly 32 hex digits.
func validSID(prefix, s string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
