package twiliotest

import (
	"strings"
	"time"
)

// The 2010 API's JSON of the account's numbers and short codes
// (api.v2010.account.incoming_phone_number, .short_code), nulls as
// pointers.

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
	name := numberFriendlyName(n)
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
	name := shortCodeFriendlyName(c)
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

// numberFriendlyName is a number's friendly_name: its own, or the number
// written as friendlyNumber does.
func numberFriendlyName(n NumberSeed) string {
	if n.FriendlyName != "" {
		return n.FriendlyName
	}
	return friendlyNumber(n.PhoneNumber)
}

// shortCodeFriendlyName is a short code's friendly_name: its own, or the
// code.
func shortCodeFriendlyName(c ShortCodeSeed) string {
	if c.FriendlyName != "" {
		return c.FriendlyName
	}
	return c.ShortCode
}
