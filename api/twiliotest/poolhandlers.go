package twiliotest

import (
	"net/http"
	"net/url"
	"slices"
	"time"
)

// pageOf cuts a sorted list for a page request and renders it. Callers
// hold f.mu.
func pageOf[T, J any](req *request, p pageRequest, list []*T, keyOf func(*T) (time.Time, string), path, key string, render func(*T) J) ([]J, metaJSON) {
	k := func(i int) (time.Time, string) { return keyOf(list[i]) }
	start, end := p.window(len(list), k)
	items := make([]J, 0, end-start)
	for _, v := range list[start:end] {
		items = append(items, render(v))
	}
	return items, pageMeta(req.base, req.nextBase, path, "", key, p, len(list), start, end, k)
}

func attachedKey[T any](at func(*T) time.Time, sid func(*T) string) func(*T) (time.Time, string) {
	return func(v *T) (time.Time, string) { return at(v), sid(v) }
}

var (
	numberKey    = attachedKey(func(n *numberState) time.Time { return n.attachedAt }, func(n *numberState) string { return n.seed.SID })
	shortCodeKey = attachedKey(func(c *shortCodeState) time.Time { return c.attachedAt }, func(c *shortCodeState) string { return c.seed.SID })
	alphaKey     = attachedKey(func(a *alphaState) time.Time { return a.seed.Created }, func(a *alphaState) string { return a.seed.SID })
)

// listPool serves GET …/PhoneNumbers, ShortCodes, AlphaSenders and
// DestinationAlphaSenders.
func (f *Fake) listPool(w http.ResponseWriter, req *request) {
	q := req.r.URL.Query()
	p, e := parsePage(q)
	f.mu.Lock()
	var svc *serviceState
	if e == nil {
		svc, e = f.service(req.mg)
	}
	if e != nil {
		f.mu.Unlock()
		writeError(w, e)
		return
	}
	base, account := req.base, f.account.SID
	var (
		items any
		meta  metaJSON
		key   string
	)
	switch req.route {
	case RouteListPhoneNumbers:
		key = "phone_numbers"
		items, meta = pageOf(req, p, svc.numbers.list(), numberKey, poolPath(req.mg, "PhoneNumbers"), key,
			func(n *numberState) phoneNumberJSON { return renderPhoneNumber(base, account, *n) })
	case RouteListShortCodes:
		key = "short_codes"
		items, meta = pageOf(req, p, svc.shortCodes.list(), shortCodeKey, poolPath(req.mg, "ShortCodes"), key,
			func(c *shortCodeState) shortCodeJSON { return renderShortCode(base, account, *c) })
	case RouteListAlphaSenders:
		key = "alpha_senders"
		items, meta = pageOf(req, p, svc.alphas.list(), alphaKey, poolPath(req.mg, "AlphaSenders"), key,
			func(a *alphaState) alphaSenderJSON { return renderAlphaSender(base, account, *a) })
	default:
		key = "alpha_senders"
		list := svc.dalphas.list()
		extra := ""
		// IsoCountryCode filters the list (the spec's query parameter).
		if c := q.Get("IsoCountryCode"); q.Has("IsoCountryCode") {
			list = slices.DeleteFunc(slices.Clone(list), func(a *alphaState) bool { return a.seed.Country != c })
			extra = "&IsoCountryCode=" + url.QueryEscape(c)
		}
		var out []destinationAlphaSenderJSON
		out, meta = pageOf(req, p, list, alphaKey, poolPath(req.mg, "DestinationAlphaSenders"), key,
			func(a *alphaState) destinationAlphaSenderJSON { return renderDestinationAlphaSender(base, account, *a) })
		if extra != "" {
			meta = withExtra(meta, extra)
		}
		items = out
	}
	f.mu.Unlock()
	writePage(w, key, items, meta)
}

// withExtra adds a filter to meta's URLs, as pageMeta does for Channel.
func withExtra(m metaJSON, extra string) metaJSON {
	m.FirstPageURL += extra
	m.URL += extra
	if m.NextPageURL != nil {
		s := *m.NextPageURL + extra
		m.NextPageURL = &s
	}
	if m.PreviousPageURL != nil {
		s := *m.PreviousPageURL + extra
		m.PreviousPageURL = &s
	}
	return m
}

