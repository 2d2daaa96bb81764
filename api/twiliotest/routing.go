package twiliotest

import (
	"crypto/subtle"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxBody caps what the fake reads of a request body.
const maxBody = 1 << 20

// request is one parsed request on its way through the fake.
type request struct {
	r        *http.Request
	route    Route
	allowed  string // Allow header value when the path is known but the method is not
	mg, xe   string // path parameters: the service, and the member of its pool (XE, PN, SC, AI) or campaign (QE)
	ac       string // path parameter of the 2010 API: the account
	base     string // scheme://host the request came to
	nextBase string // overrides base in next_page_url (FaultForeignNextPage)
	body     []byte
	// answering frees the request's place under the concurrency limit;
	// safe to call twice.
	answering func()
}

// ServeHTTP serves the fake's endpoints. Every request is recorded,
// counted and given a Twilio-Request-Id; it is refused with 429 when the
// concurrency limit is reached, else it waits in a shut Gate, waits out
// the latency, then meets the next fault queued for it, if any, before
// authentication and the real handler.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := &request{r: r, base: baseURL(r)}
	req.route, req.allowed, req.mg, req.xe, req.ac = match(r.Method, r.URL.Path)
	if r.Body != nil {
		req.body, _ = io.ReadAll(io.LimitReader(r.Body, maxBody))
	}
	user, _, _ := r.BasicAuth()
	id := f.record(RequestRecord{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: string(req.body),
		AuthUser: user, UserAgent: r.UserAgent(), ContentType: r.Header.Get("Content-Type"),
		Route: req.route,
	})
	w.Header().Set(RequestIDHeader, id)

	ok, retryAfter := f.admit()
	if !ok {
		throttle(w, retryAfter)
		return
	}
	// The slot is freed as the answer starts, not when the handler
	// returns: a client that has its answer may send the next request at
	// once without meeting a limit its last one still held.
	req.answering = sync.OnceFunc(f.leave)
	defer req.answering()
	if !f.hold(r, req.route) || !f.wait(r) {
		abort(r) // the client gave up, or the server is closing
		return
	}
	if req.route != RouteNone {
		if fault, ok := f.takeFault(req); ok {
			if fault.Kind != FaultHang { // a hang keeps its slot while it hangs
				req.answering()
			}
			f.serveFault(w, req, fault)
			return
		}
	}
	req.answering()
	f.serve(w, req)
}

// wait sleeps for the configured latency, cut short by ReleaseHangs; false
// means the request context ended first (client gone, Server closed).
func (f *Fake) wait(r *http.Request) bool {
	f.mu.Lock()
	d := f.latency
	f.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-f.release:
		return true
	}
}

// abort ends a request whose context is done without answering it: were
// the handler simply to return, net/http would send an empty 200 on a
// connection that is still open (Server.Close cancels contexts before it
// closes connections). Outside a net/http server (a recorder) it returns.
func abort(r *http.Request) {
	if r.Context().Value(http.ServerContextKey) != nil {
		panic(http.ErrAbortHandler)
	}
}

// serve authenticates and runs the real handler.
func (f *Fake) serve(w http.ResponseWriter, req *request) {
	if !f.authenticate(req.r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeError(w, errAuthenticate())
		return
	}
	switch req.route {
	case RouteNone:
		if req.allowed != "" {
			w.Header().Set("Allow", req.allowed)
			writeError(w, errMethod(req.r.Method, req.r.URL.Path))
		} else {
			writeError(w, errNotFound(req.r.URL.Path))
		}
	case RouteListServices:
		f.listServices(w, req)
	case RouteFetchService:
		f.fetchService(w, req)
	case RouteListChannelSenders:
		f.listChannelSenders(w, req)
	case RouteFetchChannelSender:
		f.fetchChannelSender(w, req)
	case RouteCreateChannelSender:
		f.createChannelSender(w, req)
	case RouteDeleteChannelSender:
		f.deleteChannelSender(w, req)
	case RouteListAccountSenders:
		f.listAccountSenders(w, req)
	case RouteUpdateService:
		f.updateService(w, req)
	case RouteListPhoneNumbers, RouteListShortCodes, RouteListAlphaSenders, RouteListDestinationAlphaSenders:
		f.listPool(w, req)
	case RouteFetchPhoneNumber, RouteFetchShortCode, RouteFetchAlphaSender, RouteFetchDestinationAlphaSender:
		f.fetchPool(w, req)
	case RouteCreatePhoneNumber, RouteCreateShortCode, RouteCreateAlphaSender, RouteCreateDestinationAlphaSender:
		f.createPool(w, req)
	case RouteDeletePhoneNumber, RouteDeleteShortCode, RouteDeleteAlphaSender, RouteDeleteDestinationAlphaSender:
		f.deletePool(w, req)
	case RouteListUsAppToPerson:
		f.listCampaigns(w, req)
	case RouteFetchUsAppToPerson:
		f.fetchCampaign(w, req)
	case RouteListIncomingPhoneNumbers:
		f.listIncomingPhoneNumbers(w, req)
	case RouteListAccountShortCodes:
		f.listAccountShortCodes(w, req)
	}
}

