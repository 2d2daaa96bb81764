package twiliotest

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// formBody reads a POST's form body; Twilio takes nothing else. param is
// the one the error names when the body is not a form.
func formBody(req *request, param string) (url.Values, *Error) {
	mt, _, _ := mime.ParseMediaType(req.r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return nil, errBadQuery("Missing required parameter " + param + " in the post body: the body must be application/x-www-form-urlencoded, got " + strconv.Quote(shorten(req.r.Header.Get("Content-Type"))))
	}
	form, err := url.ParseQuery(string(req.body))
	if err != nil {
		return nil, errBadQuery("Malformed form body: " + err.Error())
	}
	return form, nil
}

// writePage writes a Messaging API list page: the items under key, and
// meta for the page [start, end) of n.
func writePage(w http.ResponseWriter, key string, items any, meta metaJSON) {
	writeJSON(w, http.StatusOK, map[string]any{key: items, "meta": meta})
}

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
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, out)
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
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusCreated, out)
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
	if e != nil {
		writeError(w, e)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateService serves POST /v1/Services/{MG}: the settings the form
// names change, the others stay.
func (f *Fake) updateService(w http.ResponseWriter, req *request) {
	form, e := formBody(req, "FriendlyName")
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	svc, e := f.service(req.mg)
	if e != nil {
		writeError(w, e)
		return
	}
	st := svc.settings // changed only when every parameter is good
	booleans := []struct {
		name string
		to   *bool
	}{
		{"StickySender", &st.sticky}, {"AreaCodeGeomatch", &st.geomatch}, {"SmartEncoding", &st.smart},
		{"MmsConverter", &st.mms}, {"FallbackToLongCode", &st.fallback}, {"UseInboundWebhookOnNumber", &st.inboundHook},
	}
	for _, b := range booleans {
		if !form.Has(b.name) {
			continue
		}
		v, ok := parseBool(form.Get(b.name))
		if !ok {
			writeError(w, errBadQuery("Invalid "+b.name+": "+strconv.Quote(shorten(form.Get(b.name)))+" must be true or false"))
			return
		}
		*b.to = v
	}
	if form.Has("ValidityPeriod") {
		n, err := strconv.Atoi(form.Get("ValidityPeriod"))
		if err != nil || n < 1 || n > defaultValidity {
			writeError(w, errBadQuery("Invalid ValidityPeriod: "+strconv.Quote(shorten(form.Get("ValidityPeriod")))+" must be an integer from 1 to 36000"))
			return
		}
		st.validity = n
	}
	if form.Has("FriendlyName") {
		name := form.Get("FriendlyName")
		if name == "" || len([]rune(name)) > 64 {
			writeError(w, errBadQuery("Invalid FriendlyName: must be 1 to 64 characters"))
			return
		}
		st.name = name
	}
	if form.Has("Usecase") {
		u := form.Get("Usecase")
		if !slices.Contains([]string{"notifications", "marketing", "verification", "discussion", "poll", "undeclared"}, u) {
			writeError(w, errBadQuery("Invalid Usecase: "+strconv.Quote(shorten(u))))
			return
		}
		st.usecase = u
	}
	st.updated = stamp(f.now())
	svc.settings = st
	writeJSON(w, http.StatusOK, renderService(req.base, f.account.SID, svc))
}

// parseBool reads a form boolean as Twilio does: true or false, in any
// case.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func (f *Fake) listCampaigns(w http.ResponseWriter, req *request) {
	p, e := parsePage(req.r.URL.Query())
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
	var list []*CampaignSeed
	if c := svc.settings.campaign; c != nil {
		list = []*CampaignSeed{c}
	}
	base, account := req.base, f.account.SID
	items, meta := pageOf(req, p, list, func(c *CampaignSeed) (time.Time, string) { return c.Created, c.SID },
		poolPath(req.mg, "Compliance/Usa2p"), "compliance",
		func(c *CampaignSeed) usAppToPersonJSON { return renderCampaign(base, account, req.mg, *c) })
	f.mu.Unlock()
	writePage(w, "compliance", items, meta)
}

