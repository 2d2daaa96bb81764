package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/spec"
)

// specType is one of our types and the spec schema it stands for.
type specType struct {
	schema string // components/schemas name
	prefix string // SID prefix every example must carry
	fields []string
	// decode decodes one example the way the client does and returns
	// its SID.
	decode func([]byte) (string, error)
}

func newSpecType[T any](schema, prefix string, sid func(*T) string) specType {
	return specType{
		schema: schema,
		prefix: prefix,
		fields: jsonFields(reflect.TypeFor[T]()),
		decode: func(b []byte) (string, error) {
			var v T
			if err := json.Unmarshal(b, &v); err != nil {
				return "", err
			}
			return sid(&v), nil
		},
	}
}

// jsonFields lists the JSON names of a struct type's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// TestTypesDecodeSpecExamples walks every response of the three specs
// whose schema is one of our types' (itself, or the items of a list
// page), follows $ref into components/examples, and decodes every
// example into our type: no error, the SID arrives, and no top-level key
// of the example is unknown to the type. It needs only the vendored spec
// files, so it runs without Prism too.
func TestTypesDecodeSpecExamples(t *testing.T) {
	types := []specType{
		newSpecType("messaging.v1.service", api.PrefixService, func(s *api.Service) string { return s.SID }),
		newSpecType("messaging.v1.service.channel_sender", api.PrefixChannelSender, func(s *api.ChannelSender) string { return s.SID }),
		newSpecType("messaging.v2.channels_sender_response", api.PrefixChannelSender, func(s *api.AccountSender) string { return s.SID }),
		newSpecType("messaging.v1.service.phone_number", api.PrefixPhoneNumber, func(s *api.PhoneNumber) string { return s.SID }),
		newSpecType("messaging.v1.service.short_code", api.PrefixShortCode, func(s *api.ShortCode) string { return s.SID }),
		newSpecType("messaging.v1.service.alpha_sender", api.PrefixAlphaSender, func(s *api.AlphaSender) string { return s.SID }),
		newSpecType("messaging.v1.service.destination_alpha_sender", api.PrefixAlphaSender, func(s *api.DestinationAlphaSender) string { return s.SID }),
		// The campaign's responses are a oneOf of its two versions
		// (us_app_to_person and _v2); one type holds both.
		newSpecType("messaging.v1.service.us_app_to_person_response", api.PrefixA2PCampaign, func(s *api.A2PCampaign) string { return s.SID }),
		newSpecType("api.v2010.account.incoming_phone_number", api.PrefixPhoneNumber, func(s *api.IncomingPhoneNumber) string { return s.SID }),
		newSpecType("api.v2010.account.short_code", api.PrefixShortCode, func(s *api.AccountShortCode) string { return s.SID }),
	}
	// The operations senderpool uses must be among those walked.
	used := []string{
		"GET /v1/Services", "GET /v1/Services/{Sid}", "POST /v1/Services/{Sid}",
		"GET /v1/Services/{MessagingServiceSid}/ChannelSenders",
		"POST /v1/Services/{MessagingServiceSid}/ChannelSenders",
		"GET /v1/Services/{MessagingServiceSid}/ChannelSenders/{Sid}",
		"GET /v2/Channels/Senders",
		"GET /v1/Services/{ServiceSid}/PhoneNumbers", "POST /v1/Services/{ServiceSid}/PhoneNumbers", "GET /v1/Services/{ServiceSid}/PhoneNumbers/{Sid}",
		"GET /v1/Services/{ServiceSid}/ShortCodes", "POST /v1/Services/{ServiceSid}/ShortCodes", "GET /v1/Services/{ServiceSid}/ShortCodes/{Sid}",
		"GET /v1/Services/{ServiceSid}/AlphaSenders", "POST /v1/Services/{ServiceSid}/AlphaSenders", "GET /v1/Services/{ServiceSid}/AlphaSenders/{Sid}",
		"GET /v1/Services/{ServiceSid}/DestinationAlphaSenders", "POST /v1/Services/{ServiceSid}/DestinationAlphaSenders",
		"GET /v1/Services/{ServiceSid}/DestinationAlphaSenders/{Sid}",
		"GET /v1/Services/{MessagingServiceSid}/Compliance/Usa2p", "GET /v1/Services/{MessagingServiceSid}/Compliance/Usa2p/{Sid}",
		"GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json", "GET /2010-04-01/Accounts/{AccountSid}/SMS/ShortCodes.json",
	}
	decoded := map[string]int{} // per schema
	walked := map[string]bool{} // "METHOD path"
	for _, file := range spec.Files() {
		doc := spec.MustLoad(file)
		paths, _ := doc["paths"].(map[string]any)
		for _, path := range slices.Sorted(maps.Keys(paths)) {
			item, _ := paths[path].(map[string]any)
			for _, method := range slices.Sorted(maps.Keys(item)) {
				responses, _ := spec.Dig(item[method], "responses").(map[string]any)
				for _, status := range slices.Sorted(maps.Keys(responses)) {
					op := strings.ToUpper(method) + " " + path
					content := spec.Dig(responses[status], "content", "application/json")
					if content == nil {
						continue
					}
					schema, err := spec.Deref(doc, spec.Dig(content, "schema"))
					if err != nil {
						t.Errorf("%s → %s: %v", op, status, err)
						continue
					}
					typ, listKey, ok := matchSchema(spec.Dig(content, "schema"), schema, types)
					if !ok {
						continue
					}
					examples, _ := spec.Dig(content, "examples").(map[string]any)
					if len(examples) == 0 {
						t.Errorf("%s → %s has no examples", op, status)
					}
					walked[op] = true
					for _, name := range slices.Sorted(maps.Keys(examples)) {
						where := fmt.Sprintf("%s %s → %s, example %q", file, op, status, name)
						ex, err := spec.Deref(doc, examples[name])
						if err != nil {
							t.Errorf("%s: %v", where, err)
							continue
						}
						value := spec.Dig(ex, "value")
						items := []any{value}
						if listKey != "" {
							list, ok := spec.Dig(value, listKey).([]any)
							if !ok {
								t.Errorf("%s: no %q list", where, listKey)
								continue
							}
							items = list
						}
						for i, it := range items {
							at := where
							if listKey != "" {
								at = fmt.Sprintf("%s, %s[%d]", where, listKey, i)
							}
							if err := decodeExample(it, typ); err != nil {
								t.Errorf("%s: %v", at, err)
								continue
							}
							decoded[typ.schema]++
						}
					}
				}
			}
		}
	}
	for _, op := range used {
		if !walked[op] {
			t.Errorf("no examples found for %s, which senderpool calls", op)
		}
	}
	for _, typ := range types {
		if decoded[typ.schema] == 0 {
			t.Errorf("no example of %s was decoded", typ.schema)
		}
		t.Logf("%s: %d examples decoded", typ.schema, decoded[typ.schema])
	}

}

