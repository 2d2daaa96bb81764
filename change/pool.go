package change

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/audit"
)

// AttachPoolSender is the api client's, audited: what in names is
// resolved to its SID first (the lookups are not the change), then the
// intent is recorded, then the attach is sent and its outcome recorded.
// A change whose intent cannot be recorded is refused (ErrNotAudited).
func (c *Client) AttachPoolSender(ctx context.Context, serviceSID string, in api.SenderInput) (api.PoolSender, error) {
	in, err := c.prepareAttach(ctx, serviceSID, in)
	if err != nil {
		return api.PoolSender{}, err
	}
	p, _, err, auditErr := c.attach(ctx, c.named(ctx, serviceSID), in, "", false, true)
	return p, joinAudit(err, auditErr)
}

// DetachPoolSender is the api client's, audited. A change whose intent
// cannot be recorded is refused (ErrNotAudited).
func (c *Client) DetachPoolSender(ctx context.Context, serviceSID string, p api.PoolSender) error {
	if err := checkMember(serviceSID, p); err != nil {
		return err
	}
	_, err, auditErr := c.detach(ctx, c.named(ctx, serviceSID), p, "", false, true)
	return joinAudit(err, auditErr)
}

// UpdateService is the api client's, audited: one audit change per
// setting u sets, every intent recorded before the one request. A change
// whose intents cannot be recorded is refused (ErrNotAudited).
func (c *Client) UpdateService(ctx context.Context, serviceSID string, u api.ServiceUpdate) (*api.Service, error) {
	if err := api.ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	settings := settingsOf(u)
	if len(settings) == 0 {
		return nil, api.ErrNothingToUpdate
	}
	svc := c.named(ctx, serviceSID)
	entries := make([]audit.Entry, len(settings))
	for i, s := range settings {
		e := c.entry(audit.NewChangeID(), "", svc, audit.ActionSetting)
		e.Setting = &audit.Setting{Name: s.Name, Value: clip(s.Value, maxText)}
		if err := c.intent(ctx, e); err != nil {
			return nil, err
		}
		entries[i] = e
	}
	rctx, a := listen(ctx, http.MethodPost)
	out, err := c.Client.UpdateService(rctx, serviceSID, u)
	if err == nil && out != nil {
		c.learn(*out)
	}
	r := resultOf(err, a)
	var auditErr error
	for _, e := range entries {
		if aerr := c.outcome(ctx, e, r); aerr != nil && auditErr == nil {
			auditErr = aerr
		}
	}
	return out, joinAudit(err, auditErr)
}

// settingsOf lists what u sets, by Twilio's parameter names, as sent.
func settingsOf(u api.ServiceUpdate) []audit.Setting {
	var out []audit.Setting
	boolean := func(name string, v *bool) {
		if v != nil {
			out = append(out, audit.Setting{Name: name, Value: strconv.FormatBool(*v)})
		}
	}
	boolean("StickySender", u.StickySender)
	boolean("AreaCodeGeomatch", u.AreaCodeGeomatch)
	boolean("FallbackToLongCode", u.FallbackToLongCode)
	boolean("SmartEncoding", u.SmartEncoding)
	boolean("MmsConverter", u.MMSConverter)
	boolean("UseInboundWebhookOnNumber", u.UseInboundWebhookOnNumber)
	if u.ValidityPeriod != nil {
		out = append(out, audit.Setting{Name: "ValidityPeriod", Value: strconv.Itoa(*u.ValidityPeriod)})
	}
	if u.FriendlyName != nil {
		out = append(out, audit.Setting{Name: "FriendlyName", Value: *u.FriendlyName})
	}
	if u.Usecase != nil {
		out = append(out, audit.Setting{Name: "Usecase", Value: *u.Usecase})
	}
	return out
}

// prepareAttach checks in and finds its SID among the account's senders
// (an alpha sender has none: it is created from its text), so that the
// intent names what will be sent and a malformed input sends nothing.
func (c *Client) prepareAttach(ctx context.Context, serviceSID string, in api.SenderInput) (api.SenderInput, error) {
	if err := api.ValidateServiceSID(serviceSID); err != nil {
		return in, err
	}
	if in.Kind == api.KindAlpha && in.SID == "" {
		if err := api.ValidateAlphaSender(in.Address); err != nil {
			return in, err
		}
		if in.Country != "" {
			if err := api.ValidateCountryCode(in.Country); err != nil {
				return in, err
			}
		}
		return in, nil
	}
	in, err := c.Client.ResolveSenderInput(ctx, in)
	if err != nil {
		return in, err
	}
	if api.SIDKind(in.SID) == api.KindAlpha {
		return in, fmt.Errorf("%s: %w", in.SID, api.ErrAlphaBySID)
	}
	if in.Kind == "" {
		in.Kind = api.SIDKind(in.SID)
	}
	return in, nil
}