func (f *Fake) fetchCampaign(w http.ResponseWriter, req *request) {
	f.mu.Lock()
	svc, e := f.service(req.mg)
	var out usAppToPersonJSON
	if e == nil {
		c := svc.settings.campaign
		switch {
		case !validSID("QE", req.xe):
			e = errInvalidPathSID("Sid", "QE", req.xe)
		case c == nil || c.SID != req.xe:
			e = errNotFound(poolPath(req.mg, "Compliance/Usa2p") + "/" + req.xe)
		default:
			out = renderCampaign(req.base, f.account.SID, req.mg, *c)
		}
	}
	f.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// ---- the 2010 API ----

// meta2010 is the paging part of a 2010 API list page: at the top level,
// with URIs relative to the host.
type meta2010 struct {
	End             int     `json:"end"`
	FirstPageURI    string  `json:"first_page_uri"`
	NextPageURI     *string `json:"next_page_uri"`
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	PreviousPageURI *string `json:"previous_page_uri"`
	Start           int     `json:"start"`
	URI             string  `json:"uri"`
}

// account2010 checks the account in a 2010 path: well formed, and the
// one the credentials belong to.
func (f *Fake) account2010(ac string) *Error {
	if !validSID("AC", ac) {
		return errInvalidPathSID("AccountSid", "AC", ac)
	}
	if ac != f.account.SID {
		return errNotThisAccount(ac)
	}
	return nil
}

// filterMatch is the 2010 API's partial match of PhoneNumber and
// ShortCode filters: the pattern anywhere in the value, '*' standing for
// any one digit.
func filterMatch(value, pattern string) bool {
	if pattern == "" {
		return true
	}
	for i := 0; i+len(pattern) <= len(value); i++ {
		ok := true
		for j := 0; j < len(pattern); j++ {
			if c := pattern[j]; c != value[i+j] && (c != '*' || value[i+j] < '0' || value[i+j] > '9') {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// page2010 cuts a sorted list for a 2010 page request: items, and the
// paging fields. filters are the request's own (already encoded, "&…").
func page2010[T, J any](req *request, p pageRequest, list []*T, keyOf func(*T) (time.Time, string), path, filters string, render func(*T) J) ([]J, meta2010) {
	k := func(i int) (time.Time, string) { return keyOf(list[i]) }
	start, end := p.window(len(list), k)
	items := make([]J, 0, end-start)
	for _, v := range list[start:end] {
		items = append(items, render(v))
	}
	// Relative URIs, but the fault that points elsewhere makes them absolute.
	next := ""
	if req.nextBase != "" {
		next = req.nextBase
	}
	m := meta2010{
		Start: start, End: max(start, end-1), Page: p.page, PageSize: p.size,
		FirstPageURI: listURL("", path, p.size, 0, "", filters),
		URI:          listURL("", path, p.size, p.page, p.token, filters),
	}
	switch {
	case end < len(list):
		t, sid := k(end - 1)
		u := listURL(next, path, p.size, p.page+1, token('A', t, sid), filters)
		m.NextPageURI = &u
	case next != "":
		u := listURL(next, path, p.size, p.page, p.token, filters)
		m.NextPageURI = &u
	}
	if p.page > 0 {
		var prev string
		if start < len(list) {
			t, sid := k(start)
			prev = listURL("", path, p.size, p.page-1, token('B', t, sid), filters)
		} else {
			prev = listURL("", path, p.size, p.page-1, "", filters)
		}
		m.PreviousPageURI = &prev
	}
	return items, m
}

// filters2010 keeps the filters a 2010 list was asked for, to repeat them
// in its URIs, in a fixed order.
func filters2010(q url.Values, names ...string) string {
	var b strings.Builder
	for _, n := range names {
		if q.Has(n) {
			b.WriteString("&" + n + "=" + url.QueryEscape(q.Get(n)))
		}
	}
	return b.String()
}

func (f *Fake) listIncomingPhoneNumbers(w http.ResponseWriter, req *request) {
	q := req.r.URL.Query()
	p, e := parsePage(q)
	if e == nil {
		e = f.account2010(req.ac)
	}
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	list := f.numbers.list()
	if q.Has("PhoneNumber") || q.Has("FriendlyName") {
		pattern, name := q.Get("PhoneNumber"), q.Get("FriendlyName")
		list = slices.DeleteFunc(slices.Clone(list), func(n *numberState) bool {
			friendly := n.seed.FriendlyName
			if friendly == "" {
				friendly = friendlyNumber(n.seed.PhoneNumber)
			}
			return !filterMatch(n.seed.PhoneNumber, pattern) || (q.Has("FriendlyName") && friendly != name)
		})
	}
	account := f.account.SID
	items, m := page2010(req, p, list, func(n *numberState) (time.Time, string) { return n.seed.Created, n.seed.SID },
		accountPath(account, "IncomingPhoneNumbers.json"), filters2010(q, "PhoneNumber", "FriendlyName"),
		func(n *numberState) incomingPhoneNumberJSON { return renderIncomingPhoneNumber(account, n.seed) })
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		meta2010
		IncomingPhoneNumbers []incomingPhoneNumberJSON `json:"incoming_phone_numbers"`
	}{m, items})
}

func (f *Fake) listAccountShortCodes(w http.ResponseWriter, req *request) {
	q := req.r.URL.Query()
	p, e := parsePage(q)
	if e == nil {
		e = f.account2010(req.ac)
	}
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	list := f.shortCodes.list()
	if q.Has("ShortCode") || q.Has("FriendlyName") {
		pattern, name := q.Get("ShortCode"), q.Get("FriendlyName")
		list = slices.DeleteFunc(slices.Clone(list), func(c *shortCodeState) bool {
			friendly := c.seed.FriendlyName
			if friendly == "" {
				friendly = c.seed.ShortCode
			}
			return !filterMatch(c.seed.ShortCode, pattern) || (q.Has("FriendlyName") && friendly != name)
		})
	}
	account := f.account.SID
	items, m := page2010(req, p, list, func(c *shortCodeState) (time.Time, string) { return c.seed.Created, c.seed.SID },
		accountPath(account, "SMS/ShortCodes.json"), filters2010(q, "ShortCode", "FriendlyName"),
		func(c *shortCodeState) accountShortCodeJSON { return renderAccountShortCode(account, c.seed) })
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		meta2010
		ShortCodes []accountShortCodeJSON `json:"short_codes"`
	}{m, items})
}
