package index

import (
	"errors"
	"fmt"
	"time"

	"github.com/senderpool/senderpool/api"
)

// Op is what a Change does to a pool.
type Op int

// The changes a caller makes to a pool.
const (
	OpAdd    Op = iota + 1 // the sender was attached to the service
	OpRemove               // the sender was detached from the service (or was not there)
)

func (o Op) String() string {
	switch o {
	case OpAdd:
		return "add"
	case OpRemove:
		return "remove"
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Change is one attach or detach the caller made and Twilio confirmed. A
// move is two: OpRemove from the old service, OpAdd to the new one.
type Change struct {
	Op         Op
	ServiceSID string         // MG…
	Sender     api.PoolSender // OpAdd: the sender as attached; OpRemove: its SID is enough
	At         time.Time      // when it was made: the pool's ChangedAt
}

// ErrUnknownService is wrapped when a Change names a service the index
// does not hold.
var ErrUnknownService = errors.New("service not in the index")

// ErrInvalidChange is wrapped when a Change is not one Apply can make.
var ErrInvalidChange = errors.New("invalid change")

// Apply makes changes to the index, in order, so that it stays true after
// the caller's own attaches, detaches and moves without a new Build.
// Every change is checked first: when one is refused (ErrUnknownService,
// ErrInvalidChange, or a malformed SID: *api.SIDError), none is made.
// Removing a sender the pool does not hold is no error (a detach answered
// 404 is done). Adding one the pool holds replaces it. Each change costs
// about the size of its pool.
func (ix *Index) Apply(changes ...Change) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.init()
	for i, ch := range changes {
		if err := ix.checkLocked(ch); err != nil {
			return fmt.Errorf("change %d of %d: %w", i+1, len(changes), err)
		}
	}
	for _, ch := range changes {
		s := ix.services[ch.ServiceSID]
		switch ch.Op {
		case OpAdd:
			p := ch.Sender
			p.ServiceSID = ch.ServiceSID
			ix.putMemberLocked(s, p)
		case OpRemove:
			if !ix.dropMemberLocked(s, memberKey(ch.Sender)) {
				continue
			}
		}
		s.entry.ChangedAt = ch.At
		ix.refreshLocked(s)
	}
	return nil
}

func (ix *Index) checkLocked(ch Change) error {
	if err := api.ValidateServiceSID(ch.ServiceSID); err != nil {
		return err
	}
	if _, ok := ix.services[ch.ServiceSID]; !ok {
		return fmt.Errorf("%w: %s", ErrUnknownService, ch.ServiceSID)
	}
	switch ch.Op {
	case OpAdd, OpRemove:
	default:
		return fmt.Errorf("%w: %s", ErrInvalidChange, ch.Op)
	}
	if ch.Sender.SID == "" {
		return fmt.Errorf("%w: %s of a sender without a SID", ErrInvalidChange, ch.Op)
	}
	if err := api.ValidatePoolSID(ch.Sender.SID); err != nil {
		return err
	}
	if ch.Op == OpAdd && ch.Sender.Kind == "" {
		return fmt.Errorf("%w: add of %s without its kind", ErrInvalidChange, ch.Sender.SID)
	}
	return nil
}
