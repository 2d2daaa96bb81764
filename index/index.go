// Package index is the account-wide answer to "who holds which sender":
// every Messaging Service's whole pool, read once (Build), looked up by
// SID or address in constant time (Holders), with the account's own
// senders that no service holds (InNoService) and the counts a service
// picker shows (Counts). A caller keeps it true after its own attach,
// detach or move with Apply instead of reading everything again.
//
// Addresses are compared as api.PoolSender.Matches compares them: phone
// numbers and short codes exactly (a number is normalised to E.164
// first), alpha senders without regard to case (Twilio keeps one alpha
// sender per service and country whatever its case, and "ACME" and
// "Acme" reach a handset as the same brand), and channel addresses with
// the prefix in any case and the rest exactly. A phone number and the
// WhatsApp sender on it are two senders: +14155550100 does not find
// whatsapp:+14155550100.
package index

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/senderpool/senderpool/api"
)

// ServiceEntry is one service of the index and what was read of its pool.
type ServiceEntry struct {
	Service api.Service
	// Senders are the pool's members, sorted (api.SortPool); when Err is
	// set, those of the lists that answered. The slice is shared: do not
	// modify it.
	Senders []api.PoolSender
	// Err is why some of the pool could not be read: a *api.PoolError
	// naming each failed list, or the context's error when the build was
	// stopped before the pool was read. Nil when the pool is whole.
	Err error
	// ReadAt is when the last of the pool's lists answered; zero when the
	// build stopped first.
	ReadAt time.Time
	// ChangedAt is when Apply last changed the pool; zero when it never
	// did.
	ChangedAt time.Time
	// Counts are the pool's senders by kind, with the not-ONLINE ones as
	// far as the account's channel senders were known at the time.
	Counts Counts
}

// Complete reports whether the whole pool was read.
func (e ServiceEntry) Complete() bool { return e.Err == nil && !e.ReadAt.IsZero() }

// Counts are what a service picker shows of a pool.
type Counts struct {
	Total  int
	ByKind map[string]int // api.KindWhatsApp … api.KindAlpha → how many; absent kinds are absent
	// NotOnline counts the channel senders whose status the account's
	// senders list (GET /v2/Channels/Senders) tells and is not ONLINE.
	NotOnline int
	// StatusKnown reports that the account's WhatsApp and RCS senders
	// were read, so NotOnline means something. Messenger senders have no
	// status there and never count.
	StatusKnown bool
}

// Hit is a service that holds the sender asked for.
type Hit struct {
	ServiceSID  string
	ServiceName string
	Sender      api.PoolSender // as the service's pool lists it
}

// AccountSenderEntry is one of the account's own senders: a phone number
// or short code of the 2010 API, or a WhatsApp or RCS sender of the
// Senders API (which lists no Messenger senders).
type AccountSenderEntry struct {
	Sender api.PoolSender // ServiceSID is ""
	Status string         // the Senders API's status (ONLINE, OFFLINE, …); "" for numbers and short codes
}

// Index is safe for concurrent use. Build makes one; the zero value is an
// empty index of no services.
type Index struct {
	mu       sync.RWMutex
	order    []string                 // service SIDs in the order they were listed
	services map[string]*serviceState // by MG…
	bySID    map[string][]string      // sender SID → the services holding it
	byAddr   map[string][]memberRef   // addrKey → the members with that address
	account  accountState
	readAt   time.Time
}

type serviceState struct {
	pos     int // in order
	entry   ServiceEntry
	members map[string]api.PoolSender // memberKey → sender
}

// memberRef names a member of a service's pool.
type memberRef struct {
	service, key string
}

// accountState is what was read of the account's own senders.
type accountState struct {
	senders      []AccountSenderEntry
	statusBySID  map[string]string // the channel senders' statuses by SID
	statusByAddr map[string]string // and by addrKey of their sender_id
	channels     bool              // the WhatsApp and RCS lists both answered
	readAt       time.Time
	errs         []error
}

