package twiliotest

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
)

// FaultKind says how a Fault breaks a reply.
type FaultKind int

// The faults the fake can inject. FaultMalformedJSON, FaultDropMidBody and
// FaultForeignNextPage run the real handler first, so a POST or DELETE
// they hit does take effect (a reply lost on its way back); the others
// leave the state alone.
const (
	FaultStatus          FaultKind = iota // Twilio JSON error body with Status, Code, Message (+ Retry-After header if set)
	FaultHTML                             // Status (default 502) with an HTML page body, Content-Type text/html
	FaultMalformedJSON                    // 200 with a truncated/invalid JSON body
	FaultEmptyBody                        // 200 with an empty body
	FaultDrop                             // hijack the connection and close it without writing anything
	FaultDropMidBody                      // write 200 headers + part of the real body, then close the connection
	FaultHang                             // block until the request context is done or the server is closed
	FaultForeignNextPage                  // a normal list page whose meta.next_page_url points at http://evil.example.invalid/… (same path+query)
	FaultEndlessPages                     // a list that never ends: every page is full of new items and names a next one
)

// ForeignBase is where FaultForeignNextPage points next_page_url.
const ForeignBase = "http://evil.example.invalid"

// Fault is one injected failure, queued per route by AddFault.
type Fault struct {
	Kind       FaultKind
	Status     int    // FaultStatus: default 500; FaultHTML: default 502
	Code       int    // FaultStatus: default 20000+Status (20429, 20503, …)
	Message    string // FaultStatus: default the status text; FaultHTML: page text
	RetryAfter string // Retry-After header value; "" for none
	Times      int    // how many matching requests it fires for; 0 means once; negative means until cleared

	// Service (MG…), when set, scopes the fault to the requests whose
	// path names that service: the others pass it by as if it were not
	// queued, and may meet a fault queued after it.
	Service string
	// Skip lets that many matching requests through untouched before the
	// fault fires: "the third attach fails". While it skips, the faults
	// queued after it on the route wait too.
	Skip int
}

type pendingFault struct {
	fault Fault
	skip  int
	left  int // < 0: until cleared; 0: spent (through another route of AddSharedFault)
}

// AddFault queues a fault for a route. Faults of a route fire in the order
// they were added; each for its Times requests.
func (f *Fake) AddFault(route Route, fault Fault) {
	f.AddSharedFault(fault, route)
}

// AddSharedFault queues one fault on several routes at once: it fires for
// its Times requests in all, whichever of the routes they come on (and
// Skip counts them all). With AttachRoutes and Fault.Service it breaks the
// attach half of a move, whatever the kind of sender:
//
//	// The next attach of any kind to B fails; the detach from A before it
//	// succeeds, so the sender is in neither service until a rollback.
//	f.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: svcB},
//		twiliotest.AttachRoutes()...)
//
// FaultStatus, FaultHTML, FaultDrop and FaultHang leave the state alone
// (the attach was not made: a rollback to A succeeds); FaultDropMidBody
// and FaultMalformedJSON make the attach and lose its reply (a rollback
// to A then meets 21712, or 20409 for a channel sender).
func (f *Fake) AddSharedFault(fault Fault, routes ...Route) {
	left := fault.Times
	if left == 0 {
		left = 1
	}
	p := &pendingFault{fault: fault, skip: max(fault.Skip, 0), left: left}
	f.mu.Lock()
	for _, route := range routes {
		f.faults[route] = append(f.faults[route], p)
	}
	f.mu.Unlock()
}

// ClearFaults drops every queued fault.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	clear(f.faults)
	f.mu.Unlock()
}

// takeFault consumes one firing of the first fault queued for the
// request's route that matches its service, or one of that fault's skips.
func (f *Fake) takeFault(req *request) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// Drop what was spent, here or through another route of a shared fault.
	q := slices.DeleteFunc(f.faults[req.route], func(p *pendingFault) bool { return p.left == 0 })
	f.faults[req.route] = q
	i := slices.IndexFunc(q, func(p *pendingFault) bool { return p.fault.Service == "" || p.fault.Service == req.mg })
	if i < 0 {
		return Fault{}, false
	}
	p := q[i]
	if p.skip > 0 {
		p.skip--
		return Fault{}, false
	}
	if p.left > 0 {
		p.left--
		if p.left == 0 {
			f.faults[req.route] = slices.Delete(q, i, i+1)
		}
	}
	return p.fault, true
}

func (f *Fake) serveFault(w http.ResponseWriter, req *request, fault Fault) {
	if fault.RetryAfter != "" {
		w.Header().Set("Retry-After", fault.RetryAfter)
	}
	switch fault.Kind {
	case FaultStatus:
		status := fault.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		code := fault.Code
		if code == 0 {
			code = 20000 + status
		}
		msg := fault.Message
		if msg == "" {
			msg = http.StatusText(status)
		}
		writeError(w, &Error{Status: status, Code: code, Message: msg})
	case FaultHTML:
		w.Header().Del(RequestIDHeader) // a proxy's page: the request never reached Twilio
		status := fault.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		title := strconv.Itoa(status) + " " + http.StatusText(status)
		text := title
		if fault.Message != "" {
			text = fault.Message
		}
		// What a proxy in front of the API typically answers.
		body := fmt.Sprintf("<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
			html.EscapeString(title), html.EscapeString(text))
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	case FaultMalformedJSON:
		_, _, body := f.render(req)
		if len(body) < 2 {
			body = []byte(`{"code": 20404, "mess`)
		} else {
			body = body[:len(body)/2] // a proper prefix of an object never parses
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	case FaultEmptyBody:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	case FaultDrop:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler) // the server aborts the connection
		}
		_ = conn.Close()
	case FaultDropMidBody:
		f.dropMidBody(w, req)
	case FaultHang:
		select {
		case <-req.r.Context().Done():
			abort(req.r)
		case <-f.release:
			req.answering()
			f.serve(w, req)
		}
	case FaultForeignNextPage:
		req.nextBase = ForeignBase
		f.serve(w, req)
	case FaultEndlessPages:
		endlessPage(w, req)
	default:
		writeError(w, &Error{Status: http.StatusInternalServerError, Code: 20500, Message: fmt.Sprintf("unknown fault kind %d", fault.Kind)})
	}
}

