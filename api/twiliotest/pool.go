package twiliotest

import (
	"fmt"
	"slices"
	"time"
)

// NumberSeed is a phone number of the account: listed by the 2010 API's
// IncomingPhoneNumbers, and a member of at most one service's pool.
type NumberSeed struct {
	SID          string // PN…
	PhoneNumber  string // E.164
	FriendlyName string // "" gives the number, formatted as Twilio does for +1 numbers
	CountryCode  string // ISO 3166-1, what the Messaging API shows as country_code
	// Capabilities as the Messaging API lists them: "SMS", "MMS", "Voice",
	// "Fax". Nil means SMS, MMS and Voice. One with neither SMS nor MMS
	// cannot join a pool (21715).
	Capabilities []string
	Type         string // the 2010 API's type: "" is local; tollfree, mobile
	Region       string // the Twilio region it lives in; "" is us1 (another one than its service's: 21669)
	Created      time.Time
}

// ShortCodeSeed is a short code of the account (2010 SMS/ShortCodes).
type ShortCodeSeed struct {
	SID          string // SC…
	ShortCode    string // digits
	FriendlyName string // "" gives the digits
	CountryCode  string
	Capabilities []string // nil means SMS and MMS
	Created      time.Time
}

// AlphaSeed is an alpha sender of a service. Alpha senders are not
// account resources: a service creates them from their text.
type AlphaSeed struct {
	SID         string // AI…
	AlphaSender string
	Country     string // the destination country (DestinationAlphaSenders); "" for every country (AlphaSenders)
	Created     time.Time
}

// CampaignSeed is a service's US A2P 10DLC campaign.
type CampaignSeed struct {
	SID                  string // QE…
	BrandRegistrationSID string // BN…
	CampaignID           string // The Campaign Registry's id, e.g. CABCDEF
	Status               string // PENDING, IN_PROGRESS, VERIFIED, FAILED
	Usecase              string // e.g. MIXED, MARKETING, 2FA
	Description          string
	Created              time.Time
}

// ServiceSettings are the settings of a service besides StickySender;
// nil and zero values are the defaults Twilio gives a new service.
type ServiceSettings struct {
	AreaCodeGeomatch          *bool  // default true
	SmartEncoding             *bool  // default true
	MMSConverter              *bool  // default true
	FallbackToLongCode        *bool  // default false
	UseInboundWebhookOnNumber *bool  // default false
	ValidityPeriod            int    // seconds; default 36000
	Usecase                   string // default "undeclared"
}

// The pool rules the fake enforces.
const (
	// DefaultPoolLimit is the phone numbers and short codes a service holds
	// unless its seed says otherwise (Twilio's default).
	DefaultPoolLimit = 400
	defaultValidity  = 36_000
)

// alphaForbidden are destination countries where Twilio does not allow
// alphanumeric sender IDs: a per-country alpha sender for one of them is
// refused with 21709.
var alphaForbidden = map[string]bool{"US": true, "CA": true, "PR": true}

type numberState struct {
	seed       NumberSeed
	service    string    // MG… it is in, "" when free
	attachedAt time.Time // date_created/date_updated of the service's PhoneNumber
}

type shortCodeState struct {
	seed       ShortCodeSeed
	service    string
	attachedAt time.Time
}

type alphaState struct {
	seed    AlphaSeed // Created is when the service got it
	service string
}

// settingsState is a service's settings as they are now.
type settingsState struct {
	name                                                string
	sticky, geomatch, smart, mms, fallback, inboundHook bool
	validity                                            int
	usecase                                             string
	updated                                             time.Time
	campaign                                            *CampaignSeed
	poolLimit                                           int
	region                                              string
}

func newSettings(s ServiceSeed) settingsState {
	or := func(v *bool, def bool) bool {
		if v == nil {
			return def
		}
		return *v
	}
	st := settingsState{
		name:        s.FriendlyName,
		sticky:      s.StickySender,
		geomatch:    or(s.Settings.AreaCodeGeomatch, true),
		smart:       or(s.Settings.SmartEncoding, true),
		mms:         or(s.Settings.MMSConverter, true),
		fallback:    or(s.Settings.FallbackToLongCode, false),
		inboundHook: or(s.Settings.UseInboundWebhookOnNumber, false),
		validity:    s.Settings.ValidityPeriod,
		usecase:     s.Settings.Usecase,
		updated:     s.Created,
		poolLimit:   s.PoolLimit,
		region:      s.Region,
	}
	if st.validity == 0 {
		st.validity = defaultValidity
	}
	if st.usecase == "" {
		st.usecase = "undeclared"
	}
	if st.poolLimit <= 0 {
		st.poolLimit = DefaultPoolLimit
	}
	if st.region == "" {
		st.region = "us1"
	}
	if c := s.Campaign; c != nil {
		cp := *c
		cp.Created = stamp(cp.Created)
		st.campaign = &cp
	}
	return st
}

