package twiliotest_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/spec"
)

type openAPI struct {
	t   *testing.T
	doc map[string]any
}

// loadSpec decodes an official spec file (spec.V1, spec.V2, spec.V2010).
func loadSpec(t *testing.T, file string) *openAPI {
	return &openAPI{t: t, doc: spec.MustLoad(file)}
}

// resolve follows a $ref ("#/components/schemas/…").
func (s *openAPI) resolve(schema any) map[string]any {
	v, err := spec.Deref(s.doc, schema)
	m, _ := v.(map[string]any)
	if err != nil || m == nil {
		s.t.Fatalf("cannot resolve schema %v", schema)
	}
	return m
}

func (s *openAPI) schema(name string) map[string]any {
	return s.resolve(map[string]any{"$ref": "#/components/schemas/" + name})
}

// check compares an emitted JSON object with a schema: the same keys, no
// null where the schema does not allow one, JSON types as declared, and
// nested objects and arrays of objects likewise.
func (s *openAPI) check(where string, schema map[string]any, got map[string]any) {
	s.t.Helper()
	props, _ := schema["properties"].(map[string]any)
	want := make([]string, 0, len(props))
	for k := range props {
		want = append(want, k)
	}
	have := keys(got)
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		s.t.Errorf("%s: keys %v, spec has %v", where, have, want)
		return
	}
	for k, raw := range props {
		ps := s.resolve(raw)
		v := got[k]
		if v == nil {
			if ps["nullable"] != true {
				s.t.Errorf("%s.%s is null but not nullable", where, k)
			}
			continue
		}
		typ, _ := ps["type"].(string)
		if typ == "" && ps["properties"] == nil && ps["enum"] == nil {
			continue // a schema that leaves the value free (rate_limits)
		}
		switch v := v.(type) {
		case string:
			if typ != "string" {
				s.t.Errorf("%s.%s is a string, spec says %s", where, k, typ)
			}
			if enum, ok := ps["enum"].([]any); ok && !slices.Contains(enum, any(v)) {
				s.t.Errorf("%s.%s = %q is not in %v", where, k, v, enum)
			}
		case bool:
			if typ != "boolean" {
				s.t.Errorf("%s.%s is a boolean, spec says %s", where, k, typ)
			}
		case float64:
			if typ != "integer" && typ != "number" {
				s.t.Errorf("%s.%s is a number, spec says %s", where, k, typ)
			}
		case map[string]any:
			if typ != "object" {
				s.t.Errorf("%s.%s is an object, spec says %s", where, k, typ)
			}
			if _, ok := ps["properties"]; ok {
				s.check(where+"."+k, ps, v)
			}
		case []any:
			if typ != "array" {
				s.t.Errorf("%s.%s is an array, spec says %s", where, k, typ)
			}
			item := s.resolve(ps["items"])
			for _, el := range v {
				if obj, ok := el.(map[string]any); ok && item["properties"] != nil {
					s.check(where+"."+k+"[]", item, obj)
				}
			}
		}
	}
}

// listSchema returns the 200 response schema of GET path.
func (s *openAPI) listSchema(path string) map[string]any {
	m, _ := spec.Dig(s.doc, "paths", path, "get", "responses", "200", "content", "application/json", "schema").(map[string]any)
	if m == nil {
		s.t.Fatalf("no GET 200 schema for %s", path)
	}
	return m
}

func TestJSONMatchesSpecSchemas(t *testing.T) {
	v1 := loadSpec(t, spec.V1)
	v2 := loadSpec(t, spec.V2)
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	e := start(t, f)
	as := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	get := func(target string) map[string]any { return e.must(as(call{target: target})).okJSON(t, 200) }

	serviceSchema := v1.schema("messaging.v1.service")
	senderSchema := v1.schema("messaging.v1.service.channel_sender")
	v2Schema := v2.schema("messaging.v2.channels_sender_response")

	// Whole list pages, meta included, against the paths' response schemas.
	v1.check("ListServices", v1.listSchema("/v1/Services"), get("/v1/Services?PageSize=2"))
	for _, s := range items(t, get("/v1/Services"), "services") {
		v1.check("service", serviceSchema, s)
		v1.check("FetchService", serviceSchema, get("/v1/Services/"+s["sid"].(string)))
	}
	n := 0
	for _, mg := range []string{twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing} {
		page := get("/v1/Services/" + mg + "/ChannelSenders?PageSize=3")
		v1.check("ListChannelSenders", v1.listSchema("/v1/Services/{MessagingServiceSid}/ChannelSenders"), page)
		for _, s := range items(t, get("/v1/Services/"+mg+"/ChannelSenders"), "senders") {
			n++
			v1.check("sender", senderSchema, s)
			v1.check("FetchChannelSender", senderSchema, get("/v1/Services/"+mg+"/ChannelSenders/"+s["sid"].(string)))
		}
	}
	if n != 12 {
		t.Errorf("checked %d senders", n)
	}
	attach := as(attachTo(twiliotest.DemoServiceSandbox, twiliotest.DemoFreeWhatsAppUS))
	v1.check("CreateChannelSender", senderSchema, e.must(attach).okJSON(t, 201))

	for _, ch := range []string{"whatsapp", "rcs"} {
		page := get("/v2/Channels/Senders?PageSize=2&Channel=" + ch)
		v2.check("ListAccountSenders", v2.listSchema("/v2/Channels/Senders"), page)
		for _, s := range items(t, get("/v2/Channels/Senders?Channel="+ch), "senders") {
			v2.check("v2 "+ch+" sender", v2Schema, s)
		}
	}
}

