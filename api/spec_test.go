package api

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// specDir holds the official OpenAPI files, copied into the repository.
const specDir = "../spec"

func loadSpec(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(specDir, name))
	if err != nil {
		t.Fatalf("official spec missing: %v", err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	return spec
}

// examples returns the example values of a path's operation response,
// following $ref into components/examples.
func examples(t *testing.T, spec map[string]any, path, method, status string) []any {
	t.Helper()
	op := dig(spec, "paths", path, method, "responses", status, "content", "application/json", "examples")
	m, ok := op.(map[string]any)
	if !ok || len(m) == 0 {
		t.Fatalf("no examples for %s %s %s", method, path, status)
	}
	var out []any
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		ex := m[name].(map[string]any)
		if ref, ok := ex["$ref"].(string); ok {
			parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
			ex = dig(spec, parts...).(map[string]any)
		}
		out = append(out, ex["value"])
	}
	return out
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// jsonKeys lists the json names of a struct's fields.
func jsonKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	slices.Sort(keys)
	return keys
}

// checkExample decodes one example into T and checks its top-level keys
// are exactly the fields T knows.
func checkExample[T any](t *testing.T, example any) T {
	t.Helper()
	raw, _ := json.Marshal(example)
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	var keys []string
	for k := range example.(map[string]any) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := jsonKeys(reflect.TypeFor[T]())
	for _, k := range keys {
		if !slices.Contains(want, k) {
			t.Errorf("%T has no field for the spec's %q", v, k)
		}
	}
	return v
}

func TestSpecExamplesChannelSender(t *testing.T) {
	spec := loadSpec(t, "twilio_messaging_v1.json")
	var all []any
	all = append(all, examples(t, spec, "/v1/Services/{MessagingServiceSid}/ChannelSenders/{Sid}", "get", "200")...)
	all = append(all, examples(t, spec, "/v1/Services/{MessagingServiceSid}/ChannelSenders", "post", "201")...)
	for _, page := range examples(t, spec, "/v1/Services/{MessagingServiceSid}/ChannelSenders", "get", "200") {
		senders, _ := page.(map[string]any)["senders"].([]any)
		all = append(all, senders...)
	}
	if len(all) < 4 {
		t.Fatalf("only %d ChannelSender examples found", len(all))
	}
	types := map[string]bool{}
	for _, ex := range all {
		s := checkExample[ChannelSender](t, ex)
		if ValidateSenderSID(s.SID) != nil || ValidateServiceSID(s.MessagingServiceSID) != nil || ValidateAccountSID(s.AccountSID) != nil {
			t.Errorf("SIDs did not decode: %+v", s)
		}
		if s.Sender == "" || s.DateCreated == nil || s.DateCreated.Year() < 2000 || s.URL == "" {
			t.Errorf("fields did not decode: %+v", s)
		}
		types[s.SenderType] = true
	}
	for _, want := range []string{"WhatsApp", "RCS"} {
		if !types[want] {
			t.Errorf("no example with sender_type %q (have %v)", want, types)
		}
	}
}

func TestSpecExamplesService(t *testing.T) {
	spec := loadSpec(t, "twilio_messaging_v1.json")
	exs := examples(t, spec, "/v1/Services/{Sid}", "get", "200")
	exs = append(exs, examples(t, spec, "/v1/Services", "post", "201")...)
	for _, page := range examples(t, spec, "/v1/Services", "get", "200") {
		services, _ := page.(map[string]any)["services"].([]any)
		exs = append(exs, services...)
	}
	for _, ex := range exs {
		s := checkExample[Service](t, ex)
		if ValidateServiceSID(s.SID) != nil || s.FriendlyName == "" || s.DateCreated == nil || s.StickySender == nil || len(s.Links) == 0 {
			t.Errorf("service fields did not decode: %+v", s)
		}
	}
}

func TestSpecExamplesChannelsSender(t *testing.T) {
	spec := loadSpec(t, "twilio_messaging_v2.json")
	exs := examples(t, spec, "/v2/Channels/Senders/{Sid}", "get", "200")
	if len(exs) < 2 {
		t.Fatalf("only %d v2 sender examples", len(exs))
	}
	for _, ex := range exs {
		s := checkExample[ChannelsSender](t, ex)
		if ValidateSenderSID(s.SID) != nil || s.SenderID == "" || s.Status == "" {
			t.Errorf("v2 sender fields did not decode: %+v", s)
		}
	}
	for _, page := range examples(t, spec, "/v2/Channels/Senders", "get", "200") {
		p, _ := page.(map[string]any)
		if _, ok := p["senders"]; !ok {
			t.Errorf("v2 list example has no senders key: %v", p)
		}
	}
}