func (ix *Index) init() {
	if ix.services == nil {
		ix.services = map[string]*serviceState{}
		ix.bySID = map[string][]string{}
		ix.byAddr = map[string][]memberRef{}
	}
}

// ReadAt is when the build that made the index ended.
func (ix *Index) ReadAt() time.Time {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.readAt
}

// Services returns every service in the order Twilio listed them.
func (ix *Index) Services() []ServiceEntry {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]ServiceEntry, 0, len(ix.order))
	for _, sid := range ix.order {
		out = append(out, ix.services[sid].entry)
	}
	return out
}

// Service returns one service of the index.
func (ix *Index) Service(serviceSID string) (ServiceEntry, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.services[serviceSID]
	if !ok {
		return ServiceEntry{}, false
	}
	return s.entry, true
}

// Incomplete returns the services whose pool was not wholly read: a
// sender that Holders does not find may be in one of them.
func (ix *Index) Incomplete() []ServiceEntry {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []ServiceEntry
	for _, sid := range ix.order {
		if e := ix.services[sid].entry; !e.Complete() {
			out = append(out, e)
		}
	}
	return out
}

// Counts returns a service's counts (ServiceEntry.Counts, kept up to
// date as the account's senders and Apply change them).
func (ix *Index) Counts(serviceSID string) (Counts, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.services[serviceSID]
	if !ok {
		return Counts{}, false
	}
	return s.entry.Counts, true
}

// Holders returns the services that hold the sender query names: a SID
// (PN…, SC…, AI…, XE…), an E.164 number, a short code's digits, an alpha
// sender (any case: every alpha sender of that name, global or for one
// country) or a channel address (whatsapp:+…, rcs:…, messenger:…), read
// by api.ParseSenderInput. No hit is an empty result, not an error; a
// malformed query is the *api.AddressError or *api.SIDError that
// ParseSenderInput gives. Hits come in the services' order, then the
// pool's.
func (ix *Index) Holders(query string) ([]Hit, error) {
	in, err := api.ParseSenderInput(query)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var refs []memberRef
	if in.SID != "" {
		for _, svc := range ix.bySID[in.SID] {
			refs = append(refs, memberRef{svc, in.SID})
		}
	} else {
		refs = ix.byAddr[addrKey(in.Kind, in.Address)]
	}
	hits := make([]Hit, 0, len(refs))
	for _, r := range refs {
		s := ix.services[r.service]
		p, ok := s.members[r.key]
		if !ok || (in.SID == "" && !p.Matches(in)) {
			continue
		}
		hits = append(hits, Hit{ServiceSID: r.service, ServiceName: s.entry.Service.FriendlyName, Sender: p})
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if c := ix.services[a.ServiceSID].pos - ix.services[b.ServiceSID].pos; c != 0 {
			return c
		}
		return api.ComparePoolSenders(a.Sender, b.Sender)
	})
	return hits, nil
}

// InNoService returns the account's senders that no service of the index
// holds, sorted as a pool is (api.SortPool). It is sure only when the
// account was read (AccountRead) and no service is Incomplete; Messenger
// senders are never in it (no API lists the account's).
func (ix *Index) InNoService() []AccountSenderEntry {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []AccountSenderEntry
	for _, a := range ix.account.senders {
		if a.Sender.SID != "" {
			if len(ix.bySID[a.Sender.SID]) > 0 {
				continue
			}
		} else if len(ix.byAddr[addrKey(a.Sender.Kind, a.Sender.Address)]) > 0 {
			continue
		}
		out = append(out, a)
	}
	return out
}

// AccountRead tells when the account's own senders were read (zero when
// they were not asked for) and, when some of their lists failed, why
// (the others were read).
func (ix *Index) AccountRead() (time.Time, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.account.readAt, errors.Join(ix.account.errs...)
}

