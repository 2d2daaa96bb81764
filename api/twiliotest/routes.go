package twiliotest

// Route names one operation of the fake, for counting and fault injection.
type Route string

// The operations the fake implements (the names are Twilio's operationIds).
const (
	RouteListServices        Route = "ListServices"
	RouteFetchService        Route = "FetchService"
	RouteListChannelSenders  Route = "ListChannelSenders"
	RouteFetchChannelSender  Route = "FetchChannelSender"
	RouteCreateChannelSender Route = "CreateChannelSender"
	RouteDeleteChannelSender Route = "DeleteChannelSender"
	RouteListAccountSenders  Route = "ListAccountSenders"

	RouteUpdateService Route = "UpdateService"

	RouteListPhoneNumbers  Route = "ListPhoneNumbers"
	RouteFetchPhoneNumber  Route = "FetchPhoneNumber"
	RouteCreatePhoneNumber Route = "CreatePhoneNumber"
	RouteDeletePhoneNumber Route = "DeletePhoneNumber"

	RouteListShortCodes  Route = "ListShortCodes"
	RouteFetchShortCode  Route = "FetchShortCode"
	RouteCreateShortCode Route = "CreateShortCode"
	RouteDeleteShortCode Route = "DeleteShortCode"

	RouteListAlphaSenders  Route = "ListAlphaSenders"
	RouteFetchAlphaSender  Route = "FetchAlphaSender"
	RouteCreateAlphaSender Route = "CreateAlphaSender"
	RouteDeleteAlphaSender Route = "DeleteAlphaSender"

	RouteListDestinationAlphaSenders  Route = "ListDestinationAlphaSenders"
	RouteFetchDestinationAlphaSender  Route = "FetchDestinationAlphaSender"
	RouteCreateDestinationAlphaSender Route = "CreateDestinationAlphaSender"
	RouteDeleteDestinationAlphaSender Route = "DeleteDestinationAlphaSender"

	RouteListUsAppToPerson  Route = "ListUsAppToPerson"
	RouteFetchUsAppToPerson Route = "FetchUsAppToPerson"

	// The 2010 API (api.twilio.com).
	RouteListIncomingPhoneNumbers Route = "ListIncomingPhoneNumbers"
	RouteListAccountShortCodes    Route = "ListAccountShortCodes"
)

// Routes returns every route of the fake, in the order above.
func Routes() []Route {
	return []Route{
		RouteListServices, RouteFetchService, RouteListChannelSenders, RouteFetchChannelSender,
		RouteCreateChannelSender, RouteDeleteChannelSender, RouteListAccountSenders, RouteUpdateService,
		RouteListPhoneNumbers, RouteFetchPhoneNumber, RouteCreatePhoneNumber, RouteDeletePhoneNumber,
		RouteListShortCodes, RouteFetchShortCode, RouteCreateShortCode, RouteDeleteShortCode,
		RouteListAlphaSenders, RouteFetchAlphaSender, RouteCreateAlphaSender, RouteDeleteAlphaSender,
		RouteListDestinationAlphaSenders, RouteFetchDestinationAlphaSender, RouteCreateDestinationAlphaSender, RouteDeleteDestinationAlphaSender,
		RouteListUsAppToPerson, RouteFetchUsAppToPerson, RouteListIncomingPhoneNumbers, RouteListAccountShortCodes,
	}
}

// IsList reports whether a route lists (pages through) something.
func (r Route) IsList() bool {
	switch r {
	case RouteListServices, RouteListChannelSenders, RouteListAccountSenders, RouteListPhoneNumbers,
		RouteListShortCodes, RouteListAlphaSenders, RouteListDestinationAlphaSenders, RouteListUsAppToPerson,
		RouteListIncomingPhoneNumbers, RouteListAccountShortCodes:
		return true
	}
	return false
}

// IsCreate reports whether a route attaches a member of a pool (or, for
// alpha senders, creates one).
func (r Route) IsCreate() bool {
	switch r {
	case RouteCreateChannelSender, RouteCreatePhoneNumber, RouteCreateShortCode,
		RouteCreateAlphaSender, RouteCreateDestinationAlphaSender:
		return true
	}
	return false
}

// AttachRoutes returns the routes that attach a member of a pool, one per
// kind: for AddSharedFault, to break the next attach whatever its kind.
func AttachRoutes() []Route {
	return []Route{RouteCreateChannelSender, RouteCreatePhoneNumber, RouteCreateShortCode,
		RouteCreateAlphaSender, RouteCreateDestinationAlphaSender}
}

// DetachRoutes returns the routes that detach a member of a pool, one per
// kind.
func DetachRoutes() []Route {
	return []Route{RouteDeleteChannelSender, RouteDeletePhoneNumber, RouteDeleteShortCode,
		RouteDeleteAlphaSender, RouteDeleteDestinationAlphaSender}
}

// IsDelete reports whether a route detaches a member of a pool.
func (r Route) IsDelete() bool {
	switch r {
	case RouteDeleteChannelSender, RouteDeletePhoneNumber, RouteDeleteShortCode,
		RouteDeleteAlphaSender, RouteDeleteDestinationAlphaSender:
		return true
	}
	return false
}

// RouteNone is the Route recorded for requests that match no operation
// (unknown path, wrong method). Faults never fire for it.
const RouteNone Route = ""