// attach records and sends one prepared attach. err is the request's,
// auditErr the record's. A strict attach whose intent cannot be recorded
// is not sent (err wraps ErrNotAudited); a move's later steps are not
// strict, as refusing them would leave the sender in no service.
// leave429 leaves a 429 to the caller's shared backoff.
func (c *Client) attach(ctx context.Context, svc service, in api.SenderInput, move string, leave429, strict bool) (p api.PoolSender, r result, err, auditErr error) {
	e := c.entry(audit.NewChangeID(), move, svc, audit.ActionAttach)
	e.Sender = inputSender(in)
	intentErr := c.intent(ctx, e)
	if intentErr != nil && strict {
		return api.PoolSender{}, result{}, intentErr, nil
	}
	rctx, a := listen(ctx, http.MethodPost)
	if leave429 {
		rctx = api.LeaveThrottlesToCaller(rctx)
	}
	p, err = c.Client.AttachPoolSender(rctx, svc.sid, in)
	r = resultOf(err, a)
	if err == nil {
		// The outcome names what Twilio made: an alpha sender's new SID.
		e.Sender = sender(p)
		if e.Sender.Text == "" {
			e.Sender.Text = clip(in.Address, maxText)
		}
	}
	return p, r, err, errors.Join(intentErr, c.outcome(ctx, e, r))
}

// detach records and sends one detach, as attach does.
func (c *Client) detach(ctx context.Context, svc service, p api.PoolSender, move string, leave429, strict bool) (r result, err, auditErr error) {
	e := c.entry(audit.NewChangeID(), move, svc, audit.ActionDetach)
	e.Sender = sender(p)
	intentErr := c.intent(ctx, e)
	if intentErr != nil && strict {
		return result{}, intentErr, nil
	}
	rctx, a := listen(ctx, http.MethodDelete)
	if leave429 {
		rctx = api.LeaveThrottlesToCaller(rctx)
	}
	err = c.Client.DetachPoolSender(rctx, svc.sid, p)
	r = resultOf(err, a)
	return r, err, errors.Join(intentErr, c.outcome(ctx, e, r))
}

// checkMember refuses, before anything is recorded or sent, a member
// whose SID does not fit its source.
func checkMember(serviceSID string, p api.PoolSender) error {
	if err := api.ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	return checkSender(p)
}

// checkSender checks that p's SID fits its source.
func checkSender(p api.PoolSender) error {
	want, ok := prefixOf(p.Source)
	if !ok {
		return fmt.Errorf("%w: %v", api.ErrInvalidSource, p.Source)
	}
	if err := api.ValidateSID(want, p.SID); err != nil {
		return err
	}
	if p.Source == api.SourceDestinationAlphaSenders && p.DestinationCountry != "" {
		return api.ValidateCountryCode(p.DestinationCountry)
	}
	return nil
}

// prefixOf is the SID prefix of a source's members.
func prefixOf(src api.PoolSource) (string, bool) {
	switch src {
	case api.SourceChannelSenders:
		return api.PrefixChannelSender, true
	case api.SourcePhoneNumbers:
		return api.PrefixPhoneNumber, true
	case api.SourceShortCodes:
		return api.PrefixShortCode, true
	case api.SourceAlphaSenders, api.SourceDestinationAlphaSenders:
		return api.PrefixAlphaSender, true
	}
	return "", false
}

// InputOf is what attaching p again takes: its SID for a phone number,
// a short code or a channel sender; its text for an alpha sender, and
// its destination country for a per-country one, as Twilio creates an
// alpha sender anew (with a new SID) in every service.
func InputOf(p api.PoolSender) (api.SenderInput, error) {
	if err := checkSender(p); err != nil {
		return api.SenderInput{}, err
	}
	switch p.Source {
	case api.SourceAlphaSenders:
		return api.SenderInput{Kind: api.KindAlpha, Address: p.Address}, api.ValidateAlphaSender(p.Address)
	case api.SourceDestinationAlphaSenders:
		if p.DestinationCountry == "" {
			return api.SenderInput{}, fmt.Errorf("alpha sender %q: %w", clip(p.Address, 40), api.ErrNoCountry)
		}
		return api.SenderInput{Kind: api.KindAlpha, Address: p.Address, Country: p.DestinationCountry}, api.ValidateAlphaSender(p.Address)
	}
	return api.SenderInput{Kind: api.SIDKind(p.SID), SID: p.SID, Address: p.Address}, nil
}