// memberKey is how a service's pool keys a member: its SID, or, for one
// that came without (every field may be null), its address.
func memberKey(p api.PoolSender) string {
	if p.SID != "" {
		return p.SID
	}
	return "\x00" + addrKey(p.Kind, p.Address)
}

// addrKey is the normalised address a sender is found by (see the
// package comment); the kind keeps a number and a short code of the same
// digits apart.
func addrKey(kind, address string) string {
	switch kind {
	case api.KindPhoneNumber:
		if n, err := api.NormalizeE164(address); err == nil {
			address = n
		}
		return "pn " + address
	case api.KindShortCode:
		return "sc " + address
	case api.KindAlpha:
		return "al " + strings.ToLower(address)
	}
	if prefix, rest, ok := strings.Cut(address, ":"); ok {
		return "ch " + strings.ToLower(prefix) + ":" + rest
	}
	return "ch " + address
}

// putMemberLocked adds (or replaces) a member of a service's pool and
// indexes it. The caller resorts the pool.
func (ix *Index) putMemberLocked(s *serviceState, p api.PoolSender) {
	sid := s.entry.Service.SID
	key := memberKey(p)
	if _, ok := s.members[key]; ok {
		ix.dropMemberLocked(s, key)
	}
	if p.ServiceSID == "" {
		p.ServiceSID = sid
	}
	s.members[key] = p
	if p.SID != "" {
		ix.bySID[p.SID] = append(ix.bySID[p.SID], sid)
	}
	ak := addrKey(p.Kind, p.Address)
	ix.byAddr[ak] = append(ix.byAddr[ak], memberRef{sid, key})
}

// dropMemberLocked removes a member from a service's pool and the maps;
// false when it was not there.
func (ix *Index) dropMemberLocked(s *serviceState, key string) bool {
	p, ok := s.members[key]
	if !ok {
		return false
	}
	sid := s.entry.Service.SID
	delete(s.members, key)
	if p.SID != "" {
		ix.bySID[p.SID] = dropFirst(ix.bySID[p.SID], sid)
		if len(ix.bySID[p.SID]) == 0 {
			delete(ix.bySID, p.SID)
		}
	}
	ak := addrKey(p.Kind, p.Address)
	ix.byAddr[ak] = dropFirst(ix.byAddr[ak], memberRef{sid, key})
	if len(ix.byAddr[ak]) == 0 {
		delete(ix.byAddr, ak)
	}
	return true
}

// dropFirst removes the first v from list (a sender is in one service,
// so the lists hold one or two items).
func dropFirst[T comparable](list []T, v T) []T {
	if i := slices.Index(list, v); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// refreshLocked rebuilds a service's sorted senders and counts from its
// members: after a read or a change.
func (ix *Index) refreshLocked(s *serviceState) {
	senders := make([]api.PoolSender, 0, len(s.members))
	for _, p := range s.members {
		senders = append(senders, p)
	}
	slices.SortFunc(senders, api.ComparePoolSenders)
	s.entry.Senders = senders
	ix.countLocked(s)
}

// countLocked recounts a service's pool.
func (ix *Index) countLocked(s *serviceState) {
	c := Counts{Total: len(s.entry.Senders), ByKind: map[string]int{}, StatusKnown: ix.account.channels}
	for _, p := range s.entry.Senders {
		c.ByKind[p.Kind]++
		if st, ok := ix.statusLocked(p); ok && !strings.EqualFold(st, "ONLINE") {
			c.NotOnline++
		}
	}
	s.entry.Counts = c
}

// statusLocked is a channel sender's status in the account's senders: by
// SID, else by address (its sender_id), as the v1 pool and the v2 list
// name the same sender.
func (ix *Index) statusLocked(p api.PoolSender) (string, bool) {
	if !api.IsChannelKind(p.Kind) {
		return "", false
	}
	st, ok := ix.account.statusBySID[p.SID]
	if !ok {
		st, ok = ix.account.statusByAddr[addrKey(p.Kind, p.Address)]
	}
	return st, ok && st != ""
}