func newServiceState(s ServiceSeed) *serviceState {
	attached := func(t time.Time, sid string) (time.Time, string) { return t, sid }
	return &serviceState{
		seed:       s,
		members:    map[string]*senderState{},
		numbers:    newMemberSet(func(n *numberState) (time.Time, string) { return attached(n.attachedAt, n.seed.SID) }),
		shortCodes: newMemberSet(func(c *shortCodeState) (time.Time, string) { return attached(c.attachedAt, c.seed.SID) }),
		alphas:     newMemberSet(func(a *alphaState) (time.Time, string) { return attached(a.seed.Created, a.seed.SID) }),
		dalphas:    newMemberSet(func(a *alphaState) (time.Time, string) { return attached(a.seed.Created, a.seed.SID) }),
	}
}

// AddNumber adds a phone number to the account, or replaces the seed of
// the number with the same SID (keeping its service).
func (f *Fake) AddNumber(n NumberSeed) {
	n.Created = stamp(n.Created)
	f.mu.Lock()
	defer f.mu.Unlock()
	if old, ok := f.numbers.get(n.SID); ok {
		old.seed = n
		if old.service != "" {
			f.services[old.service].numbers.changed()
		}
		f.numbers.changed()
		return
	}
	f.numbers.put(n.SID, &numberState{seed: n})
}

// AddShortCode adds a short code to the account, or replaces the seed of
// the one with the same SID (keeping its service).
func (f *Fake) AddShortCode(s ShortCodeSeed) {
	s.Created = stamp(s.Created)
	f.mu.Lock()
	defer f.mu.Unlock()
	if old, ok := f.shortCodes.get(s.SID); ok {
		old.seed = s
		if old.service != "" {
			f.services[old.service].shortCodes.changed()
		}
		f.shortCodes.changed()
		return
	}
	f.shortCodes.put(s.SID, &shortCodeState{seed: s})
}

// seedPoolLocked puts a seed's numbers, short codes and alpha senders in
// its service. Callers hold f.mu.
func (f *Fake) seedPoolLocked(svc *serviceState, s ServiceSeed) {
	for _, pn := range s.PhoneNumbers {
		n, ok := f.numbers.get(pn)
		if !ok {
			panic(fmt.Sprintf("twiliotest: service %s seeds unknown number %s (add it with AddNumber first)", s.SID, pn))
		}
		if n.service != "" && n.service != s.SID {
			panic(fmt.Sprintf("twiliotest: number %s is already in %s, cannot seed it into %s", pn, n.service, s.SID))
		}
		n.service, n.attachedAt = s.SID, later(n.seed.Created, s.Created)
		svc.numbers.put(pn, n)
	}
	for _, sc := range s.ShortCodes {
		c, ok := f.shortCodes.get(sc)
		if !ok {
			panic(fmt.Sprintf("twiliotest: service %s seeds unknown short code %s (add it with AddShortCode first)", s.SID, sc))
		}
		if c.service != "" && c.service != s.SID {
			panic(fmt.Sprintf("twiliotest: short code %s is already in %s, cannot seed it into %s", sc, c.service, s.SID))
		}
		c.service, c.attachedAt = s.SID, later(c.seed.Created, s.Created)
		svc.shortCodes.put(sc, c)
	}
	if used := svc.numbers.len() + svc.shortCodes.len(); used > svc.settings.poolLimit {
		panic(fmt.Sprintf("twiliotest: service %s seeds %d numbers and short codes, past its pool limit of %d (set PoolLimit)", s.SID, used, svc.settings.poolLimit))
	}
	for _, a := range s.Alphas {
		if !validSID("AI", a.SID) {
			panic(fmt.Sprintf("twiliotest: service %s seeds alpha sender %q with a malformed SID %q", s.SID, a.AlphaSender, a.SID))
		}
		a.Created = stamp(later(a.Created, s.Created))
		set := &svc.alphas
		if a.Country != "" {
			set = &svc.dalphas
		}
		set.put(a.SID, &alphaState{seed: a, service: s.SID})
	}
	if svc.alphas.len() > 1 {
		panic(fmt.Sprintf("twiliotest: service %s seeds %d alpha senders for every country; a service has at most one", s.SID, svc.alphas.len()))
	}
}

// PoolSIDs returns the SIDs of every member of a service's pool (channel
// senders, phone numbers, short codes, alpha senders), sorted; nil for an
// unknown service.
func (f *Fake) PoolSIDs(serviceSID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	svc, ok := f.services[serviceSID]
	if !ok {
		return nil
	}
	var out []string
	for sid := range svc.members {
		out = append(out, sid)
	}
	for _, set := range []map[string]bool{keysOf(svc.numbers.bySID), keysOf(svc.shortCodes.bySID), keysOf(svc.alphas.bySID), keysOf(svc.dalphas.bySID)} {
		for sid := range set {
			out = append(out, sid)
		}
	}
	slices.Sort(out)
	return out
}

func keysOf[T any](m map[string]*T) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
