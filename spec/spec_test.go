package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestLoadBothFiles(t *testing.T) {
	for _, name := range []string{V1, V2} {
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
