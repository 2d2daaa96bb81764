// Package change makes every change senderpool makes to Twilio (attach,
// detach, move, a service's settings) in the one way that loses nothing
// and records everything. The dashboard and the command line both call
// it rather than the api package's own change methods.
//
// Every change is written to the audit log (package audit) twice: an
// intent before its request is sent, an outcome after its answer, with
// Twilio's error code, HTTP status and message and the Twilio-Request-Id
// of the answer to the POST or DELETE. A change whose intent cannot be
// written is refused: nothing is sent, and the error wraps
// ErrNotAudited. A change whose outcome cannot be written has been made,
// or tried: its error wraps ErrOutcomeNotAudited (and the request's own
// error, if it failed).
//
// A move is a detach from one service and an attach to the other, each
// step journaled (package journal) before its request, and rolled back
// when the attach fails; a move cut off half-way is found by
// PendingMoves and finished or rolled back by FinishMove and
// RollBackMove, which look at both services before they act.
//
// The batch methods (DetachMany, AttachMany, MoveMany) run on package
// bulk: bounded concurrency and one backoff shared by the batch on 429,
// which the batch's requests leave to it rather than retry themselves.
//
// Nothing this package records or returns holds a credential: audit
// entries and journal lines carry SIDs, names, a sender's text and
// Twilio's own messages only.
package change

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/journal"
)

// DefaultConcurrency is how many requests a batch keeps in flight when
// Options.Concurrency is 0.
const DefaultConcurrency = 4

// Errors, for errors.Is.
var (
	// ErrNotAudited: the change's intent could not be written to the
	// audit log, so the change was refused and nothing was sent.
	ErrNotAudited = errors.New("the change was not made: it could not be recorded in the audit log first")
	// ErrOutcomeNotAudited: the change was sent, but how it ended could
	// not be written to the audit log (the log shows it as interrupted).
	ErrOutcomeNotAudited = errors.New("the change was sent, but its outcome could not be recorded in the audit log")
	// ErrNoJournal: a move was asked of a Client without a journal.
	ErrNoJournal = errors.New("moves need the journal of moves, and none is open")
)

// Options configure a Client.
type Options struct {
	Audit *audit.Log // nil: no record is kept
	// AuditErr, when set, is why the record that should be kept cannot
	// be: every change is refused with it (ErrNotAudited), nothing sent.
	AuditErr    error
	Journal     *journal.Journal // nil: moves are refused (ErrNoJournal)
	Profile     string           // the profile's name, for the record; "" for credentials from the environment
	Account     string           // AC…; "" means the client's AccountSID
	Concurrency int              // requests a batch keeps in flight; 0 means DefaultConcurrency
	Now         func() time.Time // stamps audit entries; nil means time.Now
}

// Client is an *api.Client whose changes are audited, journaled and
// batched as the package doc says. Its read methods are the api
// client's (FetchService and the service lists also learn the services'
// names for the record). It is safe for concurrent use.
type Client struct {
	*api.Client

	audit       *audit.Log
	auditErr    error
	journal     *journal.Journal
	profile     string
	account     string
	concurrency int
	now         func() time.Time
	batch       bulk.Options // the batches' tuning beyond Concurrency; tests shorten the pauses

	mu    sync.Mutex
	names map[string]string // MG… → friendly name, of the services seen
}

// New wraps client. Nothing is sent.
func New(client *api.Client, opts Options) *Client {
	c := &Client{
		Client:      client,
		audit:       opts.Audit,
		auditErr:    opts.AuditErr,
		journal:     opts.Journal,
		profile:     opts.Profile,
		account:     opts.Account,
		concurrency: opts.Concurrency,
		now:         opts.Now,
		names:       map[string]string{},
	}
	if c.account == "" {
		c.account = client.AccountSID()
	}
	if c.concurrency <= 0 {
		c.concurrency = DefaultConcurrency
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// ListServicesPages is the api client's, learning each service's name.
func (c *Client) ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error {
	return c.Client.ListServicesPages(ctx, func(page []api.Service) error {
		c.learn(page...)
		return fn(page)
	})
}

// ListServices is the api client's, learning each service's name.
func (c *Client) ListServices(ctx context.Context) ([]api.Service, error) {
	var out []api.Service
	err := c.ListServicesPages(ctx, func(page []api.Service) error {
		out = append(out, page...)
		return nil
	})
	return out, err
}

// FetchService is the api client's, learning the service's name.
func (c *Client) FetchService(ctx context.Context, serviceSID string) (*api.Service, error) {
	svc, err := c.Client.FetchService(ctx, serviceSID)
	if err == nil && svc != nil {
		c.learn(*svc)
	}
	return svc, err
}

func (c *Client) learn(services ...api.Service) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range services {
		if s.SID != "" {
			c.names[s.SID] = s.FriendlyName
		}
	}
}

// serviceName is the service's name for the record: as last seen, else
// fetched once. A failed fetch leaves it empty and never stops a change.
func (c *Client) serviceName(ctx context.Context, sid string) string {
	c.mu.Lock()
	name, ok := c.names[sid]
	c.mu.Unlock()
	if ok {
		return name
	}
	svc, err := c.FetchService(ctx, sid)
	if err != nil || svc == nil {
		return ""
	}
	return svc.FriendlyName
}

// service is a service as the record names it.
type service struct{ sid, name string }

// named looks up a service's name, only when something will record it.
func (c *Client) named(ctx context.Context, sid string) service {
	if c.audit == nil && c.journal == nil {
		return service{sid: sid}
	}
	return service{sid: sid, name: c.serviceName(ctx, sid)}
}
