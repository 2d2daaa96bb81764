package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/spec"
)

// examples returns the example values of an operation's response, by
// name, following $ref into components/examples.
func examples(t *testing.T, doc map[string]any, path, method, status string) map[string]any {
	t.Helper()
	m, ok := spec.Dig(doc, "paths", path, method, "responses", status, "content", "application/json", "examples").(map[string]any)
	if !ok || len(m) == 0 {
		t.Fatalf("the spec has no examples for %s %s → %s", method, path, status)
	}
	out := map[string]any{}
	for name, ex := range m {
		exm, err := spec.Deref(doc, ex)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = spec.Dig(exm, "value")
	}
	return out
}

// jsonKeys lists the json names of a struct type's fields.
func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if !t.Field(i).IsExported() {
			continue
		}
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	slices.Sort(keys)
	return keys
}

func objectKeys(v any) []string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// decodeExample decodes one example into T. Its top-level keys must all
// be fields of T; strict also refuses unknown fields at every depth.
func decodeExample[T any](t *testing.T, name string, example any, strict bool) T {
	t.Helper()
	data, err := json.Marshal(example)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	known := jsonKeys(reflect.TypeFor[T]())
	for _, k := range objectKeys(example) {
		if !slices.Contains(known, k) {
			t.Errorf("%s: field %q unknown to %T", name, k, v)
		}
	}
	return v
}

// serve answers every request with the JSON of v and returns a client on it.
func serve(t *testing.T, status int, v any) *api.Client {
	t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := handlerClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}, fixtureOpts{})
	return c
}

func TestSpecExamplesChannelSender(t *testing.T) {
	doc := spec.MustLoad(spec.V1)
	const list, one = "/v1/Services/{MessagingServiceSid}/ChannelSenders", "/v1/Services/{MessagingServiceSid}/ChannelSenders/{Sid}"
	all := map[string]any{}
	for name, ex := range examples(t, doc, one, "get", "200") {
		all["fetch "+name] = ex
		s, err := serve(t, 200, ex).FetchChannelSender(t.Context(), testService, xe(1))
		if err != nil || s.SID == "" {
			t.Errorf("fetch %s through the client: %+v %v", name, s, err)
		}
	}
	for name, ex := range examples(t, doc, list, "post", "201") {
		all["create "+name] = ex
		s, err := serve(t, 201, ex).CreateChannelSender(t.Context(), testService, xe(1))
		if err != nil || s.SID == "" {
			t.Errorf("create %s through the client: %+v %v", name, s, err)
		}
	}
	for name, page := range examples(t, doc, list, "get", "200") {
		senders, _ := spec.Dig(page, "senders").([]any)
		for i, s := range senders {
			all["list "+name+" "+strconv.Itoa(i)] = s
		}
		got, err := serve(t, 200, page).ListChannelSenders(t.Context(), testService)
		if err != nil || len(got) != len(senders) || len(got) == 0 {
			t.Errorf("list %s through the client: %d senders (want %d), %v", name, len(got), len(senders), err)
		}
	}
	if len(all) < 7 {
		t.Fatalf("only %d ChannelSender examples", len(all))
	}
	types := map[string]bool{}
	seen := map[string]bool{}
	for name, ex := range all {
		s := decodeExample[api.ChannelSender](t, name, ex, true)
		for _, k := range objectKeys(ex) {
			seen[k] = true
		}
		if api.ValidateSenderSID(s.SID) != nil || api.ValidateServiceSID(s.MessagingServiceSID) != nil || api.ValidateAccountSID(s.AccountSID) != nil {
			t.Errorf("%s: SIDs did not decode: %+v", name, s)
		}
		if s.Sender == "" || s.SenderType == "" || !strings.HasPrefix(s.URL, "https://messaging.twilio.com/v1/Services/") {
			t.Errorf("%s: fields did not decode: %+v", name, s)
		}
		if s.DateCreated == nil || s.DateCreated.Year() < 2000 || s.DateUpdated == nil || s.DateUpdated.Before(*s.DateCreated) {
			t.Errorf("%s: dates did not decode: %v %v", name, s.DateCreated, s.DateUpdated)
		}
		if ex.(map[string]any)["country_code"] != nil && s.CountryCode == "" {
			t.Errorf("%s: country_code lost", name)
		}
		types[s.SenderType] = true
	}
	for _, want := range []string{"WhatsApp", "RCS"} {
		if !types[want] {
			t.Errorf("no example with sender_type %q (have %v)", want, types)
		}
	}
	for _, k := range jsonKeys(reflect.TypeFor[api.ChannelSender]()) {
		if !seen[k] {
			t.Errorf("field %q of ChannelSender is in no example: invented?", k)
		}
	}
}

