package twiliotest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// The pool's JSON, property by property as the spec's schemas have them
// (messaging.v1.service.phone_number, .short_code, .alpha_sender,
// .destination_alpha_sender, .us_app_to_person; api.v2010.account.
// incoming_phone_number, .short_code), nulls as pointers.

type phoneNumberJSON struct {
	SID          *string  `json:"sid"`
	AccountSID   *string  `json:"account_sid"`
	ServiceSID   *string  `json:"service_sid"`
	DateCreated  *string  `json:"date_created"`
	DateUpdated  *string  `json:"date_updated"`
	PhoneNumber  *string  `json:"phone_number"`
	CountryCode  *string  `json:"country_code"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
}

type shortCodeJSON struct {
	SID          *string  `json:"sid"`
	AccountSID   *string  `json:"account_sid"`
	ServiceSID   *string  `json:"service_sid"`
	DateCreated  *string  `json:"date_created"`
	DateUpdated  *string  `json:"date_updated"`
	ShortCode    *string  `json:"short_code"`
	CountryCode  *string  `json:"country_code"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
}

type alphaSenderJSON struct {
	SID          *string  `json:"sid"`
	AccountSID   *string  `json:"account_sid"`
	ServiceSID   *string  `json:"service_sid"`
	DateCreated  *string  `json:"date_created"`
	DateUpdated  *string  `json:"date_updated"`
	AlphaSender  *string  `json:"alpha_sender"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
}

type destinationAlphaSenderJSON struct {
	SID          *string  `json:"sid"`
	AccountSID   *string  `json:"account_sid"`
	ServiceSID   *string  `json:"service_sid"`
	DateCreated  *string  `json:"date_created"`
	DateUpdated  *string  `json:"date_updated"`
	AlphaSender  *string  `json:"alpha_sender"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
	// An empty string, not null, for a default one: the spec says so.
	IsoCountryCode string `json:"iso_country_code"`
}

// usAppToPersonJSON is messaging.v1.service.us_app_to_person, the shape
// Twilio answers without an X-Twilio-Api-Version header.
type usAppToPersonJSON struct {
	SID                    *string         `json:"sid"`
	AccountSID             *string         `json:"account_sid"`
	BrandRegistrationSID   *string         `json:"brand_registration_sid"`
	MessagingServiceSID    *string         `json:"messaging_service_sid"`
	Description            *string         `json:"description"`
	MessageSamples         []string        `json:"message_samples"`
	Usecase                *string         `json:"us_app_to_person_usecase"`
	HasEmbeddedLinks       *bool           `json:"has_embedded_links"`
	HasEmbeddedPhone       *bool           `json:"has_embedded_phone"`
	SubscriberOptIn        *bool           `json:"subscriber_opt_in"`
	AgeGated               *bool           `json:"age_gated"`
	DirectLending          *bool           `json:"direct_lending"`
	CampaignStatus         *string         `json:"campaign_status"`
	CampaignID             *string         `json:"campaign_id"`
	IsExternallyRegistered *bool           `json:"is_externally_registered"`
	RateLimits             *rateLimitsJSON `json:"rate_limits"`
	MessageFlow            *string         `json:"message_flow"`
	OptInMessage           *string         `json:"opt_in_message"`
	OptOutMessage          *string         `json:"opt_out_message"`
	HelpMessage            *string         `json:"help_message"`
	OptInKeywords          []string        `json:"opt_in_keywords"`
	OptOutKeywords         []string        `json:"opt_out_keywords"`
	HelpKeywords           []string        `json:"help_keywords"`
	DateCreated            *string         `json:"date_created"`
	DateUpdated            *string         `json:"date_updated"`
	URL                    *string         `json:"url"`
	Mock                   *bool           `json:"mock"`
	Errors                 []any           `json:"errors"`
}

// rateLimitsJSON is the spec's example of rate_limits (the schema leaves
// it free-form).
type rateLimitsJSON struct {
	ATT struct {
		MPS      int    `json:"mps"`
		MsgClass string `json:"msg_class"`
	} `json:"att"`
	TMobile struct {
		BrandTier string `json:"brand_tier"`
	} `json:"tmobile"`
}

type capabilitiesJSON struct {
	Voice bool `json:"voice"`
	SMS   bool `json:"sms"`
	MMS   bool `json:"mms"`
	Fax   bool `json:"fax"`
}

