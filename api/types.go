// Package api is a small client for the Twilio endpoints that manage a
// Messaging Service's sender pool: its channel senders, phone numbers,
// short codes and alpha senders, its settings and US A2P campaign (the
// Messaging API), and the account's own numbers and short codes to add to
// it (the 2010 API, on a host of its own). PoolSender shows every kind of
// member in one shape.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
)

// Service is a Messaging Service (GET /v1/Services). Nullable booleans and
// numbers are pointers so that "absent" and "false" stay distinct.
type Service struct {
	SID                       string            `json:"sid"`
	AccountSID                string            `json:"account_sid"`
	FriendlyName              string            `json:"friendly_name"`
	DateCreated               *time.Time        `json:"date_created"`
	DateUpdated               *time.Time        `json:"date_updated"`
	InboundRequestURL         string            `json:"inbound_request_url"`
	InboundMethod             string            `json:"inbound_method"`
	FallbackURL               string            `json:"fallback_url"`
	FallbackMethod            string            `json:"fallback_method"`
	StatusCallback            string            `json:"status_callback"`
	StickySender              *bool             `json:"sticky_sender"`
	MMSConverter              *bool             `json:"mms_converter"`
	SmartEncoding             *bool             `json:"smart_encoding"`
	ScanMessageContent        string            `json:"scan_message_content"`
	FallbackToLongCode        *bool             `json:"fallback_to_long_code"`
	AreaCodeGeomatch          *bool             `json:"area_code_geomatch"`
	SynchronousValidation     *bool             `json:"synchronous_validation"`
	ValidityPeriod            *int              `json:"validity_period"`
	URL                       string            `json:"url"`
	Links                     map[string]string `json:"links"`
	Usecase                   string            `json:"usecase"`
	USAppToPersonRegistered   *bool             `json:"us_app_to_person_registered"`
	UseInboundWebhookOnNumber *bool             `json:"use_inbound_webhook_on_number"`

	wire json.RawMessage // the object as the API sent it, see WireJSON
}

// ChannelSender is a sender attached to a Messaging Service
// (GET /v1/Services/{MG}/ChannelSenders). Every field may be null on the
// wire; a null string decodes to "" and a null date to nil.
type ChannelSender struct {
	AccountSID          string     `json:"account_sid"`
	MessagingServiceSID string     `json:"messaging_service_sid"`
	SID                 string     `json:"sid"`
	Sender              string     `json:"sender"`
	SenderType          string     `json:"sender_type"`
	CountryCode         string     `json:"country_code"`
	DateCreated         *time.Time `json:"date_created"`
	DateUpdated         *time.Time `json:"date_updated"`
	URL                 string     `json:"url"`

	wire json.RawMessage // the object as the API sent it, see WireJSON
}

// AccountSender is a sender that exists on the account
// (GET /v2/Channels/Senders?Channel=…), attached to a service or not.
type AccountSender struct {
	SID            string            `json:"sid"`
	Status         string            `json:"status"`
	SenderID       string            `json:"sender_id"`
	Configuration  json.RawMessage   `json:"configuration,omitempty"`
	Webhook        json.RawMessage   `json:"webhook,omitempty"`
	Profile        *SenderProfile    `json:"profile,omitempty"`
	Properties     *SenderProperties `json:"properties,omitempty"`
	OfflineReasons []OfflineReason   `json:"offline_reasons,omitempty"`
	Compliance     json.RawMessage   `json:"compliance,omitempty"`
	URL            string            `json:"url"`
}

// SenderProfile holds the parts of a v2 sender's profile worth showing.
type SenderProfile struct {
	Name        string `json:"name"`
	About       string `json:"about"`
	Description string `json:"description"`
	Vertical    string `json:"vertical"`
}

// SenderProperties are WhatsApp quality properties of a v2 sender.
type SenderProperties struct {
	QualityRating  string `json:"quality_rating"`
	MessagingLimit string `json:"messaging_limit"`
}

// OfflineReason explains why a v2 sender is OFFLINE.
type OfflineReason struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
}

// pageMeta is the "meta" object of every Twilio list page.
type pageMeta struct {
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	FirstPageURL    string  `json:"first_page_url"`
	PreviousPageURL *string `json:"previous_page_url"`
	NextPageURL     *string `json:"next_page_url"`
	URL             string  `json:"url"`
	Key             string  `json:"key"`
}

// Service and ChannelSender decode nulls to zero values for the program's
// own use, but scripts reading `--json` must see what the API said: null
// stays null, fields this client does not know stay there. So a value
// fetched alone (FetchService, FetchChannelSender, CreateChannelSender)
// keeps the bytes it came in, and WireJSON returns them; lists offer the
// same through ListServicesJSON and ListChannelSendersJSON, so that a
// program that does not print them does not pay for them.

// WireJSON is the service as the API sent it, or, for one built in code
// or listed, its fields encoded.
func (s Service) WireJSON() ([]byte, error) {
	type fields Service
	return wireOr(s.wire, fields(s))
}

// WireJSON is the sender as the API sent it, or, for one built in code or
// listed, its fields encoded.
func (s ChannelSender) WireJSON() ([]byte, error) {
	type fields ChannelSender
	return wireOr(s.wire, fields(s))
}

func wireOr(wire json.RawMessage, v any) ([]byte, error) {
	if wire != nil {
		return wire, nil
	}
	return json.Marshal(v)
}

// intoKeeping decodes a JSON object into v and keeps its bytes in wire.
func intoKeeping(v any, wire *json.RawMessage) func([]byte) error {
	return func(b []byte) error {
		if err := json.Unmarshal(b, v); err != nil {
			return err
		}
		*wire = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
		return nil
	}
}

// member is a pointer to a wire type that keeps its bytes.
type member[T any] interface {
	*T
	keepWire() *json.RawMessage
	sid() string
}

func (s *Service) keepWire() *json.RawMessage                { return &s.wire }
func (s *Service) sid() string                               { return s.SID }
func (s *ChannelSender) keepWire() *json.RawMessage          { return &s.wire }
func (s *ChannelSender) sid() string                         { return s.SID }
func (p *PhoneNumber) keepWire() *json.RawMessage            { return &p.wire }
func (p *PhoneNumber) sid() string                           { return p.SID }
func (s *ShortCode) keepWire() *json.RawMessage              { return &s.wire }
func (s *ShortCode) sid() string                             { return s.SID }
func (a *AlphaSender) keepWire() *json.RawMessage            { return &a.wire }
func (a *AlphaSender) sid() string                           { return a.SID }
func (a *DestinationAlphaSender) keepWire() *json.RawMessage { return &a.wire }
func (a *DestinationAlphaSender) sid() string                { return a.SID }
func (a *A2PCampaign) keepWire() *json.RawMessage            { return &a.wire }
func (a *A2PCampaign) sid() string                           { return a.SID }

// one makes a call answered by one object (a service, a sender, a pool
// member), keeps its bytes, and insists
// on its sid.
func one[T any, PT member[T]](ctx context.Context, c *Client, r request, what string) (*T, error) {
	var v T
	p := PT(&v)
	if err := c.do(ctx, r, intoKeeping(p, p.keepWire())); err != nil {
		return nil, err
	}
	if p.sid() == "" {
		return nil, r.errorf("%w: the %s has no sid", ErrBadResponse, what)
	}
	return &v, nil
}