func TestSpecExamplesService(t *testing.T) {
	doc := spec.MustLoad(spec.V1)
	all := map[string]any{}
	for name, ex := range examples(t, doc, "/v1/Services/{Sid}", "get", "200") {
		all["fetch "+name] = ex
		s, err := serve(t, 200, ex).FetchService(t.Context(), testService)
		if err != nil || s.SID == "" {
			t.Errorf("fetch %s through the client: %+v %v", name, s, err)
		}
	}
	for name, page := range examples(t, doc, "/v1/Services", "get", "200") {
		services, _ := spec.Dig(page, "services").([]any)
		for i, s := range services {
			all["list "+name+" "+strconv.Itoa(i)] = s
		}
		got, err := serve(t, 200, page).ListServices(t.Context())
		if err != nil || len(got) != len(services) || len(got) == 0 {
			t.Errorf("list %s through the client: %d services (want %d), %v", name, len(got), len(services), err)
		}
	}
	seen := map[string]bool{}
	for name, ex := range all {
		s := decodeExample[api.Service](t, name, ex, true)
		for _, k := range objectKeys(ex) {
			seen[k] = true
		}
		if api.ValidateServiceSID(s.SID) != nil || api.ValidateAccountSID(s.AccountSID) != nil || s.FriendlyName == "" ||
			s.DateCreated == nil || s.DateCreated.Year() < 2000 || s.StickySender == nil || len(s.Links) == 0 {
			t.Errorf("%s: service fields did not decode: %+v", name, s)
		}
	}
	for _, k := range jsonKeys(reflect.TypeFor[api.Service]()) {
		if !seen[k] {
			t.Errorf("field %q of Service is in no example: invented?", k)
		}
	}
}

func TestSpecExamplesAccountSender(t *testing.T) {
	doc := spec.MustLoad(spec.V2)
	all := examples(t, doc, "/v2/Channels/Senders/{Sid}", "get", "200") // all three are $refs
	if len(all) < 3 {
		t.Fatalf("only %d v2 fetch examples", len(all))
	}
	for name, ex := range examples(t, doc, "/v2/Channels/Senders", "post", "202") {
		all["create "+name] = ex
	}
	statuses := map[string]bool{}
	for name, ex := range all {
		// Nested objects (profile, configuration) carry more than we
		// show, so only the top level is held to our fields.
		s := decodeExample[api.AccountSender](t, name, ex, false)
		if api.ValidateSenderSID(s.SID) != nil || s.Status == "" || !strings.Contains(s.SenderID, ":") {
			t.Errorf("%s: v2 sender fields did not decode: %+v", name, s)
		}
		statuses[s.Status] = true
		if strings.Contains(name, "offline") {
			if len(s.OfflineReasons) == 0 || s.OfflineReasons[0].Code == "" || s.OfflineReasons[0].Message == "" {
				t.Errorf("%s: offline reasons did not decode: %+v", name, s.OfflineReasons)
			}
		}
		if strings.HasPrefix(name, "whatsapp_fetch") && (s.Properties == nil || s.Properties.QualityRating == "" || s.Profile == nil || s.Profile.Name == "") {
			t.Errorf("%s: profile/properties did not decode: %+v %+v", name, s.Profile, s.Properties)
		}
	}
	if !statuses["ONLINE"] {
		t.Errorf("no ONLINE example: %v", statuses)
	}
	for name, page := range examples(t, doc, "/v2/Channels/Senders", "get", "200") {
		if _, ok := spec.Dig(page, "senders").([]any); !ok {
			t.Errorf("v2 list example %s has no senders list", name)
		}
		got, err := serve(t, 200, page).ListAccountSenders(t.Context(), api.ChannelWhatsApp)
		if err != nil || got == nil {
			t.Errorf("list %s through the client: %v, %v", name, got, err)
		}
	}
}

// Twilio's dates are RFC 3339 in UTC; null ones stay nil.
func TestNullFields(t *testing.T) {
	var s api.ChannelSender
	err := json.Unmarshal([]byte(`{"sid": null, "sender": null, "sender_type": null, "country_code": null, "date_created": null, "date_updated": "2024-05-06T07:08:09Z", "url": null}`), &s)
	if err != nil || s.SID != "" || s.DateCreated != nil || s.DateUpdated == nil || !s.DateUpdated.Equal(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)) {
		t.Fatalf("%+v %v", s, err)
	}
}
