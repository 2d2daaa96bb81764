package ui

import (
	"context"
	"maps"
	"time"

	"charm.land/bubbles/v2/help"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// common is what the root shares with every layer: set up once, changed
// only by the root (and by a layer's update through the pointer it is
// given). A layer never keeps the pointer.
type common struct {
	ctx      context.Context
	client   Client
	sessions Sessions
	audit    AuditLog    // the record of changes; nil: none kept
	last     *lastChange // the last change made here, which u undoes
	identity Identity
	loc      *time.Location
	timeout  time.Duration
	every    time.Duration // auto-refresh; 0 is off
	styles   styles
	keys     keyMap
	help     help.Model
	spin     string // the spinner's current frame
	width    int
	height   int
	lastID   int // request ids are unique per dashboard
	// notice is the outcome of the last action; cleared by the next key a
	// layer answers.
	notice string
	// changes are the attaches and detaches in flight, by service and SID.
	changes map[changeKey]change
	// names are the Messaging Services' names, by SID, as far as known.
	names map[string]string
	// noKeyring is why the OS keyring cannot be used here, if it cannot.
	noKeyring string
	// covered is set for the layer being updated when another layer is
	// over it: it does not have the keyboard.
	covered bool
	// index is the account-wide index of who holds which sender, as far
	// as it is read (index.go): the services screen fills it and keeps
	// it true; every layer reads it through common's helpers.
	index indexState
	// now is the clock of "read 2 min ago"; nil means time.Now.
	now func() time.Time
}

// opKind is an attach or a detach.
type opKind int

const (
	opAttach opKind = iota + 1
	opDetach
	opSetting // a service setting; the key's sid is settingKey's
	opMove    // a move here from another service; the key is this service's
	opResume  // finishing or rolling back a move cut off; name says it all
)

func (c *common) nextID() int {
	c.lastID++
	return c.lastID
}

// clock is the time now, for the ages a view shows.
func (c *common) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// readOnly reports whether changes are refused.
func (c *common) readOnly() bool { return c.identity.ReadOnly }

// profilesOn reports whether the profile switcher can be opened.
// logOn reports whether L opens the record of changes.
func (c *common) logOn() bool { return c.audit != nil }

func (c *common) profilesOn() bool { return c.sessions != nil && !c.identity.Demo }

// serviceName is a service's name when known, else its SID.
func (c *common) serviceName(sid string) string {
	if n := c.names[sid]; n != "" {
		return text.Clean(n) + " (" + text.Clean(sid) + ")"
	}
	return text.Clean(sid)
}

// learnNames records service names, for messages that quote a SID.
func (c *common) learnNames(services []api.Service) {
	c.names = maps.Clone(c.names)
	if c.names == nil {
		c.names = map[string]string{}
	}
	for _, s := range services {
		if s.FriendlyName != "" {
			c.names[s.SID] = s.FriendlyName
		}
	}
}

// settingKey names a setting of a service in a changeKey, beside its
// senders: no SID has a colon.
func settingKey(service, setting string) changeKey { return changeKey{service, "setting:" + setting} }

// changeKey names one sender in one service.
type changeKey struct{ service, sid string }

// change is an attach or a detach in flight.
type change struct {
	key  changeKey
	op   opKind
	name string // the sender as shown
}

// describe is the change in words: "detach whatsapp:+1… from Acme (MG…)".
func (ch change) describe(c *common) string {
	switch ch.op {
	case opDetach:
		return "detach " + ch.name + " from " + c.serviceName(ch.key.service)
	case opSetting:
		return ch.name + " in " + c.serviceName(ch.key.service)
	case opMove:
		return "move " + ch.name + " to " + c.serviceName(ch.key.service)
	case opResume:
		return ch.name
	}
	return "attach " + ch.name + " to " + c.serviceName(ch.key.service)
}

func (c *common) beginChange(ch change) {
	c.changes = maps.Clone(c.changes)
	if c.changes == nil {
		c.changes = map[changeKey]change{}
	}
	c.changes[ch.key] = ch
}

func (c *common) endChange(k changeKey) {
	if _, ok := c.changes[k]; !ok {
		return
	}
	c.changes = maps.Clone(c.changes)
	delete(c.changes, k)
}

// changeOn reports the change in flight for a sender of a service.
func (c *common) changeOn(service, sid string) (opKind, bool) {
	ch, ok := c.changes[changeKey{service, sid}]
	return ch.op, ok
}