// incomingPhoneNumberJSON is api.v2010.account.incoming_phone_number.
type incomingPhoneNumberJSON struct {
	AccountSID             *string           `json:"account_sid"`
	AddressSID             *string           `json:"address_sid"`
	AddressRequirements    string            `json:"address_requirements"`
	APIVersion             *string           `json:"api_version"`
	Beta                   *bool             `json:"beta"`
	Capabilities           *capabilitiesJSON `json:"capabilities"`
	DateCreated            *string           `json:"date_created"`
	DateUpdated            *string           `json:"date_updated"`
	FriendlyName           *string           `json:"friendly_name"`
	IdentitySID            *string           `json:"identity_sid"`
	PhoneNumber            *string           `json:"phone_number"`
	Origin                 *string           `json:"origin"`
	SID                    *string           `json:"sid"`
	SMSApplicationSID      *string           `json:"sms_application_sid"`
	SMSFallbackMethod      *string           `json:"sms_fallback_method"`
	SMSFallbackURL         *string           `json:"sms_fallback_url"`
	SMSMethod              *string           `json:"sms_method"`
	SMSURL                 *string           `json:"sms_url"`
	StatusCallback         *string           `json:"status_callback"`
	StatusCallbackMethod   *string           `json:"status_callback_method"`
	TrunkSID               *string           `json:"trunk_sid"`
	URI                    *string           `json:"uri"`
	VoiceReceiveMode       string            `json:"voice_receive_mode"`
	VoiceApplicationSID    *string           `json:"voice_application_sid"`
	VoiceCallerIDLookup    *bool             `json:"voice_caller_id_lookup"`
	VoiceFallbackMethod    *string           `json:"voice_fallback_method"`
	VoiceFallbackURL       *string           `json:"voice_fallback_url"`
	VoiceMethod            *string           `json:"voice_method"`
	VoiceURL               *string           `json:"voice_url"`
	EmergencyStatus        string            `json:"emergency_status"`
	EmergencyAddressSID    *string           `json:"emergency_address_sid"`
	EmergencyAddressStatus string            `json:"emergency_address_status"`
	BundleSID              *string           `json:"bundle_sid"`
	Status                 *string           `json:"status"`
	Type                   *string           `json:"type"`
}

// accountShortCodeJSON is api.v2010.account.short_code.
type accountShortCodeJSON struct {
	AccountSID        *string `json:"account_sid"`
	APIVersion        *string `json:"api_version"`
	DateCreated       *string `json:"date_created"`
	DateUpdated       *string `json:"date_updated"`
	FriendlyName      *string `json:"friendly_name"`
	ShortCode         *string `json:"short_code"`
	SID               *string `json:"sid"`
	SMSFallbackMethod *string `json:"sms_fallback_method"`
	SMSFallbackURL    *string `json:"sms_fallback_url"`
	SMSMethod         *string `json:"sms_method"`
	SMSURL            *string `json:"sms_url"`
	URI               *string `json:"uri"`
}

func poolPath(mg, resource string) string { return servicePath(mg) + "/" + resource }

func renderPhoneNumber(base, account string, n numberState) phoneNumberJSON {
	return phoneNumberJSON{
		SID: ns(n.seed.SID), AccountSID: ns(account), ServiceSID: ns(n.service),
		DateCreated: timeJSON(n.attachedAt), DateUpdated: timeJSON(n.attachedAt),
		PhoneNumber: ns(n.seed.PhoneNumber), CountryCode: ns(n.seed.CountryCode),
		Capabilities: orderedCapabilities(n.seed.Capabilities, defaultNumberCaps),
		URL:          ns(base + poolPath(n.service, "PhoneNumbers") + "/" + n.seed.SID),
	}
}

func renderShortCode(base, account string, c shortCodeState) shortCodeJSON {
	return shortCodeJSON{
		SID: ns(c.seed.SID), AccountSID: ns(account), ServiceSID: ns(c.service),
		DateCreated: timeJSON(c.attachedAt), DateUpdated: timeJSON(c.attachedAt),
		ShortCode: ns(c.seed.ShortCode), CountryCode: ns(c.seed.CountryCode),
		Capabilities: orderedCapabilities(c.seed.Capabilities, defaultShortCodeCaps),
		URL:          ns(base + poolPath(c.service, "ShortCodes") + "/" + c.seed.SID),
	}
}

func renderAlphaSender(base, account string, a alphaState) alphaSenderJSON {
	return alphaSenderJSON{
		SID: ns(a.seed.SID), AccountSID: ns(account), ServiceSID: ns(a.service),
		DateCreated: timeJSON(a.seed.Created), DateUpdated: timeJSON(a.seed.Created),
		AlphaSender: ns(a.seed.AlphaSender), Capabilities: alphaCaps,
		URL: ns(base + poolPath(a.service, "AlphaSenders") + "/" + a.seed.SID),
	}
}

func renderDestinationAlphaSender(base, account string, a alphaState) destinationAlphaSenderJSON {
	return destinationAlphaSenderJSON{
		SID: ns(a.seed.SID), AccountSID: ns(account), ServiceSID: ns(a.service),
		DateCreated: timeJSON(a.seed.Created), DateUpdated: timeJSON(a.seed.Created),
		AlphaSender: ns(a.seed.AlphaSender), Capabilities: alphaCaps,
		URL:            ns(base + poolPath(a.service, "DestinationAlphaSenders") + "/" + a.seed.SID),
		IsoCountryCode: a.seed.Country,
	}
}

