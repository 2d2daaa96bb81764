package twiliotest

import (
	"net/http"
	"strconv"
	"time"
)

func (f *Fake) listChannelSenders(w http.ResponseWriter, req *request) {
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
	list := svc.sortedMembers()
	keyOf := func(i int) (time.Time, string) { return list[i].attachedAt, list[i].seed.SID }
	start, end := p.window(len(list), keyOf)
	items := make([]channelSenderJSON, 0, end-start)
	for _, s := range list[start:end] {
		items = append(items, renderChannelSender(req.base, f.account.SID, *s))
	}
	path := "/v1/Services/" + req.mg + "/ChannelSenders"
	meta := pageMeta(req.base, req.nextBase, path, "", "senders", p, len(list), start, end, keyOf)
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Senders []channelSenderJSON `json:"senders"`
		Meta    metaJSON            `json:"meta"`
	}{items, meta})
}

func (f *Fake) fetchChannelSender(w http.ResponseWriter, req *request) {
	f.mu.Lock()
	svc, e := f.service(req.mg)
	var out channelSenderJSON
	if e == nil {
		if !validSID("XE", req.xe) {
			e = errInvalidPathSID("Sid", "XE", req.xe)
		} else if s, ok := svc.members[req.xe]; !ok {
			e = errNotFound(channelSenderPath(req.mg, req.xe))
		} else {
			out = renderChannelSender(req.base, f.account.SID, *s)
		}
	}
	f.mu.Unlock()
	writeResult(w, http.StatusOK, out, e)
}

func (f *Fake) createChannelSender(w http.ResponseWriter, req *request) {
	// Twilio takes form bodies only; a JSON body leaves Sid missing, and
	// the fake says so plainly.
	form, e := formBody(req, "Sid")
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	s, e := f.attachLocked(req.mg, form.Get("Sid"))
	var out channelSenderJSON
	if e == nil {
		out = renderChannelSender(req.base, f.account.SID, s)
	}
	f.mu.Unlock()
	writeResult(w, http.StatusCreated, out, e)
}

func (f *Fake) deleteChannelSender(w http.ResponseWriter, req *request) {
	f.mu.Lock()
	e := f.detachLocked(req.mg, req.xe)
	f.mu.Unlock()
	writeDeleted(w, e)
}

func (f *Fake) listAccountSenders(w http.ResponseWriter, req *request) {
	q := req.r.URL.Query()
	channel := q.Get("Channel")
	if channel != "whatsapp" && channel != "rcs" {
		msg := "Missing required parameter Channel: must be whatsapp or rcs"
		if q.Has("Channel") {
			msg = "Invalid Channel: " + strconv.Quote(shorten(channel)) + " must be whatsapp or rcs"
		}
		writeError(w, errBadQuery(msg))
		return
	}
	p, e := parsePage(q)
	if e != nil {
		writeError(w, e)
		return
	}
	f.mu.Lock()
	list := f.channelSenders(channel)
	keyOf := func(i int) (time.Time, string) { return list[i].seed.Created, list[i].seed.SID }
	start, end := p.window(len(list), keyOf)
	items := make([]channelsSenderJSON, 0, end-start)
	for _, s := range list[start:end] {
		items = append(items, renderAccountSender(req.base, s.seed))
	}
	meta := pageMeta(req.base, req.nextBase, "/v2/Channels/Senders", "&Channel="+channel, "senders", p, len(list), start, end, keyOf)
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Senders []channelsSenderJSON `json:"senders"`
		Meta    metaJSON             `json:"meta"`
	}{items, meta})
}
