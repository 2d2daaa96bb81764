// Package spec holds Twilio's official OpenAPI files for the Messaging API
// and for the 2010 API's account numbers and short codes (see SOURCE.txt),
// embedded, and the few helpers the tests use to read them. Only tests
// import it: the program itself does not carry the files.
package spec

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// The files, by name.
const (
	V1    = "twilio_messaging_v1.json"
	V2    = "twilio_messaging_v2.json"
	V2010 = "twilio_api_v2010.json" // api.twilio.com: IncomingPhoneNumbers, SMS/ShortCodes
)

// Files are every embedded file, in the order above.
func Files() []string { return []string{V1, V2, V2010} }

//go:embed twilio_messaging_v1.json twilio_messaging_v2.json twilio_api_v2010.json
var files embed.FS

// Load decodes one of the files (V1, V2 or V2010).
func Load(name string) (map[string]any, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	return doc, nil
}

// MustLoad is Load for the embedded files, which cannot fail to load
// unless the build itself is broken: it panics then.
func MustLoad(name string) map[string]any {
	doc, err := Load(name)
	if err != nil {
		panic(err)
	}
	return doc
}

// Dig walks nested JSON objects by key; nil when a key is missing.
func Dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// Deref follows a local "$ref" ("#/components/…") once; anything that is
// not a $ref comes back as it is.
func Deref(doc map[string]any, v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	ref, ok := m["$ref"].(string)
	if !ok {
		return v, nil
	}
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("non-local $ref %q", ref)
	}
	target := Dig(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
	if target == nil {
		return nil, fmt.Errorf("dangling $ref %q", ref)
	}
	return target, nil
}
