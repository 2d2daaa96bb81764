package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The members of a Messaging Service's pool beside its channel senders,
// as the Messaging API sends them, and the account's own numbers and short
// codes as the 2010 API sends them. Every field may be null on the wire; a
// null string decodes to "", a null date or boolean to nil. A value
// fetched or created alone keeps the bytes it came in (WireJSON).

// PhoneNumber is a phone number in a service's pool
// (GET /v1/Services/{MG}/PhoneNumbers).
type PhoneNumber struct {
	SID          string     `json:"sid"` // PN…
	AccountSID   string     `json:"account_sid"`
	ServiceSID   string     `json:"service_sid"`
	DateCreated  *time.Time `json:"date_created"`
	DateUpdated  *time.Time `json:"date_updated"`
	PhoneNumber  string     `json:"phone_number"` // E.164, e.g. +14155550100
	CountryCode  string     `json:"country_code"` // ISO 3166-1 alpha-2, e.g. US
	Capabilities []string   `json:"capabilities"` // e.g. ["MMS", "SMS", "Voice"]
	URL          string     `json:"url"`

	wire json.RawMessage
}

// ShortCode is a short code in a service's pool
// (GET /v1/Services/{MG}/ShortCodes).
type ShortCode struct {
	SID          string     `json:"sid"` // SC…
	AccountSID   string     `json:"account_sid"`
	ServiceSID   string     `json:"service_sid"`
	DateCreated  *time.Time `json:"date_created"`
	DateUpdated  *time.Time `json:"date_updated"`
	ShortCode    string     `json:"short_code"` // digits, e.g. 12345
	CountryCode  string     `json:"country_code"`
	Capabilities []string   `json:"capabilities"`
	URL          string     `json:"url"`

	wire json.RawMessage
}

// AlphaSender is an alphanumeric sender ID of a service, used for every
// destination country that allows one (GET /v1/Services/{MG}/AlphaSenders).
type AlphaSender struct {
	SID          string     `json:"sid"` // AI…
	AccountSID   string     `json:"account_sid"`
	ServiceSID   string     `json:"service_sid"`
	DateCreated  *time.Time `json:"date_created"`
	DateUpdated  *time.Time `json:"date_updated"`
	AlphaSender  string     `json:"alpha_sender"` // e.g. Acme
	Capabilities []string   `json:"capabilities"`
	URL          string     `json:"url"`

	wire json.RawMessage
}

// DestinationAlphaSender is an alphanumeric sender ID a service uses for
// one destination country (GET /v1/Services/{MG}/DestinationAlphaSenders).
type DestinationAlphaSender struct {
	SID            string     `json:"sid"` // AI…
	AccountSID     string     `json:"account_sid"`
	ServiceSID     string     `json:"service_sid"`
	DateCreated    *time.Time `json:"date_created"`
	DateUpdated    *time.Time `json:"date_updated"`
	AlphaSender    string     `json:"alpha_sender"`
	Capabilities   []string   `json:"capabilities"`
	URL            string     `json:"url"`
	IsoCountryCode string     `json:"iso_country_code"` // the destination, e.g. DE

	wire json.RawMessage
}

// A2PCampaign is a service's US A2P 10DLC campaign
// (GET /v1/Services/{MG}/Compliance/Usa2p, list key "compliance"; the
// spec's messaging.v1.service.us_app_to_person and its _v2, which adds the
// two policy URLs).
type A2PCampaign struct {
	SID                    string             `json:"sid"` // QE…
	AccountSID             string             `json:"account_sid"`
	BrandRegistrationSID   string             `json:"brand_registration_sid"` // BN…
	MessagingServiceSID    string             `json:"messaging_service_sid"`
	Description            string             `json:"description"`
	MessageSamples         []string           `json:"message_samples"`
	Usecase                string             `json:"us_app_to_person_usecase"` // e.g. MARKETING
	HasEmbeddedLinks       *bool              `json:"has_embedded_links"`
	HasEmbeddedPhone       *bool              `json:"has_embedded_phone"`
	SubscriberOptIn        *bool              `json:"subscriber_opt_in"`
	AgeGated               *bool              `json:"age_gated"`
	DirectLending          *bool              `json:"direct_lending"`
	CampaignStatus         string             `json:"campaign_status"` // e.g. PENDING, IN_PROGRESS, VERIFIED, FAILED
	CampaignID             string             `json:"campaign_id"`
	IsExternallyRegistered *bool              `json:"is_externally_registered"`
	RateLimits             json.RawMessage    `json:"rate_limits,omitempty"` // carrier → limits; free-form in the spec
	MessageFlow            string             `json:"message_flow"`
	OptInMessage           string             `json:"opt_in_message"`
	OptOutMessage          string             `json:"opt_out_message"`
	HelpMessage            string             `json:"help_message"`
	OptInKeywords          []string           `json:"opt_in_keywords"`
	OptOutKeywords         []string           `json:"opt_out_keywords"`
	HelpKeywords           []string           `json:"help_keywords"`
	DateCreated            *time.Time         `json:"date_created"`
	DateUpdated            *time.Time         `json:"date_updated"`
	URL                    string             `json:"url"`
	Mock                   *bool              `json:"mock"`
	Errors                 []A2PCampaignError `json:"errors"`
	PrivacyPolicyURL       string             `json:"privacy_policy_url"`
	TermsAndConditionsURL  string             `json:"terms_and_conditions_url"`

	wire json.RawMessage
}

