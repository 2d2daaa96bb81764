package twiliotest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (f *Fake) listServices(w http.ResponseWriter, req *request) {
	p, e := parsePage(req.r.URL.Query())
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	list := f.sortedServices()
	start, end := p.window(len(list), func(i int) (time.Time, string) { return list[i].seed.Created, list[i].seed.SID })
	items := make([]serviceJSON, 0, end-start)
	for _, s := range list[start:end] {
		items = append(items, renderService(req.base, f.account.SID, s))
	}
	meta := pageMeta(req.base, req.nextBase, "/v1/Services", "", "services", p, len(list), start, end,
		func(i int) (time.Time, string) { return list[i].seed.Created, list[i].seed.SID })
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Services []serviceJSON `json:"services"`
		Meta     metaJSON      `json:"meta"`
	}{items, meta})
}

// service validates the MG path parameter and finds the service. Callers
// hold f.mu.
func (f *Fake) service(mg string) (*serviceState, *Error) {
	if !validSID("MG", mg) {
		return nil, errInvalidPathSID("MessagingServiceSid", "MG", mg)
	}
	svc, ok := f.services[mg]
	if !ok {
		return nil, errNotFound(servicePath(mg))
	}
	return svc, nil
}

func (f *Fake) fetchService(w http.ResponseWriter, req *request) {
	f.mu.Lock()
	svc, e := f.service(req.mg)
	var out serviceJSON
	if e == nil {
		out = renderService(req.base, f.account.SID, svc)
	}
	f.mu.Unlock()
	writeResult(w, http.StatusOK, out, e)
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
	writeResult(w, http.StatusOK, out, e)
}
