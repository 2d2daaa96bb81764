package twiliotest

import (
	"fmt"
	"slices"
	"strings"
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

// memberSet is a set of things keyed by SID, listed in a stable order
// (time, then SID) that is cached until the next change.
type memberSet[T any] struct {
	bySID  map[string]*T
	sorted []*T // nil = rebuild
	key    func(*T) (time.Time, string)
}

func newMemberSet[T any](key func(*T) (time.Time, string)) memberSet[T] {
	return memberSet[T]{bySID: map[string]*T{}, key: key}
}

func (m *memberSet[T]) put(sid string, v *T) { m.bySID[sid] = v; m.sorted = nil }
func (m *memberSet[T]) drop(sid string)      { delete(m.bySID, sid); m.sorted = nil }
func (m *memberSet[T]) len() int             { return len(m.bySID) }

func (m *memberSet[T]) get(sid string) (*T, bool) {
	v, ok := m.bySID[sid]
	return v, ok
}

// changed drops the cached order after a member's key changed.
func (m *memberSet[T]) changed() { m.sorted = nil }

func (m *memberSet[T]) list() []*T {
	if m.sorted == nil {
		m.sorted = make([]*T, 0, len(m.bySID))
		for _, v := range m.bySID {
			m.sorted = append(m.sorted, v)
		}
		slices.SortFunc(m.sorted, func(a, b *T) int {
			ta, sa := m.key(a)
			tb, sb := m.key(b)
			return compareKey(ta, sa, tb, sb)
		})
	}
	return m.sorted
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

// AttachNumber adds one of the account's numbers to a service, with the
// same rules, and the same *Error values, as POST …/PhoneNumbers.
func (f *Fake) AttachNumber(serviceSID, phoneNumberSID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.attachNumberLocked(serviceSID, phoneNumberSID); err != nil {
		return err
	}
	return nil
}

// AttachShortCode adds one of the account's short codes to a service, as
// POST …/ShortCodes does.
func (f *Fake) AttachShortCode(serviceSID, shortCodeSID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.attachShortCodeLocked(serviceSID, shortCodeSID); err != nil {
		return err
	}
	return nil
}

// poolUsed is how many places of the pool's limit are taken.
func (svc *serviceState) poolUsed() int { return svc.numbers.len() + svc.shortCodes.len() }

func (f *Fake) attachNumberLocked(mg, pn string) (*numberState, *Error) {
	svc, e := f.service(mg)
	if e != nil {
		return nil, e
	}
	if pn == "" {
		return nil, errMissingParam("PhoneNumberSid")
	}
	n, ok := f.numbers.get(pn)
	if !validSID("PN", pn) || !ok {
		return nil, errInvalidPoolSID("Phone Number", pn)
	}
	switch n.service {
	case "":
	case mg:
		return nil, errAlreadyInService(pn)
	default:
		return nil, errInAnotherService(pn, n.service)
	}
	if !smsCapable(n.seed.Capabilities, true) {
		return nil, errNotSMSCapable(n.seed.PhoneNumber)
	}
	if region := regionOf(n.seed.Region); region != svc.settings.region {
		return nil, errRegionMismatch(n.seed.PhoneNumber, region, svc.settings.region)
	}
	if svc.poolUsed() >= svc.settings.poolLimit {
		return nil, errPoolFull(svc.settings.poolLimit)
	}
	n.service, n.attachedAt = mg, stamp(f.now())
	svc.numbers.put(pn, n)
	return n, nil
}

func (f *Fake) attachShortCodeLocked(mg, sc string) (*shortCodeState, *Error) {
	svc, e := f.service(mg)
	if e != nil {
		return nil, e
	}
	if sc == "" {
		return nil, errMissingParam("ShortCodeSid")
	}
	c, ok := f.shortCodes.get(sc)
	if !validSID("SC", sc) || !ok {
		return nil, errInvalidPoolSID("Short Code", sc)
	}
	switch c.service {
	case "":
	case mg:
		return nil, errAlreadyInService(sc)
	default:
		return nil, errInAnotherService(sc, c.service)
	}
	if svc.poolUsed() >= svc.settings.poolLimit {
		return nil, errPoolFull(svc.settings.poolLimit)
	}
	c.service, c.attachedAt = mg, stamp(f.now())
	svc.shortCodes.put(sc, c)
	return c, nil
}

// createAlphaLocked gives a service an alpha sender: for every country
// when country is "", else for that destination. destination says which
// endpoint asked (DestinationAlphaSenders lists what it creates, a default
// one without a country included, as the spec describes).
func (f *Fake) createAlphaLocked(mg, text, country string, destination bool) (*alphaState, *Error) {
	svc, e := f.service(mg)
	if e != nil {
		return nil, e
	}
	if text == "" {
		return nil, errMissingParam("AlphaSender")
	}
	if reason := alphaProblem(text); reason != "" {
		return nil, errBadQuery("Invalid AlphaSender " + fmt.Sprintf("%q", shorten(text)) + ": " + reason)
	}
	if country != "" {
		if len(country) != 2 || strings.ToUpper(country) != country || !isLetters(country) {
			return nil, errBadQuery("Invalid IsoCountryCode " + fmt.Sprintf("%q", shorten(country)) + ": want two capital letters (ISO 3166-1)")
		}
		if alphaForbidden[country] {
			return nil, errAlphaNotAllowed(country)
		}
	}
	set := &svc.alphas
	if destination {
		set = &svc.dalphas
	}
	for _, a := range set.list() {
		if a.seed.Country != country {
			continue
		}
		if a.seed.AlphaSender == text {
			return nil, errAlreadyInService(a.seed.SID)
		}
		return nil, errAlphaTaken(a.seed.AlphaSender, country)
	}
	f.nextSID++
	a := &alphaState{service: mg, seed: AlphaSeed{
		SID: fmt.Sprintf("AI%016x%016x", 0xa1fa000000000000|f.nextSID, f.nextSID), AlphaSender: text,
		Country: country, Created: stamp(f.now()),
	}}
	set.put(a.seed.SID, a)
	return a, nil
}

// smsCapable: a pool member must send SMS or MMS (Twilio's 21715 page).
// Nil capabilities are the seed's default, which can.
func smsCapable(caps []string, defaultCan bool) bool {
	if caps == nil {
		return defaultCan
	}
	for _, c := range caps {
		if strings.EqualFold(c, "SMS") || strings.EqualFold(c, "MMS") {
			return true
		}
	}
	return false
}

func regionOf(r string) string {
	if r == "" {
		return "us1"
	}
	return r
}

// alphaProblem checks an alpha sender as the spec describes it; "" if
// fine. It mirrors api.ValidateAlphaSender without importing package api.
func alphaProblem(s string) string {
	if len(s) > 11 {
		return "at most 11 characters"
	}
	letter := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			letter = true
		case '0' <= c && c <= '9', strings.IndexByte(" -+_&", c) >= 0:
		default:
			return "valid characters are A-Z, a-z, 0-9, space, hyphen, plus, underscore and ampersand"
		}
	}
	if !letter {
		return "it cannot contain only numbers"
	}
	return ""
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// capabilityOrder is how the fake lists capabilities, as Twilio's
// examples do.
var capabilityOrder = []string{"MMS", "SMS", "Voice", "Fax"}

// orderedCapabilities returns caps in capabilityOrder (any unknown ones
// after), or def when caps is nil; never nil.
func orderedCapabilities(caps, def []string) []string {
	if caps == nil {
		caps = def
	}
	out := make([]string, 0, len(caps))
	for _, want := range capabilityOrder {
		for _, c := range caps {
			if strings.EqualFold(c, want) {
				out = append(out, want)
				break
			}
		}
	}
	for _, c := range caps {
		if !slices.ContainsFunc(capabilityOrder, func(w string) bool { return strings.EqualFold(w, c) }) {
			out = append(out, c)
		}
	}
	return out
}

var (
	defaultNumberCaps    = []string{"MMS", "SMS", "Voice"}
	defaultShortCodeCaps = []string{"MMS", "SMS"}
	alphaCaps            = []string{"SMS"}
)