// A2PCampaignError is one reason a campaign was refused, as the spec's
// examples show it. The spec leaves the items free-form, so one of
// another shape decodes to a zero value rather than failing the campaign.
type A2PCampaignError struct {
	ErrorCode   int      `json:"error_code"`
	Fields      []string `json:"fields"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
}

// UnmarshalJSON accepts anything: an item that is not the documented
// object leaves e zero.
func (e *A2PCampaignError) UnmarshalJSON(b []byte) error {
	type fields A2PCampaignError
	var f fields
	if json.Unmarshal(b, &f) == nil {
		*e = A2PCampaignError(f)
	}
	return nil
}

// IncomingPhoneNumber is a phone number of the account
// (GET /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json), in a service
// or not. The 2010 API writes dates in RFC 2822 and capabilities as an
// object; both decode to the same Go types as elsewhere.
type IncomingPhoneNumber struct {
	AccountSID             string              `json:"account_sid"`
	AddressSID             string              `json:"address_sid"`
	AddressRequirements    string              `json:"address_requirements"` // none, any, local, foreign
	APIVersion             string              `json:"api_version"`
	Beta                   *bool               `json:"beta"`
	Capabilities           *NumberCapabilities `json:"capabilities"`
	DateCreated            *time.Time          `json:"date_created"`
	DateUpdated            *time.Time          `json:"date_updated"`
	FriendlyName           string              `json:"friendly_name"`
	IdentitySID            string              `json:"identity_sid"`
	PhoneNumber            string              `json:"phone_number"` // E.164
	Origin                 string              `json:"origin"`       // twilio or hosted
	SID                    string              `json:"sid"`          // PN…
	SMSApplicationSID      string              `json:"sms_application_sid"`
	SMSFallbackMethod      string              `json:"sms_fallback_method"`
	SMSFallbackURL         string              `json:"sms_fallback_url"`
	SMSMethod              string              `json:"sms_method"`
	SMSURL                 string              `json:"sms_url"`
	StatusCallback         string              `json:"status_callback"`
	StatusCallbackMethod   string              `json:"status_callback_method"`
	TrunkSID               string              `json:"trunk_sid"`
	URI                    string              `json:"uri"` // relative to the 2010 API's host
	VoiceReceiveMode       string              `json:"voice_receive_mode"`
	VoiceApplicationSID    string              `json:"voice_application_sid"`
	VoiceCallerIDLookup    *bool               `json:"voice_caller_id_lookup"`
	VoiceFallbackMethod    string              `json:"voice_fallback_method"`
	VoiceFallbackURL       string              `json:"voice_fallback_url"`
	VoiceMethod            string              `json:"voice_method"`
	VoiceURL               string              `json:"voice_url"`
	EmergencyStatus        string              `json:"emergency_status"`
	EmergencyAddressSID    string              `json:"emergency_address_sid"`
	EmergencyAddressStatus string              `json:"emergency_address_status"`
	BundleSID              string              `json:"bundle_sid"`
	Status                 string              `json:"status"`
	Type                   string              `json:"type"` // e.g. local, mobile, tollfree

	wire json.RawMessage
}

// NumberCapabilities is what a 2010 phone number can do.
type NumberCapabilities struct {
	Voice bool `json:"voice"`
	SMS   bool `json:"sms"`
	MMS   bool `json:"mms"`
	Fax   bool `json:"fax"`
}

// List returns the capabilities as the Messaging API spells them
// (["MMS", "SMS", "Voice"]), in that order, Fax last.
func (c *NumberCapabilities) List() []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, v := range []struct {
		on   bool
		name string
	}{{c.MMS, CapabilityMMS}, {c.SMS, CapabilitySMS}, {c.Voice, CapabilityVoice}, {c.Fax, CapabilityFax}} {
		if v.on {
			out = append(out, v.name)
		}
	}
	return out
}

// AccountShortCode is a short code of the account
// (GET /2010-04-01/Accounts/{AC}/SMS/ShortCodes.json), in a service or not.
type AccountShortCode struct {
	AccountSID        string     `json:"account_sid"`
	APIVersion        string     `json:"api_version"`
	DateCreated       *time.Time `json:"date_created"`
	DateUpdated       *time.Time `json:"date_updated"`
	FriendlyName      string     `json:"friendly_name"`
	ShortCode         string     `json:"short_code"`
	SID               string     `json:"sid"` // SC…
	SMSFallbackMethod string     `json:"sms_fallback_method"`
	SMSFallbackURL    string     `json:"sms_fallback_url"`
	SMSMethod         string     `json:"sms_method"`
	SMSURL            string     `json:"sms_url"`
	URI               string     `json:"uri"`

	wire json.RawMessage
}

// Capability names as the Messaging API lists them.
const (
	CapabilitySMS   = "SMS"
	CapabilityMMS   = "MMS"
	CapabilityVoice = "Voice"
	CapabilityFax   = "Fax"
)

// rfc2822 is a date as the 2010 API writes it: "Thu, 30 Jul 2015
// 23:19:04 +0000". RFC 3339 is accepted too, should a proxy rewrite it.
type rfc2822 time.Time

func (t *rfc2822) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string: %w", err)
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, time.RFC3339} {
		if v, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			*t = rfc2822(v)
			return nil
		}
	}
	return fmt.Errorf("date %q is neither RFC 2822 nor RFC 3339", printable(s, 40))
}

func (t rfc2822) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).Format(time.RFC1123Z))
}

// The 2010 types decode and encode through a struct that shadows their
// two dates (a field at the top wins over an embedded one of the same
// name).

// UnmarshalJSON reads the 2010 API's RFC 2822 dates.
func (n *IncomingPhoneNumber) UnmarshalJSON(b []byte) error {
	type fields IncomingPhoneNumber
	var w struct {
		fields
		DateCreated *rfc2822 `json:"date_created"`
		DateUpdated *rfc2822 `json:"date_updated"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*n = IncomingPhoneNumber(w.fields)
	n.DateCreated, n.DateUpdated = (*time.Time)(w.DateCreated), (*time.Time)(w.DateUpdated)
	return nil
}

