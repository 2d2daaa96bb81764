package change

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/journal"
)

// settleTimeout bounds the requests that put a sender back in a service
// once it has left one. They run on a context of their own: stopping a
// move half-way (ctrl+c, quitting the dashboard) would otherwise leave
// the sender in no service, sending nothing, until the move is resumed.
const settleTimeout = time.Minute

// settling is ctx's values without its cancellation, bounded.
func settling(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
}

// Where is where a sender is after a move that did not complete.
type Where int

const (
	// WhereUnknown: an answer was lost, so where the sender is was not
	// learnt; the move is pending (PendingMoves), and FinishMove and
	// RollBackMove look before they act.
	WhereUnknown Where = iota
	InFrom             // in the service it was to leave: nothing changed, or the move was rolled back
	InTo               // in the service it was to join
	InNoService        // detached, and neither the attach nor the rollback succeeded: the move is pending
)

func (w Where) String() string {
	switch w {
	case InFrom:
		return "in the service it was moved from"
	case InTo:
		return "in the service it was moved to"
	case InNoService:
		return "in no service"
	}
	return "not known"
}

// MoveError is a move that did not complete: which step it reached, what
// failed, and where the sender is now. errors.As finds the *api.Error of
// the failed requests through it.
type MoveError struct {
	Move     string         // the journal's move ID
	Sender   api.PoolSender // the sender, as it was in From
	From, To string         // MG…
	Step     journal.Step   // the last step the journal recorded
	Where    Where          // where the sender is now

	DetachErr   error // the detach from From failed (nothing moved, unless Where says otherwise)
	AttachErr   error // the attach to To failed
	RollbackErr error // the re-attach to From failed too; nil when it succeeded or was not needed
	JournalErr  error // a step could not be journaled
	AuditErr    error // a step's entry could not be written to the audit log
}

func (e *MoveError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "moving %s from %s to %s: ", e.Sender.SID, e.From, e.To)
	switch {
	case e.DetachErr != nil:
		fmt.Fprintf(&b, "the detach from %s failed: %v", e.From, e.DetachErr)
	case e.AttachErr != nil:
		fmt.Fprintf(&b, "the attach to %s failed: %v", e.To, e.AttachErr)
		if e.RollbackErr != nil {
			fmt.Fprintf(&b, "; putting it back in %s failed too: %v", e.From, e.RollbackErr)
		} else if e.Where == InFrom {
			fmt.Fprintf(&b, "; rolled back")
		}
	case e.JournalErr != nil:
		fmt.Fprintf(&b, "the journal of moves failed: %v", e.JournalErr)
	case e.AuditErr != nil:
		fmt.Fprintf(&b, "%v", e.AuditErr)
	}
	switch e.Where {
	case InFrom:
		fmt.Fprintf(&b, ": it is in %s", e.From)
	case InTo:
		fmt.Fprintf(&b, ": it is in %s", e.To)
	case InNoService:
		fmt.Fprintf(&b, ": it is in no service; finish or roll back move %s", e.Move)
	default:
		fmt.Fprintf(&b, ": where it is is not known; finish or roll back move %s, which looks first", e.Move)
	}
	return b.String()
}

