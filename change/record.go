package change

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/journal"
)

// Bounds of what the audit log and the journal take: far above what
// Twilio sends, so clipping only ever touches hostile values, and a
// hostile value must never stop a change from being recorded.
const (
	maxText = 1024
	maxID   = 64
)

// clip keeps at most n bytes of s, cut at a character's boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// answer learns, through api.WithRequestIDs, the Twilio-Request-Id of
// the answer to the change's own request (its method), not of the
// lookups before it. Of a retried request, the last answer counts.
type answer struct {
	mu     sync.Mutex
	method string
	id     string
	status int
	seen   bool
}

func listen(ctx context.Context, method string) (context.Context, *answer) {
	a := &answer{method: method}
	return api.WithRequestIDs(ctx, func(r api.ReplyID) {
		if r.Method != a.method {
			return
		}
		a.mu.Lock()
		a.id, a.status, a.seen = r.ID, r.Status, true
		a.mu.Unlock()
	}), a
}

func (a *answer) get() (id string, status int, seen bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.id, a.status, a.seen
}

// result is how a request ended, as the record tells it: Twilio's code,
// status and message, never a Go error's text (which may quote network
// input at length).
type result struct {
	sent      bool // the request was sent; false when its intent could not be recorded
	outcome   audit.Outcome
	code      int
	status    int
	message   string
	requestID string
}

// resultOf reads err (and what a learnt of the answer) for the record.
func resultOf(err error, a *answer) result {
	id, status, seen := a.get()
	r := result{sent: true, outcome: audit.OutcomeOK, status: status, requestID: clip(id, maxID)}
	if err == nil {
		return r
	}
	var apiErr *api.Error
	var setup interface{ SetupError() bool }
	switch {
	case errors.As(err, &apiErr):
		r.outcome, r.code, r.status, r.message = audit.OutcomeFailed, apiErr.Code, apiErr.Status, clip(apiErr.Message, maxText)
		if apiErr.RequestID != "" {
			r.requestID = clip(apiErr.RequestID, maxID)
		}
	case seen && status >= 200 && status < 300:
		// Twilio said it did it; only its answer's body was unusable.
		r.message = "Twilio answered that it was done, but its answer could not be read"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		r.outcome, r.message = audit.OutcomeInterrupted, "stopped before an answer came: the change may or may not have been made"
	case errors.As(err, &setup) && setup.SetupError():
		r.outcome, r.message = audit.OutcomeFailed, "refused before sending: "+clip(err.Error(), 200)
	default:
		r.outcome, r.message = audit.OutcomeInterrupted, "no usable answer from Twilio: the change may or may not have been made"
	}
	return r
}

// took reports whether the change took effect, as far as its answer says.
func (r result) took() bool { return r.outcome == audit.OutcomeOK }

// failure is r as the journal records a failed step's request.
func (r result) failure(step journal.Step) journal.Failure {
	return journal.Failure{Step: step, Code: r.code, Status: r.status, Message: r.message, RequestID: r.requestID}
}

// entry is the part of an audit entry every change shares.
func (c *Client) entry(change, move string, svc service, action audit.Action) audit.Entry {
	return audit.Entry{
		Time:    c.now(),
		Change:  change,
		Move:    move,
		Profile: clip(c.profile, maxID),
		Account: c.account,
		Service: audit.Service{SID: svc.sid, Name: clip(svc.name, maxText)},
		Action:  action,
	}
}

// intent writes e as an intent; a failure refuses the change.
func (c *Client) intent(ctx context.Context, e audit.Entry) error {
	e.Time = c.now()
	if c.auditErr != nil {
		return fmt.Errorf("%w: %w", ErrNotAudited, c.auditErr)
	}
	if c.audit == nil {
		return nil
	}
	e.Phase = audit.PhaseIntent
	if err := c.audit.Append(ctx, e); err != nil {
		return fmt.Errorf("%w: %w", ErrNotAudited, err)
	}
	return nil
}

// outcome writes e's outcome. It is written even when ctx is done: the
// request it records was sent.
func (c *Client) outcome(ctx context.Context, e audit.Entry, r result) error {
	if c.audit == nil {
		return nil
	}
	e.Time = c.now()
	e.Phase, e.Outcome = audit.PhaseOutcome, r.outcome
	e.ErrorCode, e.Status, e.Error, e.RequestID = r.code, r.status, r.message, r.requestID
	if err := c.audit.Append(context.WithoutCancel(ctx), e); err != nil {
		return fmt.Errorf("%w: %w", ErrOutcomeNotAudited, err)
	}
	return nil
}

// sender is p as the record names it.
func sender(p api.PoolSender) *audit.Sender {
	return &audit.Sender{
		SID:      p.SID,
		Text:     clip(p.Address, maxText),
		Kind:     clip(p.Kind, maxID),
		Resource: resource(p.Source),
		Country:  p.DestinationCountry,
	}
}

// inputSender is what an attach names, before its SID may be known.
func inputSender(in api.SenderInput) *audit.Sender {
	s := &audit.Sender{SID: in.SID, Text: clip(in.Address, maxText), Kind: clip(in.Kind, maxID), Country: in.Country}
	if in.Kind == api.KindAlpha && in.SID == "" {
		s.Resource = audit.ResourceAlphaSenders
		if in.Country != "" {
			s.Resource = audit.ResourceDestinationAlphaSenders
		}
	}
	return s
}

func resource(src api.PoolSource) audit.Resource {
	switch src {
	case api.SourcePhoneNumbers:
		return audit.ResourcePhoneNumbers
	case api.SourceShortCodes:
		return audit.ResourceShortCodes
	case api.SourceAlphaSenders:
		return audit.ResourceAlphaSenders
	case api.SourceDestinationAlphaSenders:
		return audit.ResourceDestinationAlphaSenders
	}
	return audit.ResourceChannelSenders
}

// joinAudit adds an outcome's audit failure to the request's error.
func joinAudit(err, auditErr error) error {
	if auditErr == nil {
		return err
	}
	return errors.Join(err, auditErr)
}