// The example service in the spec has these links; the fake's match.
func TestServiceLinksMatchSpecExample(t *testing.T) {
	v1 := loadSpec(t, spec.V1)
	ex, _ := spec.Dig(v1.doc, "paths", "/v1/Services/{Sid}", "get", "responses", "200", "content", "application/json", "examples").(map[string]any)
	var want []string
	for _, e := range ex {
		if links, ok := spec.Dig(e, "value", "links").(map[string]any); ok {
			want = keys(links)
		}
	}
	if want == nil {
		t.Skip("the spec's fetch example has no links")
	}
	e := start(t, smallFake())
	links := e.get("/v1/Services/"+svcA).okJSON(t, 200)["links"].(map[string]any)
	have := keys(links)
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		t.Errorf("links %v, spec example has %v", have, want)
	}
}

// The rest of the pool, and the 2010 API's lists, against their schemas:
// every page (paging fields included) and every item the demo serves, and
// what fetch, attach and update answer.
func TestPoolJSONMatchesSpecSchemas(t *testing.T) {
	v1 := loadSpec(t, spec.V1)
	v2010 := loadSpec(t, spec.V2010)
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	e := start(t, f)
	as := func(c call) call { c.user, c.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken; return c }
	get := func(target string) map[string]any { return e.must(as(call{target: target})).okJSON(t, 200) }
	n := map[string]int{}
	for _, mg := range []string{twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing} {
		for _, l := range []struct{ segment, key, schema string }{
			{"PhoneNumbers", "phone_numbers", "messaging.v1.service.phone_number"},
			{"ShortCodes", "short_codes", "messaging.v1.service.short_code"},
			{"AlphaSenders", "alpha_senders", "messaging.v1.service.alpha_sender"},
			{"DestinationAlphaSenders", "alpha_senders", "messaging.v1.service.destination_alpha_sender"},
			{"Compliance/Usa2p", "compliance", "messaging.v1.service.us_app_to_person"},
		} {
			list := "/v1/Services/" + mg + "/" + l.segment
			page := get(list + "?PageSize=1")
			pathKey := "/v1/Services/{ServiceSid}/" + l.segment
			if l.key == "compliance" {
				pathKey = "/v1/Services/{MessagingServiceSid}/Compliance/Usa2p"
			}
			v1.check("List "+l.segment, v1.listSchema(pathKey), page)
			for _, it := range items(t, get(list), l.key) {
				n[l.schema]++
				v1.check(l.segment, v1.schema(l.schema), it)
				v1.check("Fetch "+l.segment, v1.schema(l.schema), get(list+"/"+it["sid"].(string)))
			}
		}
	}
	for schema, count := range n {
		if count == 0 {
			t.Errorf("no %s checked", schema)
		}
	}
	if len(n) != 5 {
		t.Errorf("checked %v", n)
	}
	post := func(target string, form url.Values, status int) map[string]any {
		c := as(call{method: http.MethodPost, target: target, body: form.Encode(), ctype: "application/x-www-form-urlencoded"})
		return e.must(c).okJSON(t, status)
	}
	sandbox := "/v1/Services/" + twiliotest.DemoServiceSandbox
	v1.check("CreatePhoneNumber", v1.schema("messaging.v1.service.phone_number"),
		post(sandbox+"/PhoneNumbers", url.Values{"PhoneNumberSid": {twiliotest.DemoFreeNumberUS}}, 201))
	v1.check("CreateShortCode", v1.schema("messaging.v1.service.short_code"),
		post(sandbox+"/ShortCodes", url.Values{"ShortCodeSid": {twiliotest.DemoFreeShortCode}}, 201))
	v1.check("CreateAlphaSender", v1.schema("messaging.v1.service.alpha_sender"),
		post(sandbox+"/AlphaSenders", url.Values{"AlphaSender": {"Sandbox"}}, 201))
	v1.check("CreateDestinationAlphaSender", v1.schema("messaging.v1.service.destination_alpha_sender"),
		post(sandbox+"/DestinationAlphaSenders", url.Values{"AlphaSender": {"Sandbox"}, "IsoCountryCode": {"FR"}}, 201))
	v1.check("UpdateService", v1.schema("messaging.v1.service"),
		post(sandbox, url.Values{"StickySender": {"false"}, "AreaCodeGeomatch": {"false"}}, 200))

	account := "/2010-04-01/Accounts/" + twiliotest.DemoAccountSID
	for _, l := range []struct{ path, key, schema string }{
		{"/IncomingPhoneNumbers.json", "incoming_phone_numbers", "api.v2010.account.incoming_phone_number"},
		{"/SMS/ShortCodes.json", "short_codes", "api.v2010.account.short_code"},
	} {
		v2010.check("List "+l.path, v2010.listSchema("/2010-04-01/Accounts/{AccountSid}"+l.path), get(account+l.path+"?PageSize=2"))
		got := items(t, get(account+l.path), l.key)
		if len(got) < 3 {
			t.Errorf("%s: only %d items", l.path, len(got))
		}
		for _, it := range got {
			v2010.check(l.path, v2010.schema(l.schema), it)
		}
	}
}
