package api

import "fmt"

// DetachWarning is something true of a service that detaching a sender
// changes for the messages it sends: what a confirmation should say.
type DetachWarning int

const (
	// WarnStickySender: sticky sender is on, so the recipients who last
	// heard from this number or short code will get another one. Sticky
	// sender picks among the phone numbers and short codes, so it is said
	// of those only.
	WarnStickySender DetachWarning = iota + 1
	// WarnLastOfKind: no sender of its kind will be left in the service.
	WarnLastOfKind
	// WarnLeavesCampaign: a US long code leaves the service's US A2P
	// campaign (toll-free numbers are verified apart and are not in it).
	WarnLeavesCampaign
)

// DetachWarnings says what detaching target from a service changes: svc
// as fetched, its campaign (nil when it has none, as ServiceA2PCampaign
// returns it) and its pool as listed. Unknown settings (nil) warn of
// nothing.
func DetachWarnings(svc *Service, campaign *A2PCampaign, pool []PoolSender, target PoolSender) []DetachWarning {
	var out []DetachWarning
	numberOrShort := target.Kind == KindPhoneNumber || target.Kind == KindShortCode
	if svc != nil && svc.StickySender != nil && *svc.StickySender && numberOrShort {
		out = append(out, WarnStickySender)
	}
	last := true
	for _, p := range pool {
		if p.Kind == target.Kind && p.SID != target.SID {
			last = false
			break
		}
	}
	if last {
		out = append(out, WarnLastOfKind)
	}
	if campaign != nil && target.Kind == KindPhoneNumber && target.Country == "US" && !target.TollFree {
		out = append(out, WarnLeavesCampaign)
	}
	return out
}

// Text is the warning in a sentence, naming what it is about.
func (w DetachWarning) Text(target PoolSender, campaign *A2PCampaign) string {
	switch w {
	case WarnStickySender:
		return "Sticky sender is on: the recipients who last heard from " + target.Address + " will get another sender."
	case WarnLastOfKind:
		one := KindSingular(target.Kind)
		return "It is the service's last " + one + ": the service will have no " + one + " left."
	case WarnLeavesCampaign:
		id := ""
		if campaign != nil && campaign.CampaignID != "" {
			id = " (" + campaign.CampaignID + ")"
		}
		return target.Address + " leaves the service's US A2P campaign" + id + "."
	}
	return fmt.Sprintf("DetachWarning(%d)", int(w))
}

// KindSingular is one sender of a kind in a sentence: "phone number",
// "WhatsApp sender".
func KindSingular(kind string) string {
	switch kind {
	case KindPhoneNumber:
		return "phone number"
	case KindShortCode:
		return "short code"
	case KindAlpha:
		return "alpha sender"
	case KindOther:
		return "channel sender of no known type"
	}
	return kind + " sender"
}
