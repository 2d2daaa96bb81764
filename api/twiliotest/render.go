package twiliotest

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// The structs below spell out every property of the spec's schemas
// (messaging.v1.service, messaging.v1.service.channel_sender,
// messaging.v2.channels_sender_response; the pool's others are in
// poolrender.go), with nulls as pointers, so the fake emits exactly the
// spec's key sets.

// channelSenderJSON is messaging.v1.service.channel_sender.
type channelSenderJSON struct {
	AccountSID          *string `json:"account_sid"`
	MessagingServiceSID *string `json:"messaging_service_sid"`
	SID                 *string `json:"sid"`
	Sender              *string `json:"sender"`
	SenderType          *string `json:"sender_type"`
	CountryCode         *string `json:"country_code"`
	DateCreated         *string `json:"date_created"`
	DateUpdated         *string `json:"date_updated"`
	URL                 *string `json:"url"`
}

// serviceJSON is messaging.v1.service.
type serviceJSON struct {
	SID                       *string           `json:"sid"`
	AccountSID                *string           `json:"account_sid"`
	FriendlyName              *string           `json:"friendly_name"`
	DateCreated               *string           `json:"date_created"`
	DateUpdated               *string           `json:"date_updated"`
	InboundRequestURL         *string           `json:"inbound_request_url"`
	InboundMethod             *string           `json:"inbound_method"`
	FallbackURL               *string           `json:"fallback_url"`
	FallbackMethod            *string           `json:"fallback_method"`
	StatusCallback            *string           `json:"status_callback"`
	StickySender              *bool             `json:"sticky_sender"`
	MMSConverter              *bool             `json:"mms_converter"`
	SmartEncoding             *bool             `json:"smart_encoding"`
	ScanMessageContent        string            `json:"scan_message_content"`
	FallbackToLongCode        *bool             `json:"fallback_to_long_code"`
	AreaCodeGeomatch          *bool             `json:"area_code_geomatch"`
	SynchronousValidation     *bool             `json:"synchronous_validation"`
	ValidityPeriod            int               `json:"validity_period"`
	URL                       *string           `json:"url"`
	Links                     map[string]string `json:"links"`
	Usecase                   *string           `json:"usecase"`
	USAppToPersonRegistered   *bool             `json:"us_app_to_person_registered"`
	UseInboundWebhookOnNumber *bool             `json:"use_inbound_webhook_on_number"`
}

// channelsSenderJSON is messaging.v2.channels_sender_response.
type channelsSenderJSON struct {
	SID            *string             `json:"sid"`
	Status         string              `json:"status"`
	SenderID       *string             `json:"sender_id"`
	Configuration  *configurationJSON  `json:"configuration"`
	Webhook        *webhookJSON        `json:"webhook"`
	Profile        *profileJSON        `json:"profile"`
	Properties     *propertiesJSON     `json:"properties"`
	OfflineReasons []offlineReasonJSON `json:"offline_reasons"`
	Compliance     *complianceJSON     `json:"compliance"`
	URL            *string             `json:"url"`
}

type configurationJSON struct {
	WABAID              *string `json:"waba_id"`
	VerificationMethod  *string `json:"verification_method"`
	VerificationCode    *string `json:"verification_code"`
	VoiceApplicationSID *string `json:"voice_application_sid"`
	AccountType         *string `json:"account_type"`
}

type webhookJSON struct {
	CallbackURL          *string `json:"callback_url"`
	CallbackMethod       *string `json:"callback_method"`
	FallbackURL          *string `json:"fallback_url"`
	FallbackMethod       *string `json:"fallback_method"`
	StatusCallbackURL    *string `json:"status_callback_url"`
	StatusCallbackMethod *string `json:"status_callback_method"`
}

type profileJSON struct {
	Name              *string        `json:"name"`
	About             *string        `json:"about"`
	Address           *string        `json:"address"`
	Description       *string        `json:"description"`
	LogoURL           *string        `json:"logo_url"`
	BannerURL         *string        `json:"banner_url"`
	PrivacyURL        *string        `json:"privacy_url"`
	TermsOfServiceURL *string        `json:"terms_of_service_url"`
	AccentColor       *string        `json:"accent_color"`
	Vertical          *string        `json:"vertical"`
	Websites          []websiteJSON  `json:"websites"`
	Emails            []emailJSON    `json:"emails"`
	PhoneNumbers      []phoneNumJSON `json:"phone_numbers"`
}

type websiteJSON struct {
	Website string `json:"website"`
	Label   string `json:"label"`
}

type emailJSON struct {
	Email string `json:"email"`
	Label string `json:"label"`
}

type phoneNumJSON struct {
	PhoneNumber string `json:"phone_number"`
	Label       string `json:"label"`
}

type propertiesJSON struct {
	QualityRating  *string `json:"quality_rating"`
	MessagingLimit *string `json:"messaging_limit"`
}

type offlineReasonJSON struct {
	Code     *string `json:"code"`
	Message  *string `json:"message"`
	MoreInfo *string `json:"more_info"`
}

type complianceJSON struct {
	RegistrationSID string                  `json:"registration_sid"`
	Countries       []complianceCountryJSON `json:"countries"`
}

type complianceCountryJSON struct {
	Country         string        `json:"country"`
	RegistrationSID string        `json:"registration_sid"`
	Status          string        `json:"status"`
	Carriers        []carrierJSON `json:"carriers"`
}

