package twiliotest

import (
	"slices"
	"strings"
	"time"
)

// Attach attaches a sender to a service with the same rules, and the same
// *Error values, as POST /v1/Services/{MG}/ChannelSenders.
func (f *Fake) Attach(serviceSID, senderSID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.attachLocked(serviceSID, senderSID); err != nil {
		return err
	}
	return nil // not a nil *Error, which would be a non-nil error
}

// Detach detaches a sender with the same rules, and the same *Error
// values, as DELETE /v1/Services/{MG}/ChannelSenders/{XE}.
func (f *Fake) Detach(serviceSID, senderSID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.detachLocked(serviceSID, senderSID); err != nil {
		return err
	}
	return nil // not a nil *Error, which would be a non-nil error
}

func (f *Fake) attachLocked(serviceSID, senderSID string) (senderState, *Error) {
	if !validSID("MG", serviceSID) {
		return senderState{}, errInvalidPathSID("MessagingServiceSid", "MG", serviceSID)
	}
	svc, ok := f.services[serviceSID]
	if !ok {
		return senderState{}, errNotFound(servicePath(serviceSID))
	}
	if senderSID == "" {
		return senderState{}, errMissingParam("Sid")
	}
	if !validSID("XE", senderSID) {
		return senderState{}, errInvalidParam("Sid", "XE", senderSID)
	}
	snd, ok := f.senders[senderSID]
	if !ok {
		return senderState{}, errUnknownSender(senderSID)
	}
	switch snd.service {
	case "":
	case serviceSID:
		return senderState{}, errAlreadyAttached(senderSID)
	default:
		return senderState{}, errAttachedElsewhere(senderSID, snd.service)
	}
	snd.service = serviceSID
	snd.attachedAt = stamp(f.now())
	svc.members[senderSID] = snd
	svc.sorted = nil
	return *snd, nil
}

func (f *Fake) detachLocked(serviceSID, senderSID string) *Error {
	if !validSID("MG", serviceSID) {
		return errInvalidPathSID("MessagingServiceSid", "MG", serviceSID)
	}
	if !validSID("XE", senderSID) {
		return errInvalidPathSID("Sid", "XE", senderSID)
	}
	svc, ok := f.services[serviceSID]
	if !ok {
		return errNotFound(servicePath(serviceSID))
	}
	snd, ok := svc.members[senderSID]
	if !ok {
		return errNotFound(channelSenderPath(serviceSID, senderSID))
	}
	delete(svc.members, senderSID)
	snd.service = ""
	snd.attachedAt = time.Time{}
	svc.sorted = nil
	return nil
}

// AttachedSIDs returns the SIDs of the senders attached to a service,
// sorted; nil for an unknown service.
func (f *Fake) AttachedSIDs(serviceSID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	svc, ok := f.services[serviceSID]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(svc.members))
	for sid := range svc.members {
		out = append(out, sid)
	}
	slices.Sort(out)
	return out
}

// ServiceSIDs returns the SIDs of all services, sorted.
func (f *Fake) ServiceSIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.services))
	for sid := range f.services {
		out = append(out, sid)
	}
	slices.Sort(out)
	return out
}

// sortedMembers returns the members of svc in list order, rebuilding the
// cache after a change. Callers hold f.mu.
func (svc *serviceState) sortedMembers() []*senderState {
	if svc.sorted == nil {
		svc.sorted = make([]*senderState, 0, len(svc.members))
		for _, s := range svc.members {
			svc.sorted = append(svc.sorted, s)
		}
		slices.SortFunc(svc.sorted, func(a, b *senderState) int {
			return compareKey(a.attachedAt, a.seed.SID, b.attachedAt, b.seed.SID)
		})
	}
	return svc.sorted
}

// channelSenders returns the account's senders of a v2 channel ("whatsapp"
// or "rcs", told by the sender's prefix) by (Created, SID). Callers hold f.mu.
func (f *Fake) channelSenders(channel string) []*senderState {
	if list, ok := f.channels[channel]; ok {
		return list
	}
	list := []*senderState{}
	for _, s := range f.senders {
		if senderChannel(s.seed.Sender) == channel {
			list = append(list, s)
		}
	}
	slices.SortFunc(list, func(a, b *senderState) int {
		return compareKey(a.seed.Created, a.seed.SID, b.seed.Created, b.seed.SID)
	})
	f.channels[channel] = list
	return list
}

// sortedServices returns the services by (Created, SID). Callers hold f.mu.
func (f *Fake) sortedServices() []*serviceState {
	list := make([]*serviceState, 0, len(f.services))
	for _, s := range f.services {
		list = append(list, s)
	}
	slices.SortFunc(list, func(a, b *serviceState) int {
		return compareKey(a.seed.Created, a.seed.SID, b.seed.Created, b.seed.SID)
	})
	return list
}

// senderChannel returns the v2 channel of a sender string by its prefix.
func senderChannel(sender string) string {
	prefix, _, ok := strings.Cut(sender, ":")
	if !ok {
		return ""
	}
	switch strings.ToLower(prefix) {
	case "whatsapp":
		return "whatsapp"
	case "rcs":
		return "rcs"
	}
	return ""
}