// renderCampaign fills what a seed does not say the way the spec's
// example does, derived from the SID so that every run shows the same.
func renderCampaign(base, account, mg string, c CampaignSeed) usAppToPersonJSON {
	h := sha256.Sum256([]byte(c.SID))
	status := c.Status
	if status == "" {
		status = "VERIFIED"
	}
	usecase := c.Usecase
	if usecase == "" {
		usecase = "MIXED"
	}
	brand := c.BrandRegistrationSID
	if brand == "" {
		brand = "BN" + hex.EncodeToString(h[:16])
	}
	campaignID := c.CampaignID
	if campaignID == "" {
		campaignID = "C" + strings.ToUpper(hex.EncodeToString(h[16:19]))
	}
	description := c.Description
	if description == "" {
		description = "Order updates and account notifications for customers who opted in."
	}
	out := usAppToPersonJSON{
		SID: ns(c.SID), AccountSID: ns(account), BrandRegistrationSID: ns(brand), MessagingServiceSID: ns(mg),
		Description:    ns(description),
		MessageSamples: []string{"Acme: your order 1234 has shipped. Reply STOP to opt out.", "Acme: your code is 123456."},
		Usecase:        ns(usecase), HasEmbeddedLinks: nb(true), HasEmbeddedPhone: nb(false),
		SubscriberOptIn: nb(true), AgeGated: nb(false), DirectLending: nb(false),
		CampaignStatus: ns(status), CampaignID: ns(campaignID), IsExternallyRegistered: nb(false),
		MessageFlow:   ns("Customers opt in when they check a box at checkout on www.example.com."),
		OptInMessage:  ns("Acme: you are now opted in. Reply HELP for help, STOP to opt out."),
		OptOutMessage: ns("Acme: you are unsubscribed and will receive no more messages."),
		HelpMessage:   ns("Acme: for help visit www.example.com/help. Reply STOP to opt out."),
		OptInKeywords: []string{"START"}, OptOutKeywords: []string{"STOP"}, HelpKeywords: []string{"HELP"},
		DateCreated: timeJSON(c.Created), DateUpdated: timeJSON(c.Created),
		URL:    ns(base + poolPath(mg, "Compliance/Usa2p") + "/" + c.SID),
		Mock:   nb(false),
		Errors: []any{},
	}
	if status == "VERIFIED" {
		out.RateLimits = &rateLimitsJSON{}
		out.RateLimits.ATT.MPS, out.RateLimits.ATT.MsgClass = 75, "T"
		out.RateLimits.TMobile.BrandTier = "LOW"
	}
	return out
}

// time2822 formats like the 2010 API ("Thu, 30 Jul 2015 23:19:04 +0000");
// zero is null.
func time2822(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC1123Z)
	return &s
}

func accountPath(account, resource string) string {
	return "/2010-04-01/Accounts/" + account + "/" + resource
}

func renderIncomingPhoneNumber(account string, n NumberSeed) incomingPhoneNumberJSON {
	caps := orderedCapabilities(n.Capabilities, defaultNumberCaps)
	has := func(c string) bool {
		for _, x := range caps {
			if strings.EqualFold(x, c) {
				return true
			}
		}
		return false
	}
	typ := n.Type
	if typ == "" {
		typ = "local"
	}
	name := n.FriendlyName
	if name == "" {
		name = friendlyNumber(n.PhoneNumber)
	}
	post := ns("POST")
	return incomingPhoneNumberJSON{
		AccountSID: ns(account), AddressRequirements: "none", APIVersion: ns("2010-04-01"), Beta: nb(false),
		Capabilities: &capabilitiesJSON{Voice: has("Voice"), SMS: has("SMS"), MMS: has("MMS"), Fax: has("Fax")},
		DateCreated:  time2822(n.Created), DateUpdated: time2822(n.Created),
		FriendlyName: ns(name), PhoneNumber: ns(n.PhoneNumber), Origin: ns("twilio"), SID: ns(n.SID),
		SMSFallbackMethod: post, SMSMethod: post, StatusCallbackMethod: post,
		URI:              ns(accountPath(account, "IncomingPhoneNumbers/"+n.SID+".json")),
		VoiceReceiveMode: "voice", VoiceCallerIDLookup: nb(false), VoiceFallbackMethod: post, VoiceMethod: post,
		EmergencyStatus: "Inactive", EmergencyAddressStatus: "unregistered",
		Status: ns("in-use"), Type: ns(typ),
	}
}

func renderAccountShortCode(account string, c ShortCodeSeed) accountShortCodeJSON {
	name := c.FriendlyName
	if name == "" {
		name = c.ShortCode
	}
	return accountShortCodeJSON{
		AccountSID: ns(account), APIVersion: ns("2010-04-01"),
		DateCreated: time2822(c.Created), DateUpdated: time2822(c.Created),
		FriendlyName: ns(name), ShortCode: ns(c.ShortCode), SID: ns(c.SID),
		SMSFallbackMethod: ns("POST"), SMSMethod: ns("POST"),
		URI: ns(accountPath(account, "SMS/ShortCodes/"+c.SID+".json")),
	}
}

// friendlyNumber writes a +1 number as Twilio's friendly_name does,
// "(415) 555-0100"; any other number as it is.
func friendlyNumber(e164 string) string {
	d, ok := strings.CutPrefix(e164, "+1")
	if !ok || len(d) != 10 {
		return e164
	}
	return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
}
