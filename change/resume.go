package change

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/journal"
)

// PendingMoves returns this account's moves that were cut off half-way,
// oldest first, with notes on what the journal ignored and on moves of
// other accounts (resolved with their own profiles).
func (c *Client) PendingMoves(ctx context.Context) ([]journal.Move, []string, error) {
	if c.journal == nil {
		return nil, nil, ErrNoJournal
	}
	moves, notes, err := c.journal.Pending(ctx)
	if err != nil {
		return nil, notes, err
	}
	var mine []journal.Move
	others := 0
	for _, m := range moves {
		if strings.EqualFold(m.Account, c.account) {
			mine = append(mine, m)
		} else {
			others++
		}
	}
	if others > 0 {
		notes = append(notes, fmt.Sprintf("%d pending move(s) belong to other accounts: resolve them with those accounts' profiles", others))
	}
	return mine, notes, nil
}

// FinishMove completes the pending move id: it looks at both services
// (after a cut-off, the last step's request may or may not have reached
// Twilio), then sends only what is missing (the detach from From, the
// attach to To), journaled and audited, and ends the move. A move that
// had in fact completed is only marked done. It returns the sender as it
// is in To.
func (c *Client) FinishMove(ctx context.Context, id string) (api.PoolSender, error) {
	return c.resume(ctx, id, true)
}

// RollBackMove undoes the pending move id as FinishMove completes one:
// after looking, the sender leaves To if it is there and joins From if
// it is not there. It returns the sender as it is in From.
func (c *Client) RollBackMove(ctx context.Context, id string) (api.PoolSender, error) {
	return c.resume(ctx, id, false)
}

func (c *Client) pendingMove(ctx context.Context, id string) (journal.Move, error) {
	moves, _, err := c.PendingMoves(ctx)
	if err != nil {
		return journal.Move{}, err
	}
	for _, m := range moves {
		if m.ID == id {
			return m, nil
		}
	}
	return journal.Move{}, fmt.Errorf("%w: %q (or it belongs to another account)", journal.ErrUnknownMove, clip(id, maxID))
}

// journaled is the sender a journaled move carries, as a member of From.
func journaled(m journal.Move) api.PoolSender {
	p := api.PoolSender{Kind: m.Sender.Kind, SID: m.Sender.SID, ServiceSID: m.From, Address: m.Sender.Text}
	switch api.SIDKind(m.Sender.SID) {
	case api.KindPhoneNumber:
		p.Source = api.SourcePhoneNumbers
	case api.KindShortCode:
		p.Source = api.SourceShortCodes
	case api.KindAlpha:
		p.Source = api.SourceAlphaSenders
		if m.Sender.Country != "" {
			p.Source, p.DestinationCountry = api.SourceDestinationAlphaSenders, m.Sender.Country
		}
	default:
		p.Source = api.SourceChannelSenders
	}
	return p
}

func (c *Client) resume(ctx context.Context, id string, finish bool) (api.PoolSender, error) {
	m, err := c.pendingMove(ctx, id)
	if err != nil {
		return api.PoolSender{}, err
	}
	p := journaled(m)
	in, err := InputOf(p)
	if err != nil {
		return api.PoolSender{}, fmt.Errorf("move %s: %w", m.ID, err)
	}
	from, to := service{m.From, m.FromName}, service{m.To, m.ToName}
	target, other := from, to
	terminal := journal.StepRolledBack
	if finish {
		target, other, terminal = to, from, journal.StepAttached
	}
	// Look first: nothing is sent until both services are known.
	inOther, there, err := c.locate(ctx, other.sid, p)
	if err != nil {
		return api.PoolSender{}, fmt.Errorf("move %s: looking in %s: %w", m.ID, other.sid, err)
	}
	inTarget, here, err := c.locate(ctx, target.sid, p)
	if err != nil {
		return api.PoolSender{}, fmt.Errorf("move %s: looking in %s: %w", m.ID, target.sid, err)
	}

	r := &resumer{c: c, m: m}
	step := m.Step
	strict := true // only the first request is refused for want of a record
	if there {
		// A number is in one service at a time: leave the other first.
		// Rolling back, the journal says so first (rolling-back: the
		// detach from To, then the re-attach to From).
		if !finish && step != journal.StepRollingBack {
			if err := r.step(ctx, journal.StepRollingBack); err != nil {
				return api.PoolSender{}, err
			}
			step = journal.StepRollingBack
		}
		res, err, aerr := c.detach(ctx, other, inOther, m.ID, false, strict)
		r.audited(aerr)
		if !res.took() {
			if res.sent {
				r.fail(ctx, res, step)
			}
			return api.PoolSender{}, r.errorf("the detach from %s failed: %w", other.sid, err)
		}
		strict = false
	}
	sctx, cancel := settling(ctx)
	defer cancel()
	last := result{outcome: audit.OutcomeOK}
	if !here {
		next := journal.StepDetached // the attach to To is next
		if !finish {
			next = journal.StepRollingBack
		}
		if step != next {
			if err := r.step(sctx, next); err != nil {
				return api.PoolSender{}, err
			}
		}
		got, res, err, aerr := c.attach(sctx, target, in, m.ID, false, strict)
		r.audited(aerr)
		if !res.took() && res.outcome == audit.OutcomeInterrupted {
			if found, ok, lerr := c.locate(sctx, target.sid, p); lerr == nil && ok {
				got, res.outcome = found, audit.OutcomeOK
			}
		}
		if !res.took() {
			if res.sent {
				r.fail(sctx, res, next)
			}
			return api.PoolSender{}, r.errorf("the attach to %s failed: %w", target.sid, err)
		}
		inTarget, last = got, res
	} else {
		terminal = journal.StepDone // it was already there: nothing was attached
	}
	if err := r.step(sctx, terminal); err != nil {
		return inTarget, err
	}
	// The move's own change (named by the move) ends here.
	e := c.entry(m.ID, m.ID, from, audit.ActionMove)
	e.To = &audit.Service{SID: to.sid, Name: clip(to.name, maxText)}
	e.Sender = sender(p)
	if !finish {
		last.outcome, last.message = audit.OutcomeFailed, "rolled back"
	}
	r.audited(c.outcome(sctx, e, last))
	return inTarget, r.auditErr
}

// resumer is one resumption under way.
type resumer struct {
	c        *Client
	m        journal.Move
	auditErr error
}

func (r *resumer) step(ctx context.Context, s journal.Step) error {
	if err := r.c.journal.Step(ctx, r.m.ID, s); err != nil {
		return fmt.Errorf("move %s: %w", r.m.ID, err)
	}
	return nil
}

func (r *resumer) fail(ctx context.Context, res result, s journal.Step) {
	// The failure is also in the error returned; the move stays pending
	// whether or not this line is written.
	_ = r.c.journal.Fail(context.WithoutCancel(ctx), r.m.ID, res.failure(s))
}

func (r *resumer) audited(err error) {
	if err != nil {
		r.auditErr = errors.Join(r.auditErr, err)
	}
}

func (r *resumer) errorf(format string, args ...any) error {
	err := fmt.Errorf("move %s: "+format+" (the move is still pending)", append([]any{r.m.ID}, args...)...)
	return joinAudit(err, r.auditErr)
}
