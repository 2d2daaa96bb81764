package twiliotest

import (
	"fmt"
	"strconv"
	"strings"
)

// faultRoutes names the routes in a fault spec, in the order the error
// message lists them.
var faultRoutes = []struct {
	name  string
	route Route
}{
	{"services", RouteListServices},
	{"service", RouteFetchService},
	{"list", RouteListChannelSenders},
	{"sender", RouteFetchChannelSender},
	{"attach", RouteCreateChannelSender},
	{"detach", RouteDeleteChannelSender},
	{"catalogue", RouteListAccountSenders},
	{"settings", RouteUpdateService},
	{"numbers", RouteListPhoneNumbers},
	{"number", RouteFetchPhoneNumber},
	{"attach-number", RouteCreatePhoneNumber},
	{"detach-number", RouteDeletePhoneNumber},
	{"shortcodes", RouteListShortCodes},
	{"shortcode", RouteFetchShortCode},
	{"attach-shortcode", RouteCreateShortCode},
	{"detach-shortcode", RouteDeleteShortCode},
	{"alphas", RouteListAlphaSenders},
	{"alpha", RouteFetchAlphaSender},
	{"attach-alpha", RouteCreateAlphaSender},
	{"detach-alpha", RouteDeleteAlphaSender},
	{"country-alphas", RouteListDestinationAlphaSenders},
	{"country-alpha", RouteFetchDestinationAlphaSender},
	{"attach-country-alpha", RouteCreateDestinationAlphaSender},
	{"detach-country-alpha", RouteDeleteDestinationAlphaSender},
	{"a2p", RouteListUsAppToPerson},
	{"campaign", RouteFetchUsAppToPerson},
	{"account-numbers", RouteListIncomingPhoneNumbers},
	{"account-shortcodes", RouteListAccountShortCodes},
}

func faultRoute(name string) (Route, bool) {
	for _, r := range faultRoutes {
		if r.name == name {
			return r.route, true
		}
	}
	return RouteNone, false
}

func faultRouteNames() string {
	names := make([]string, len(faultRoutes))
	for i, r := range faultRoutes {
		names[i] = r.name
	}
	return strings.Join(names, ", ")
}

func faultKind(name string) (FaultKind, bool) {
	switch name {
	case "html":
		return FaultHTML, true
	case "malformed":
		return FaultMalformedJSON, true
	case "empty":
		return FaultEmptyBody, true
	case "drop":
		return FaultDrop, true
	case "dropbody":
		return FaultDropMidBody, true
	case "hang":
		return FaultHang, true
	case "foreign":
		return FaultForeignNextPage, true
	case "endless":
		return FaultEndlessPages, true
	}
	return 0, false
}

// ParseFaults reads a fault script such as
//
//	attach=409,detach=500*2,services=503,list=html*,catalogue=hang
//
// route[@MG…]=fault[*times]: routes are services, service, list, sender,
// attach, detach, catalogue (the channel senders' calls), settings, and
// for the rest of the pool numbers, number, attach-number, detach-number
// and the same for shortcode, alpha and country-alpha, then a2p,
// campaign, account-numbers, account-shortcodes; a fault is an HTTP status (a Twilio error,
// code 20000+status) or one of html, malformed, empty, drop, dropbody,
// hang, foreign, endless; *N repeats it N times, a bare * until cleared;
// @MG… fires it only for requests to that service (Fault.Service), so
// that, for one, attach-number@MG…=500 breaks the attach half of a move
// into that service while the detach from the other succeeds. The demo
// reads it from SENDERPOOL_DEMO_FAULTS so anyone can see how errors look.
func ParseFaults(spec string) (map[Route][]Fault, error) {
	out := map[Route][]Fault{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, rest, ok := strings.Cut(item, "=")
		name, service, scoped := strings.Cut(strings.TrimSpace(name), "@")
		route, known := faultRoute(name)
		if !ok || !known {
			return nil, fmt.Errorf("fault %q: want route[@MG…]=fault with a route among %s", item, faultRouteNames())
		}
		if scoped && !validSID("MG", service) {
			return nil, fmt.Errorf("fault %q: %q after @ is not a service SID (MG followed by 32 hex digits)", item, shorten(service))
		}
		what, times, _ := strings.Cut(rest, "*")
		f := Fault{Service: service}
		switch {
		case strings.Contains(rest, "*") && times == "":
			f.Times = -1
		case times != "":
			n, err := strconv.Atoi(times)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("fault %q: *%s is not a positive count", item, times)
			}
			f.Times = n
		}
		if kind, ok := faultKind(what); ok {
			f.Kind = kind
		} else if status, err := strconv.Atoi(what); err == nil && status >= 400 && status <= 599 {
			f.Kind, f.Status = FaultStatus, status
		} else {
			return nil, fmt.Errorf("fault %q: %q is neither an HTTP error status nor one of html, malformed, empty, drop, dropbody, hang, foreign, endless", item, what)
		}
		out[route] = append(out[route], f)
	}
	return out, nil
}