// MarshalJSON writes the dates as the 2010 API does.
func (n IncomingPhoneNumber) MarshalJSON() ([]byte, error) {
	type fields IncomingPhoneNumber
	return json.Marshal(struct {
		fields
		DateCreated *rfc2822 `json:"date_created"`
		DateUpdated *rfc2822 `json:"date_updated"`
	}{fields(n), (*rfc2822)(n.DateCreated), (*rfc2822)(n.DateUpdated)})
}

// UnmarshalJSON reads the 2010 API's RFC 2822 dates.
func (s *AccountShortCode) UnmarshalJSON(b []byte) error {
	type fields AccountShortCode
	var w struct {
		fields
		DateCreated *rfc2822 `json:"date_created"`
		DateUpdated *rfc2822 `json:"date_updated"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = AccountShortCode(w.fields)
	s.DateCreated, s.DateUpdated = (*time.Time)(w.DateCreated), (*time.Time)(w.DateUpdated)
	return nil
}

// MarshalJSON writes the dates as the 2010 API does.
func (s AccountShortCode) MarshalJSON() ([]byte, error) {
	type fields AccountShortCode
	return json.Marshal(struct {
		fields
		DateCreated *rfc2822 `json:"date_created"`
		DateUpdated *rfc2822 `json:"date_updated"`
	}{fields(s), (*rfc2822)(s.DateCreated), (*rfc2822)(s.DateUpdated)})
}

// WireJSON is the phone number as the API sent it, or, for one built in
// code or listed, its fields encoded.
func (p PhoneNumber) WireJSON() ([]byte, error) {
	type fields PhoneNumber
	return wireOr(p.wire, fields(p))
}

// WireJSON is the short code as the API sent it, or its fields encoded.
func (s ShortCode) WireJSON() ([]byte, error) {
	type fields ShortCode
	return wireOr(s.wire, fields(s))
}

// WireJSON is the alpha sender as the API sent it, or its fields encoded.
func (a AlphaSender) WireJSON() ([]byte, error) {
	type fields AlphaSender
	return wireOr(a.wire, fields(a))
}

// WireJSON is the alpha sender as the API sent it, or its fields encoded.
func (a DestinationAlphaSender) WireJSON() ([]byte, error) {
	type fields DestinationAlphaSender
	return wireOr(a.wire, fields(a))
}

// WireJSON is the campaign as the API sent it, or its fields encoded.
func (a A2PCampaign) WireJSON() ([]byte, error) {
	type fields A2PCampaign
	return wireOr(a.wire, fields(a))
}

// WireJSON is the number as the API sent it, or its fields encoded.
func (n IncomingPhoneNumber) WireJSON() ([]byte, error) { return wireOr(n.wire, n) }

// WireJSON is the short code as the API sent it, or its fields encoded.
func (s AccountShortCode) WireJSON() ([]byte, error) { return wireOr(s.wire, s) }
