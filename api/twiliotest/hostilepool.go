package twiliotest

import (
	"fmt"
	"time"
)

// HostilePool names what AddHostilePool seeds.
type HostilePool struct {
	Service     string   // the hostile service (Hostile.Service) the pool members are in
	Numbers     []string // PN SIDs in it, with hostile numbers, countries, capabilities
	ShortCodes  []string // SC SIDs in it
	Alphas      []string // AI SIDs in it: one for every country, the rest per (hostile) country
	FreeNumbers []string // PN SIDs on the account, in no service, with hostile friendly names too
	BadNumber   string   // a number in the service whose SID itself is hostile
}

// AddHostilePool gives the hostile service of h (from AddHostile) a pool
// whose every field holds one of HostileValues: phone numbers, short
// codes, alpha senders and per-country alpha senders, a member whose SID
// is hostile, and numbers of the account in no service, so that every
// screen and command that shows the rest of the pool meets them too. Seed
// checks are the fake's only: nothing here would pass the client's.
func (f *Fake) AddHostilePool(h Hostile) HostilePool {
	values := HostileValues()
	p := HostilePool{Service: h.Service, BadNumber: "PN" + "ee\x1b]0;x\x07" + fmt.Sprintf("%024x", 0)}
	created := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	var alphas []AlphaSeed
	for i, v := range values {
		pn := fmt.Sprintf("PN%032x", 0xbad0000+i)
		f.AddNumber(NumberSeed{SID: pn, PhoneNumber: "+1415" + v, FriendlyName: v, CountryCode: v,
			Capabilities: []string{"SMS", v}, Type: v, Created: created})
		p.Numbers = append(p.Numbers, pn)
		sc := fmt.Sprintf("SC%032x", 0xbad0000+i)
		f.AddShortCode(ShortCodeSeed{SID: sc, ShortCode: "123" + v, FriendlyName: v, CountryCode: v,
			Capabilities: []string{v}, Created: created})
		p.ShortCodes = append(p.ShortCodes, sc)
		ai := fmt.Sprintf("AI%032x", 0xbad0000+i)
		country := v
		if i == 0 {
			country = "" // the one for every country
		}
		alphas = append(alphas, AlphaSeed{SID: ai, AlphaSender: "Acme" + v, Country: country, Created: created})
		p.Alphas = append(p.Alphas, ai)
		free := fmt.Sprintf("PN%032x", 0xfee0000+i)
		f.AddNumber(NumberSeed{SID: free, PhoneNumber: "+1212" + v, FriendlyName: v, CountryCode: v, Created: created})
		p.FreeNumbers = append(p.FreeNumbers, free)
	}
	f.AddNumber(NumberSeed{SID: p.BadNumber, PhoneNumber: "+14155550100", Created: created})
	f.mu.Lock()
	svc, ok := f.services[h.Service]
	var seed ServiceSeed
	if ok {
		seed = svc.seed
	}
	f.mu.Unlock()
	if !ok {
		panic("twiliotest: AddHostilePool needs the service AddHostile made")
	}
	// Re-adding the service keeps its channel senders and adds the pool.
	seed.Attached = nil
	seed.PhoneNumbers = append(append([]string(nil), p.Numbers...), p.BadNumber)
	seed.ShortCodes = p.ShortCodes
	seed.Alphas = alphas
	f.AddService(seed)
	return p
}
