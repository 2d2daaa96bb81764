package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestLoadEveryFile(t *testing.T) {
	for _, name := range Files() {
		doc, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := Dig(doc, "openapi").(string); !strings.HasPrefix(v, "3.") {
			t.Errorf("%s: openapi version %q", name, v)
		}
	}
	if _, err := Load("nope.json"); err == nil {
		t.Error("a file that is not embedded loaded")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustLoad of a file that is not embedded did not panic")
		}
	}()
	MustLoad("nope.json")
}

func TestDeref(t *testing.T) {
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{"a": "A"}}}
	for _, tt := range []struct {
		in      any
		want    any
		wantErr string
	}{
		{map[string]any{"$ref": "#/components/schemas/a"}, "A", ""},
		{"plain", "plain", ""},
		{map[string]any{"type": "string"}, map[string]any{"type": "string"}, ""},
		{map[string]any{"$ref": "#/components/schemas/b"}, nil, "dangling"},
		{map[string]any{"$ref": "other.json#/x"}, nil, "non-local"},
	} {
		got, err := Deref(doc, tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Deref(%v) = %v, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("Deref(%v): %v", tt.in, err)
		case !reflect.DeepEqual(got, tt.want):
			t.Errorf("Deref(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// Each file's operations live on one Twilio host; the client keeps a base
// URL per host, so the tests need to know which file is which.
func TestFilesServeTheirHosts(t *testing.T) {
	tests := []struct {
		file, host string
		paths      []string
	}{
		{V1, "https://messaging.twilio.com", []string{"/v1/Services", "/v1/Services/{ServiceSid}/PhoneNumbers"}},
		{V2, "https://messaging.twilio.com", []string{"/v2/Channels/Senders"}},
		{V2010, "https://api.twilio.com", []string{
			"/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
			"/2010-04-01/Accounts/{AccountSid}/SMS/ShortCodes.json",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := MustLoad(tt.file)
			for _, p := range tt.paths {
				servers, _ := Dig(doc, "paths", p, "servers").([]any)
				if len(servers) != 1 || Dig(servers[0], "url") != tt.host {
					t.Errorf("%s: servers %v, want %s", p, servers, tt.host)
				}
			}
		})
	}
}