// poolResource is one list of a service's pool: its path segment and its
// four operations.
type poolResource struct {
	segment                     string
	list, create, fetch, delete Route
}

var poolResources = []poolResource{
	{"ChannelSenders", RouteListChannelSenders, RouteCreateChannelSender, RouteFetchChannelSender, RouteDeleteChannelSender},
	{"PhoneNumbers", RouteListPhoneNumbers, RouteCreatePhoneNumber, RouteFetchPhoneNumber, RouteDeletePhoneNumber},
	{"ShortCodes", RouteListShortCodes, RouteCreateShortCode, RouteFetchShortCode, RouteDeleteShortCode},
	{"AlphaSenders", RouteListAlphaSenders, RouteCreateAlphaSender, RouteFetchAlphaSender, RouteDeleteAlphaSender},
	{"DestinationAlphaSenders", RouteListDestinationAlphaSenders, RouteCreateDestinationAlphaSender, RouteFetchDestinationAlphaSender, RouteDeleteDestinationAlphaSender},
}

func poolResourceOf(segment string) (poolResource, bool) {
	for _, r := range poolResources {
		if r.segment == segment {
			return r, true
		}
	}
	return poolResource{}, false
}

// match maps method and path to a route. For a known path with the wrong
// method it returns RouteNone and the methods allowed.
func match(method, path string) (route Route, allowed, mg, xe, ac string) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	// pick chooses among the methods a path has, in Allow's order.
	pick := func(routes ...struct {
		method string
		route  Route
	}) {
		var names []string
		for _, r := range routes {
			if r.method == method {
				route = r.route
				return
			}
			names = append(names, r.method)
		}
		allowed = strings.Join(names, ", ")
	}
	type m = struct {
		method string
		route  Route
	}
	n := len(parts)
	switch {
	case n >= 2 && parts[0] == "v1" && parts[1] == "Services":
		if n >= 3 {
			mg = parts[2]
		}
		switch {
		case n == 2:
			pick(m{http.MethodGet, RouteListServices})
		case n == 3:
			pick(m{http.MethodGet, RouteFetchService}, m{http.MethodPost, RouteUpdateService})
		case n == 5 && parts[3] == "Compliance" && parts[4] == "Usa2p":
			pick(m{http.MethodGet, RouteListUsAppToPerson})
		case n == 6 && parts[3] == "Compliance" && parts[4] == "Usa2p":
			xe = parts[5]
			pick(m{http.MethodGet, RouteFetchUsAppToPerson})
		case n == 4 || n == 5:
			res, ok := poolResourceOf(parts[3])
			if !ok {
				break
			}
			if n == 4 {
				pick(m{http.MethodGet, res.list}, m{http.MethodPost, res.create})
			} else {
				xe = parts[4]
				pick(m{http.MethodGet, res.fetch}, m{http.MethodDelete, res.delete})
			}
		}
	case n == 3 && parts[0] == "v2" && parts[1] == "Channels" && parts[2] == "Senders":
		pick(m{http.MethodGet, RouteListAccountSenders})
	case n >= 4 && parts[0] == "2010-04-01" && parts[1] == "Accounts":
		ac = parts[2]
		switch {
		case n == 4 && parts[3] == "IncomingPhoneNumbers.json":
			pick(m{http.MethodGet, RouteListIncomingPhoneNumbers})
		case n == 5 && parts[3] == "SMS" && parts[4] == "ShortCodes.json":
			pick(m{http.MethodGet, RouteListAccountShortCodes})
		}
	}
	if route == RouteNone && allowed == "" {
		mg, xe, ac = "", "", ""
	}
	return route, allowed, mg, xe, ac
}

// authenticate accepts AccountSID:AuthToken or any of the account's API
// keys, comparing secrets in constant time.
func (f *Fake) authenticate(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok || user == "" || pass == "" {
		return false
	}
	if user == f.account.SID && f.account.AuthToken != "" {
		return subtle.ConstantTimeCompare([]byte(pass), []byte(f.account.AuthToken)) == 1
	}
	if secret, ok := f.account.APIKeys[user]; ok && secret != "" {
		return subtle.ConstantTimeCompare([]byte(pass), []byte(secret)) == 1
	}
	return false
}

func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}