// poolMember validates a member SID of the path and finds it. Callers
// hold f.mu.
func (f *Fake) poolMember(req *request) (any, *Error) {
	svc, e := f.service(req.mg)
	if e != nil {
		return nil, e
	}
	var (
		prefix, name, segment string
		found                 any
		ok                    bool
	)
	switch req.route {
	case RouteFetchPhoneNumber, RouteDeletePhoneNumber:
		prefix, name, segment = "PN", "Sid", "PhoneNumbers"
		var n *numberState
		if n, ok = svc.numbers.get(req.xe); ok {
			found = n
		}
	case RouteFetchShortCode, RouteDeleteShortCode:
		prefix, name, segment = "SC", "Sid", "ShortCodes"
		var c *shortCodeState
		if c, ok = svc.shortCodes.get(req.xe); ok {
			found = c
		}
	case RouteFetchAlphaSender, RouteDeleteAlphaSender:
		prefix, name, segment = "AI", "Sid", "AlphaSenders"
		var a *alphaState
		if a, ok = svc.alphas.get(req.xe); ok {
			found = a
		}
	default:
		prefix, name, segment = "AI", "Sid", "DestinationAlphaSenders"
		var a *alphaState
		if a, ok = svc.dalphas.get(req.xe); ok {
			found = a
		}
	}
	if !validSID(prefix, req.xe) {
		return nil, errInvalidPathSID(name, prefix, req.xe)
	}
	if !ok {
		return nil, errNotFound(poolPath(req.mg, segment) + "/" + req.xe)
	}
	return found, nil
}

// renderMember renders what poolMember found. Callers hold f.mu.
func (f *Fake) renderMember(req *request, v any) any {
	switch m := v.(type) {
	case *numberState:
		return renderPhoneNumber(req.base, f.account.SID, *m)
	case *shortCodeState:
		return renderShortCode(req.base, f.account.SID, *m)
	case *alphaState:
		if m.seed.Country != "" || req.route == RouteFetchDestinationAlphaSender || req.route == RouteCreateDestinationAlphaSender {
			return renderDestinationAlphaSender(req.base, f.account.SID, *m)
		}
		return renderAlphaSender(req.base, f.account.SID, *m)
	}
	return nil
}

func (f *Fake) fetchPool(w http.ResponseWriter, req *request) {
	f.mu.Lock()
	v, e := f.poolMember(req)
	var out any
	if e == nil {
		out = f.renderMember(req, v)
	}
	f.mu.Unlock()
	writeResult(w, http.StatusOK, out, e)
}

func (f *Fake) createPool(w http.ResponseWriter, req *request) {
	param := map[Route]string{
		RouteCreatePhoneNumber: "PhoneNumberSid", RouteCreateShortCode: "ShortCodeSid",
		RouteCreateAlphaSender: "AlphaSender", RouteCreateDestinationAlphaSender: "AlphaSender",
	}[req.route]
	form, e := formBody(req, param)
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	var v any
	switch req.route {
	case RouteCreatePhoneNumber:
		v, e = f.attachNumberLocked(req.mg, form.Get(param))
	case RouteCreateShortCode:
		v, e = f.attachShortCodeLocked(req.mg, form.Get(param))
	case RouteCreateAlphaSender:
		v, e = f.createAlphaLocked(req.mg, form.Get(param), "", false)
	default:
		v, e = f.createAlphaLocked(req.mg, form.Get(param), form.Get("IsoCountryCode"), true)
	}
	var out any
	if e == nil {
		out = f.renderMember(req, v)
	}
	f.mu.Unlock()
	writeResult(w, http.StatusCreated, out, e)
}

func (f *Fake) deletePool(w http.ResponseWriter, req *request) {
	f.mu.Lock()
	v, e := f.poolMember(req)
	if e == nil {
		svc := f.services[req.mg]
		switch m := v.(type) {
		case *numberState:
			svc.numbers.drop(m.seed.SID)
			m.service, m.attachedAt = "", time.Time{}
		case *shortCodeState:
			svc.shortCodes.drop(m.seed.SID)
			m.service, m.attachedAt = "", time.Time{}
		case *alphaState:
			// An alpha sender is the service's own: gone once removed.
			svc.alphas.drop(m.seed.SID)
			svc.dalphas.drop(m.seed.SID)
		}
	}
	f.mu.Unlock()
	writeDeleted(w, e)
}