type carrierJSON struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// ns is a nullable string: "" becomes null.
func ns(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nb(b bool) *bool { return &b }

// timeJSON formats like Twilio ("2023-07-30T20:12:31Z"); zero is null.
func timeJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func servicePath(mg string) string { return "/v1/Services/" + mg }

func channelSenderPath(mg, xe string) string {
	return "/v1/Services/" + mg + "/ChannelSenders/" + xe
}

func renderChannelSender(base, account string, s senderState) channelSenderJSON {
	return channelSenderJSON{
		AccountSID:          ns(account),
		MessagingServiceSID: ns(s.service),
		SID:                 ns(s.seed.SID),
		Sender:              ns(s.seed.Sender),
		SenderType:          ns(s.seed.SenderType),
		CountryCode:         ns(s.seed.CountryCode),
		DateCreated:         timeJSON(s.attachedAt),
		DateUpdated:         timeJSON(s.attachedAt),
		URL:                 ns(base + channelSenderPath(s.service, s.seed.SID)),
	}
}

// renderService shows a service's settings as they are now; what a seed
// does not say has the values Twilio gives a newly created service, and
// the URLs a seed cannot set are null.
func renderService(base, account string, svc *serviceState) serviceJSON {
	s, st := svc.seed, svc.settings
	self := base + servicePath(s.SID)
	a2p := st.campaign != nil && (st.campaign.Status == "" || st.campaign.Status == "VERIFIED")
	return serviceJSON{
		SID:                       ns(s.SID),
		AccountSID:                ns(account),
		FriendlyName:              ns(st.name),
		DateCreated:               timeJSON(s.Created),
		DateUpdated:               timeJSON(later(st.updated, s.Created)),
		InboundMethod:             ns("POST"),
		FallbackMethod:            ns("POST"),
		StickySender:              nb(st.sticky),
		MMSConverter:              nb(st.mms),
		SmartEncoding:             nb(st.smart),
		ScanMessageContent:        "inherit",
		FallbackToLongCode:        nb(st.fallback),
		AreaCodeGeomatch:          nb(st.geomatch),
		SynchronousValidation:     nb(true),
		ValidityPeriod:            st.validity,
		URL:                       &self,
		Links:                     serviceLinks(self),
		Usecase:                   ns(st.usecase),
		USAppToPersonRegistered:   nb(a2p),
		UseInboundWebhookOnNumber: nb(st.inboundHook),
	}
}

func serviceLinks(self string) map[string]string {
	return map[string]string{
		"phone_numbers":             self + "/PhoneNumbers",
		"short_codes":               self + "/ShortCodes",
		"alpha_senders":             self + "/AlphaSenders",
		"messages":                  self + "/Messages",
		"us_app_to_person":          self + "/Compliance/Usa2p",
		"us_app_to_person_usecases": self + "/Compliance/Usa2p/Usecases",
		"channel_senders":           self + "/ChannelSenders",
		"destination_alpha_senders": self + "/DestinationAlphaSenders",
	}
}

// renderAccountSender builds the v2 view of a sender. What a seed does
// not say is derived from its SID, so every run shows the same values.
func renderAccountSender(base string, s SenderSeed) channelsSenderJSON {
	h := sha256.Sum256([]byte(s.SID))
	status := s.Status
	if status == "" {
		status = "ONLINE"
	}
	out := channelsSenderJSON{
		SID:      ns(s.SID),
		Status:   status,
		SenderID: ns(s.Sender),
		Webhook:  &webhookJSON{},
		Profile: &profileJSON{
			Name:     ns(s.ProfileName),
			Vertical: ns(verticals[int(h[0])%len(verticals)]),
		},
		URL: ns(base + "/v2/Channels/Senders/" + s.SID),
	}
	if status == "OFFLINE" {
		// The spec's own example reason: Twilio documents no list of them.
		out.OfflineReasons = []offlineReasonJSON{{Code: ns("30008"), Message: ns("No delivery"),
			MoreInfo: ns("https://www.twilio.com/docs/api/errors/30008")}}
	}
	switch senderChannel(s.Sender) {
	case "whatsapp":
		out.Configuration = &configurationJSON{WABAID: ns(wabaID(h))}
		if s.ProfileName != "" {
			out.Profile.About = ns("Official WhatsApp account of " + s.ProfileName)
		}
		out.Properties = &propertiesJSON{
			QualityRating:  ns(qualityRatings[int(h[2])%len(qualityRatings)]),
			MessagingLimit: ns(messagingLimits[int(h[3])%len(messagingLimits)]),
		}
	case "rcs":
		country := s.CountryCode
		if country == "" {
			country = "US"
		}
		out.Profile.Description = ns("RCS agent " + s.Sender[len("rcs:"):])
		out.Profile.AccentColor = ns("#1f6feb")
		reg := "BU" + hex.EncodeToString(h[4:20])
		countryStatus := "ONLINE"
		carrierStatus := "APPROVED"
		if status != "ONLINE" {
			countryStatus, carrierStatus = "TWILIO_REVIEW", "CARRIER_REVIEW"
		}
		out.Compliance = &complianceJSON{
			RegistrationSID: reg,
			Countries: []complianceCountryJSON{{
				Country: country, RegistrationSID: reg, Status: countryStatus,
				Carriers: []carrierJSON{{Name: "Verizon", Status: carrierStatus}},
			}},
		}
	}
	return out
}

func wabaID(h [32]byte) string {
	// 15 digits, like a Meta WhatsApp Business Account id.
	b := make([]byte, 15)
	for i := range b {
		b[i] = '0' + h[8+i]%10
	}
	b[0] = '1'
	return string(b)
}

var (
	verticals       = []string{"Professional Services", "Shopping and Retail", "Travel and Transportation", "Finance and Banking", "Other"}
	qualityRatings  = []string{"HIGH", "HIGH", "HIGH", "MEDIUM", "LOW"}
	messagingLimits = []string{"1K Customers/24hr", "10K Customers/24hr", "100K Customers/24hr", "Unlimited"}
)
