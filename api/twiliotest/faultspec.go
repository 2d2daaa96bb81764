package twiliotest

import (
	"fmt"
	"strconv"
	"strings"
)

// faultRoute names the routes in a fault spec.
func faultRoute(name string) (Route, bool) {
	switch name {
	case "services":
		return RouteListServices, true
	case "service":
		return RouteFetchService, true
	case "list":
		return RouteListChannelSenders, true
	case "sender":
		return RouteFetchChannelSender, true
	case "attach":
		return RouteCreateChannelSender, true
	case "detach":
		return RouteDeleteChannelSender, true
	case "catalogue":
		return RouteListAccountSenders, true
	}
	return RouteNone, false
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
// route=fault[*times]: routes are services, service, list, sender,
// attach, detach, catalogue; a fault is an HTTP status (a Twilio error,
// code 20000+status) or one of html, malformed, empty, drop, dropbody,
// hang, foreign, endless; *N repeats it N times, a bare * until cleared. The demo
// reads it from SENDERPOOL_DEMO_FAULTS so anyone can see how errors look.
func ParseFaults(spec string) (map[Route][]Fault, error) {
	out := map[Route][]Fault{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, rest, ok := strings.Cut(item, "=")
		route, known := faultRoute(strings.TrimSpace(name))
		if !ok || !known {
			return nil, fmt.Errorf("fault %q: want route=fault with a route among services, service, list, sender, attach, detach, catalogue", item)
		}
		what, times, _ := strings.Cut(rest, "*")
		f := Fault{}
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