// matchSchema says which of our types a response schema is: one object
// ($ref to the schema), or a list page (an array property of such items).
func matchSchema(raw, schema any, types []specType) (specType, string, bool) {
	refName := func(v any) string {
		ref, _ := spec.Dig(v, "$ref").(string)
		return strings.TrimPrefix(ref, "#/components/schemas/")
	}
	for _, typ := range types {
		if refName(raw) == typ.schema {
			return typ, "", true
		}
		props, _ := spec.Dig(schema, "properties").(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(props)) {
			if spec.Dig(props[k], "type") == "array" && refName(spec.Dig(props[k], "items")) == typ.schema {
				return typ, k, true
			}
		}
	}
	return specType{}, "", false
}

func decodeExample(v any, typ specType) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object: %v", v)
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	sid, err := typ.decode(b)
	if err != nil {
		return fmt.Errorf("does not decode: %v\n%s", err, indent(b))
	}
	if !strings.HasPrefix(sid, typ.prefix) {
		return fmt.Errorf("decoded sid %q, want %s…", sid, typ.prefix)
	}
	for k := range obj {
		if !slices.Contains(typ.fields, k) {
			return fmt.Errorf("key %q has no field in our type (known: %v)", k, typ.fields)
		}
	}
	return nil
}

func indent(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return out.String()
}
