package twiliotest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// The pool's JSON, property by property as the spec's schemas have them
// (messaging.v1.service.phone_number, .short_code, .alpha_sender,
// .destination_alpha_sender, .us_app_to_person), nulls as pointers. The
// 2010 API's are in render2010.go.

// poolHeadJSON is what every member of a pool begins with.
type poolHeadJSON struct {
	SID         *string `json:"sid"`
	AccountSID  *string `json:"account_sid"`
	ServiceSID  *string `json:"service_sid"`
	DateCreated *string `json:"date_created"`
	DateUpdated *string `json:"date_updated"`
}

func poolHead(account, service, sid string, attached time.Time) poolHeadJSON {
	return poolHeadJSON{
		SID: ns(sid), AccountSID: ns(account), ServiceSID: ns(service),
		DateCreated: timeJSON(attached), DateUpdated: timeJSON(attached),
	}
}

type phoneNumberJSON struct {
	poolHeadJSON
	PhoneNumber  *string  `json:"phone_number"`
	CountryCode  *string  `json:"country_code"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
}

type shortCodeJSON struct {
	poolHeadJSON
	ShortCode    *string  `json:"short_code"`
	CountryCode  *string  `json:"country_code"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
}

type alphaSenderJSON struct {
	poolHeadJSON
	AlphaSender  *string  `json:"alpha_sender"`
	Capabilities []string `json:"capabilities"`
	URL          *string  `json:"url"`
}

type destinationAlphaSenderJSON struct {
	alphaSenderJSON
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

func poolPath(mg, resource string) string { return servicePath(mg) + "/" + resource }

func renderPhoneNumber(base, account string, n numberState) phoneNumberJSON {
	return phoneNumberJSON{
		poolHeadJSON: poolHead(account, n.service, n.seed.SID, n.attachedAt),
		PhoneNumber:  ns(n.seed.PhoneNumber), CountryCode: ns(n.seed.CountryCode),
		Capabilities: orderedCapabilities(n.seed.Capabilities, defaultNumberCaps),
		URL:          ns(base + poolPath(n.service, "PhoneNumbers") + "/" + n.seed.SID),
	}
}

func renderShortCode(base, account string, c shortCodeState) shortCodeJSON {
	return shortCodeJSON{
		poolHeadJSON: poolHead(account, c.service, c.seed.SID, c.attachedAt),
		ShortCode:    ns(c.seed.ShortCode), CountryCode: ns(c.seed.CountryCode),
		Capabilities: orderedCapabilities(c.seed.Capabilities, defaultShortCodeCaps),
		URL:          ns(base + poolPath(c.service, "ShortCodes") + "/" + c.seed.SID),
	}
}

// renderAlpha is an alpha sender as the list named segment shows it.
func renderAlpha(base, account, segment string, a alphaState) alphaSenderJSON {
	return alphaSenderJSON{
		poolHeadJSON: poolHead(account, a.service, a.seed.SID, a.seed.Created),
		AlphaSender:  ns(a.seed.AlphaSender), Capabilities: alphaCaps,
		URL: ns(base + poolPath(a.service, segment) + "/" + a.seed.SID),
	}
}

func renderAlphaSender(base, account string, a alphaState) alphaSenderJSON {
	return renderAlpha(base, account, "AlphaSenders", a)
}

func renderDestinationAlphaSender(base, account string, a alphaState) destinationAlphaSenderJSON {
	return destinationAlphaSenderJSON{
		alphaSenderJSON: renderAlpha(base, account, "DestinationAlphaSenders", a),
		IsoCountryCode:  a.seed.Country,
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