// dropMidBody promises the whole real body in Content-Length, sends half
// of it, and closes the connection.
func (f *Fake) dropMidBody(w http.ResponseWriter, req *request) {
	status, contentType, body := f.render(req)
	if status < 200 || status > 299 || len(body) == 0 {
		status = http.StatusOK
	}
	if len(body) == 0 {
		contentType = "application/json; charset=utf-8"
		body = []byte(`{"meta": {"page": 0, "page_size": 50, "key": "senders"}, "senders": []}` + "\n")
	}
	part := body[:len(body)/2]
	id := w.Header().Get(RequestIDHeader)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2, a recorder): send what we can, then abort.
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(part)
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	fmt.Fprintf(&head, "Content-Type: %s\r\nContent-Length: %d\r\n%s: %s\r\n\r\n", contentType, len(body), RequestIDHeader, id)
	head.Write(part)
	_, _ = conn.Write(head.Bytes())
}

// render runs the real handler (authentication included) into memory.
func (f *Fake) render(req *request) (status int, contentType string, body []byte) {
	bw := &bufferWriter{header: http.Header{}}
	f.serve(bw, req)
	if bw.status == 0 {
		bw.status = http.StatusOK
	}
	return bw.status, bw.header.Get("Content-Type"), bw.buf.Bytes()
}

// bufferWriter is a minimal in-memory http.ResponseWriter.
type bufferWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.buf.Write(p)
}

// endlessPage answers a list with a full page of items never seen before
// and a next page, forever: a server that would grow a client without
// bound. Each list gets items of its own kind under its own key, and the
// 2010 API's lists page by next_page_uri.
func endlessPage(w http.ResponseWriter, req *request) {
	q := req.r.URL.Query()
	page, _ := strconv.Atoi(q.Get("Page"))
	size, err := strconv.Atoi(q.Get("PageSize"))
	if err != nil || size < 1 || size > maxPageSize {
		size = defaultPageSize
	}
	path := req.r.URL.Path
	key, items := "senders", make([]any, size)
	for i := range items {
		n := page*size + i
		switch req.route {
		case RouteListServices:
			key = "services"
			sid, name := fmt.Sprintf("MG%032x", n), fmt.Sprintf("Endless %d", n)
			items[i] = serviceJSON{SID: &sid, FriendlyName: &name}
		case RouteListPhoneNumbers:
			key = "phone_numbers"
			sid, number := fmt.Sprintf("PN%032x", n), fmt.Sprintf("+1%010d", n)
			items[i] = phoneNumberJSON{poolHeadJSON: poolHeadJSON{SID: &sid}, PhoneNumber: &number}
		case RouteListShortCodes, RouteListAccountShortCodes:
			key = "short_codes"
			sid, code := fmt.Sprintf("SC%032x", n), strconv.Itoa(10000+n)
			items[i] = shortCodeJSON{poolHeadJSON: poolHeadJSON{SID: &sid}, ShortCode: &code}
		case RouteListAlphaSenders, RouteListDestinationAlphaSenders:
			key = "alpha_senders"
			sid, alpha := fmt.Sprintf("AI%032x", n), fmt.Sprintf("A%d", n%10_000_000_000)
			items[i] = alphaSenderJSON{poolHeadJSON: poolHeadJSON{SID: &sid}, AlphaSender: &alpha}
		case RouteListUsAppToPerson:
			key = "compliance"
			sid := fmt.Sprintf("QE%032x", n)
			items[i] = usAppToPersonJSON{SID: &sid}
		case RouteListIncomingPhoneNumbers:
			key = "incoming_phone_numbers"
			sid, number := fmt.Sprintf("PN%032x", n), fmt.Sprintf("+1%010d", n)
			items[i] = incomingPhoneNumberJSON{SID: &sid, PhoneNumber: &number}
		default:
			sid, sender, typ := fmt.Sprintf("XE%032x", n), fmt.Sprintf("whatsapp:+1%010d", n), "WhatsApp"
			items[i] = channelSenderJSON{SID: &sid, Sender: &sender, SenderType: &typ}
		}
	}
	next := q
	next.Set("Page", strconv.Itoa(page+1))
	next.Set("PageToken", "PE"+strconv.Itoa(page+1))
	if req.route == RouteListIncomingPhoneNumbers || req.route == RouteListAccountShortCodes {
		writeJSON(w, http.StatusOK, map[string]any{
			key: items, "page": page, "page_size": size,
			"next_page_uri": path + "?" + next.Encode(), "uri": req.r.URL.RequestURI(),
		})
		return
	}
	nextURL := req.base + path + "?" + next.Encode()
	writeJSON(w, http.StatusOK, map[string]any{
		key:    items,
		"meta": map[string]any{"page": page, "page_size": size, "key": key, "next_page_url": nextURL, "url": req.base + req.r.URL.RequestURI()},
	})
}