// Unwrap is every error of the move, for errors.Is and errors.As.
func (e *MoveError) Unwrap() []error {
	var out []error
	for _, err := range []error{e.DetachErr, e.AttachErr, e.RollbackErr, e.JournalErr, e.AuditErr} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// MovePoolSender moves p from one service to another: a detach from
// from, then an attach to to, each journaled before its request and each
// audited (a move entry whose Change is the journal's move ID, and a
// detach and an attach entry with that Move). When the attach fails, p
// is attached to from again, and the error, a *MoveError, says so and
// where p is. It returns p as attached to to (an alpha sender gets a new
// SID there).
//
// Once p has left from, the attach and any rollback run to their end
// even if ctx is cancelled, so that p is not left in no service.
// Without a journal, moves are refused (ErrNoJournal); a move whose
// first entries cannot be recorded is refused before anything is sent.
func (c *Client) MovePoolSender(ctx context.Context, from, to string, p api.PoolSender) (api.PoolSender, error) {
	if err := c.checkMove(from, to, p); err != nil {
		return api.PoolSender{}, err
	}
	return c.move(ctx, c.named(ctx, from), c.named(ctx, to), p, false)
}

func (c *Client) checkMove(from, to string, p api.PoolSender) error {
	if c.journal == nil {
		return ErrNoJournal
	}
	if err := checkMember(from, p); err != nil {
		return err
	}
	if err := api.ValidateServiceSID(to); err != nil {
		return err
	}
	if strings.EqualFold(from, to) {
		return fmt.Errorf("moving %s: %s is both the service it leaves and the one it joins", p.SID, from)
	}
	_, err := InputOf(p)
	return err
}

// mover is one move under way.
type mover struct {
	c        *Client
	from, to service
	p        api.PoolSender
	in       api.SenderInput
	entry    audit.Entry // the move's own audit entry
	err      MoveError
}

// journal writes a step; a failure is kept, and the move goes on.
func (m *mover) step(ctx context.Context, s journal.Step) {
	if err := m.c.journal.Step(context.WithoutCancel(ctx), m.err.Move, s); err != nil {
		m.err.JournalErr = errors.Join(m.err.JournalErr, err)
		return
	}
	m.err.Step = s
}

func (m *mover) fail(ctx context.Context, r result, s journal.Step) {
	if err := m.c.journal.Fail(context.WithoutCancel(ctx), m.err.Move, r.failure(s)); err != nil {
		m.err.JournalErr = errors.Join(m.err.JournalErr, err)
	}
}

func (m *mover) audited(err error) {
	if err != nil {
		m.err.AuditErr = errors.Join(m.err.AuditErr, err)
	}
}

// end records the move's outcome.
func (m *mover) end(ctx context.Context, r result) {
	m.audited(m.c.outcome(ctx, m.entry, r))
}

// move does a checked move; batch leaves a 429 on the detach to the
// batch's shared backoff (nothing has changed yet, so the batch may try
// the whole move again).
func (c *Client) move(ctx context.Context, from, to service, p api.PoolSender, batch bool) (api.PoolSender, error) {
	in, err := InputOf(p)
	if err != nil {
		return api.PoolSender{}, err
	}
	id := journal.NewID()
	m := &mover{c: c, from: from, to: to, p: p, in: in,
		err: MoveError{Move: id, Sender: p, From: from.sid, To: to.sid, Step: journal.StepStarted, Where: InFrom}}
	// The move's own change is named by the move: resuming it later
	// writes its outcome under the same Change.
	m.entry = c.entry(id, id, from, audit.ActionMove)
	m.entry.To = &audit.Service{SID: to.sid, Name: clip(to.name, maxText)}
	m.entry.Sender = sender(p)
	if err := c.intent(ctx, m.entry); err != nil {
		return api.PoolSender{}, err
	}
	err = c.journal.Begin(ctx, journal.MoveEntry{
		ID: id, Profile: clip(c.profile, maxID), Account: c.account,
		From: from.sid, FromName: clip(from.name, maxText), To: to.sid, ToName: clip(to.name, maxText),
		Sender: journal.Sender{SID: p.SID, Kind: clip(p.Kind, maxID), Text: clip(p.Address, maxText), Country: p.DestinationCountry},
	})
	if err != nil {
		m.end(ctx, result{outcome: audit.OutcomeFailed, message: "not started: the journal of moves could not record it"})
		return api.PoolSender{}, joinAudit(fmt.Errorf("moving %s: nothing was sent: %w", p.SID, err), m.err.AuditErr)
	}

	r, err, aerr := c.detach(ctx, from, p, id, batch, true)
	m.audited(aerr)
	sctx, cancel := settling(ctx)
	defer cancel()
	if !r.took() && r.sent && r.outcome == audit.OutcomeInterrupted {
		// The answer was lost: look whether the detach was made.
		if _, there, lerr := c.locate(sctx, from.sid, p); lerr == nil && !there {
			r.outcome = audit.OutcomeOK
		} else if lerr != nil {
			m.fail(ctx, r, journal.StepStarted)
			m.err.DetachErr, m.err.Where = err, WhereUnknown
			m.end(ctx, r)
			return api.PoolSender{}, &m.err
		}
	}
	if !r.took() {
		// Refused, or not sent: nothing moved.
		if r.sent {
			m.fail(ctx, r, journal.StepStarted)
		}
		m.step(ctx, journal.StepDone)
		m.err.DetachErr = err
		if api.IsNotFound(err) {
			m.err.Where = WhereUnknown // Twilio says it is not in from
		}
		if !r.sent {
			r = result{outcome: audit.OutcomeFailed, message: "not sent: the audit log failed"}
		}
		m.end(ctx, r)
		return api.PoolSender{}, &m.err
	}
	m.err.Where = InNoService
	if jerr := c.journal.Step(sctx, id, journal.StepDetached); jerr != nil {
		// Without the journal, nothing would find a move cut off from
		// here on: put the sender back rather than go on unrecorded.
		m.err.JournalErr = jerr
		m.rollback(sctx, result{})
		return api.PoolSender{}, &m.err
	}
	m.err.Step = journal.StepDetached
	return m.attach(sctx)
}

// attach attaches the detached sender to the move's target, and rolls
// back when that fails.
func (m *mover) attach(ctx context.Context) (api.PoolSender, error) {
	c := m.c
	moved, r, err, aerr := c.attach(ctx, m.to, m.in, m.err.Move, false, false)
	m.audited(aerr)
	if !r.took() && r.outcome == audit.OutcomeInterrupted {
		if found, there, lerr := c.locate(ctx, m.to.sid, m.p); lerr == nil && there {
			moved, r.outcome = found, audit.OutcomeOK
		}
	}
	if !r.took() {
		m.err.AttachErr = err
		m.fail(ctx, r, journal.StepDetached)
		m.rollback(ctx, r)
		return api.PoolSender{}, &m.err
	}
	m.err.Where = InTo
	m.step(ctx, journal.StepAttached)
	m.end(ctx, r)
	if m.err.JournalErr != nil || m.err.AuditErr != nil {
		// Moved; only the record is short.
		return moved, errors.Join(m.err.JournalErr, m.err.AuditErr)
	}
	return moved, nil
}

// rollback attaches the sender to the service it left again; why is
// the result of the attach that failed.
func (m *mover) rollback(ctx context.Context, why result) {
	c := m.c
	m.step(ctx, journal.StepRollingBack)
	_, r, err, aerr := c.attach(ctx, m.from, m.in, m.err.Move, false, false)
	m.audited(aerr)
	if !r.took() && r.outcome == audit.OutcomeInterrupted {
		if _, there, lerr := c.locate(ctx, m.from.sid, m.p); lerr == nil && there {
			r.outcome = audit.OutcomeOK
		}
	}
	if r.took() {
		m.err.Where = InFrom
		m.step(ctx, journal.StepRolledBack)
		why.outcome, why.message = audit.OutcomeFailed, clip("rolled back: "+orDefault(why.message, "the move could not go on"), maxText)
		m.end(ctx, why)
		return
	}
	m.err.RollbackErr = err
	if r.outcome == audit.OutcomeInterrupted {
		m.err.Where = WhereUnknown
	}
	m.fail(ctx, r, journal.StepRollingBack)
	r.outcome, r.message = audit.OutcomeFailed, clip("pending, in no service: the attach and the rollback failed: "+r.message, maxText)
	m.end(ctx, r)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// errFound stops a listing at the sender looked for.
var errFound = errors.New("found")

// locate looks for p in a service: by SID for a phone number, short code
// or channel sender; by text (and destination country) for an alpha
// sender, which has a SID of its own in every service. A service that is
// gone holds nothing.
func (c *Client) locate(ctx context.Context, serviceSID string, p api.PoolSender) (api.PoolSender, bool, error) {
	if p.Source != api.SourceAlphaSenders && p.Source != api.SourceDestinationAlphaSenders {
		q, err := c.Client.FetchPoolSender(ctx, serviceSID, p.Source, p.SID)
		if api.IsNotFound(err) {
			return api.PoolSender{}, false, nil
		}
		return q, err == nil, err
	}
	var found api.PoolSender
	err := c.Client.ListSourcePages(ctx, serviceSID, p.Source, func(page []api.PoolSender) error {
		for _, q := range page {
			if strings.EqualFold(q.Address, p.Address) &&
				(p.Source == api.SourceAlphaSenders || strings.EqualFold(q.DestinationCountry, p.DestinationCountry)) {
				found = q
				return errFound
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errFound):
		return found, true, nil
	case api.IsNotFound(err), err == nil:
		return api.PoolSender{}, false, nil
	}
	return api.PoolSender{}, false, err
}
