package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode/utf8"
)

// ServiceUpdate is a change to a service's settings: only the fields that
// are set are sent (POST /v1/Services/{MG}, form-encoded), the rest stay
// as they are. The sender-selection settings come first.
type ServiceUpdate struct {
	StickySender              *bool   // StickySender: keep each recipient on the sender that last wrote to them
	AreaCodeGeomatch          *bool   // AreaCodeGeomatch: prefer a number of the recipient's area code (US, CA)
	FallbackToLongCode        *bool   // FallbackToLongCode: marked obsolete by the spec, still settable
	SmartEncoding             *bool   // SmartEncoding: replace look-alike Unicode to stay in GSM-7
	MMSConverter              *bool   // MmsConverter: send an MMS as SMS with a link where MMS cannot go
	ValidityPeriod            *int    // ValidityPeriod: seconds a message may wait in the queue, 1–36,000
	UseInboundWebhookOnNumber *bool   // UseInboundWebhookOnNumber: the number's own webhook over the service's
	FriendlyName              *string // FriendlyName: up to 64 characters
	Usecase                   *string // Usecase: one of ServiceUsecases
}

// ServiceUsecases are the values the spec allows for Usecase.
func ServiceUsecases() []string {
	return []string{"notifications", "marketing", "verification", "discussion", "poll", "undeclared"}
}

// Bounds from the spec's descriptions of the update's parameters.
const (
	MaxValidityPeriod = 36_000
	maxFriendlyName   = 64
)

// ErrNothingToUpdate is returned by UpdateService for an empty update;
// nothing is sent.
var ErrNothingToUpdate error = &setupError{"no setting to change"}

// ErrInvalidSetting is matched (errors.Is) by every *SettingError.
var ErrInvalidSetting error = &setupError{"invalid setting"}

// SettingError says which value of a ServiceUpdate is out of bounds.
type SettingError struct {
	Field  string // the form parameter, e.g. ValidityPeriod
	Reason string
}

func (e *SettingError) Error() string { return "invalid " + e.Field + ": " + e.Reason }

// Is lets errors.Is(err, ErrInvalidSetting) match.
func (e *SettingError) Is(target error) bool { return target == ErrInvalidSetting }

// SetupError marks the value as the caller's mistake: nothing was sent.
func (e *SettingError) SetupError() bool { return true }

// Validate checks the values that are set against the spec's bounds.
func (u ServiceUpdate) Validate() error {
	if v := u.ValidityPeriod; v != nil && (*v < 1 || *v > MaxValidityPeriod) {
		return &SettingError{Field: "ValidityPeriod", Reason: fmt.Sprintf("%d seconds; want 1 to %d", *v, MaxValidityPeriod)}
	}
	if v := u.FriendlyName; v != nil && (*v == "" || utf8.RuneCountInString(*v) > maxFriendlyName || !utf8.ValidString(*v)) {
		return &SettingError{Field: "FriendlyName", Reason: fmt.Sprintf("want 1 to %d characters", maxFriendlyName)}
	}
	if v := u.Usecase; v != nil && !slices.Contains(ServiceUsecases(), *v) {
		return &SettingError{Field: "Usecase", Reason: fmt.Sprintf("%q; want one of %v", printable(*v, 40), ServiceUsecases())}
	}
	return nil
}

// form is the update's body: the set fields only, booleans as true/false.
func (u ServiceUpdate) form() url.Values {
	f := url.Values{}
	boolean := func(name string, v *bool) {
		if v != nil {
			f.Set(name, strconv.FormatBool(*v))
		}
	}
	boolean("StickySender", u.StickySender)
	boolean("AreaCodeGeomatch", u.AreaCodeGeomatch)
	boolean("FallbackToLongCode", u.FallbackToLongCode)
	boolean("SmartEncoding", u.SmartEncoding)
	boolean("MmsConverter", u.MMSConverter)
	boolean("UseInboundWebhookOnNumber", u.UseInboundWebhookOnNumber)
	if u.ValidityPeriod != nil {
		f.Set("ValidityPeriod", strconv.Itoa(*u.ValidityPeriod))
	}
	if u.FriendlyName != nil {
		f.Set("FriendlyName", *u.FriendlyName)
	}
	if u.Usecase != nil {
		f.Set("Usecase", *u.Usecase)
	}
	return f
}

// UpdateService changes the settings u sets and returns the service as
// Twilio answers it. It is retried like a GET where a POST would not be:
// setting values twice does nothing more.
func (c *Client) UpdateService(ctx context.Context, serviceSID string, u ServiceUpdate) (*Service, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	form := u.form()
	if len(form) == 0 {
		return nil, ErrNothingToUpdate
	}
	r := request{method: http.MethodPost, path: "/v1/Services/" + serviceSID, form: form, sameTwice: true}
	return one[Service](ctx, c, r, "service")
}

func a2pPath(serviceSID string) string { return "/v1/Services/" + serviceSID + "/Compliance/Usa2p" }

// ListA2PCampaigns returns a service's US A2P campaigns (GET
// /v1/Services/{MG}/Compliance/Usa2p): none, or one, as Twilio registers
// at most one campaign per service.
func (c *Client) ListA2PCampaigns(ctx context.Context, serviceSID string) ([]A2PCampaign, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	return collect(func(fn func([]A2PCampaign) error) error {
		return walk(ctx, c, listing{path: a2pPath(serviceSID), key: "compliance"}, fn)
	})
}

// FetchA2PCampaign returns one campaign of a service (QE…).
func (c *Client) FetchA2PCampaign(ctx context.Context, serviceSID, campaignSID string) (*A2PCampaign, error) {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return nil, err
	}
	if err := ValidateA2PCampaignSID(campaignSID); err != nil {
		return nil, err
	}
	return one[A2PCampaign](ctx, c, request{method: http.MethodGet, path: a2pPath(serviceSID) + "/" + campaignSID}, "US A2P campaign")
}

// ServiceA2PCampaign returns the service's campaign, or nil when it has
// none.
func (c *Client) ServiceA2PCampaign(ctx context.Context, serviceSID string) (*A2PCampaign, error) {
	list, err := c.ListA2PCampaigns(ctx, serviceSID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}
