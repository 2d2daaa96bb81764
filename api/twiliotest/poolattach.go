package twiliotest

import (
	"fmt"
	"slices"
	"strings"
)

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
