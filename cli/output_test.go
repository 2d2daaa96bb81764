package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/senderpool/senderpool/text"
)

// checkTerminalText fails unless out is fit for a terminal: valid UTF-8,
// no escape or other C0 control but \n (and \t where tabs is set), no DEL,
// no C1, no bidi, invisible format or line/paragraph separator character,
// nothing the text package would not print as itself.
func checkTerminalText(t *testing.T, what string, out string, tabs bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		i := 0
		for i < len(out) {
			r, size := utf8.DecodeRuneInString(out[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		t.Errorf("%s: invalid UTF-8 at byte %d: %q", what, i, around(out, i))
		return
	}
	for i, r := range out {
		bad := ""
		switch {
		case r == '\n', r == '\t' && tabs:
		case r < 0x20, r == 0x7f:
			bad = "a control character"
		case r >= 0x80 && r < 0xa0:
			bad = "a C1 control"
		case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			bad = "a format or separator character"
		case text.Clean(string(r)) != string(r):
			bad = "a character the text package escapes"
		}
		if bad != "" {
			t.Errorf("%s: %s (%U) at byte %d: %q", what, bad, r, i, around(out, i))
			return
		}
	}
}

func around(s string, i int) string {
	return s[max(0, i-40):min(len(s), i+40)]
}

// TestSafeJSON: a JSON value comes out compacted, the same value when
// decoded (invalid UTF-8 read as U+FFFD, as a decoder reads it), and
// holding no character a terminal would act on, in values and keys alike.
func TestSafeJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", `{"sid": "XE1", "n": [1, 2.5, true, null]}`, `{"sid":"XE1","n":[1,2.5,true,null]}`},
		{"escapes kept as sent", `{"a":"\u001b[2J\n\"\\\/\u00e9"}`, `{"a":"\u001b[2J\n\"\\\/\u00e9"}`},
		{"DEL", "{\"a\":\"x\x7fy\"}", `{"a":"x\u007fy"}`},
		{"C1 as UTF-8", "{\"a\":\"\u009b31m\u0085\"}", `{"a":"\u009b31m\u0085"}`},
		{"bare C1 byte", "{\"a\":\"bare\x9bbyte\"}", `{"a":"bare\ufffdbyte"}`},
		{"invalid UTF-8, a byte each", "{\"a\":\"bad\xff\xfe\xed\xa0\x80\"}", `{"a":"bad\ufffd\ufffd\ufffd\ufffd\ufffd"}`},
		{"bidi", "{\"a\":\"svc\u202egpj.exe\u2066i\u2069\"}", `{"a":"svc\u202egpj.exe\u2066i\u2069"}`},
		{"line and paragraph separators", "{\"a\":\"x\u2028y\u2029\"}", `{"a":"x\u2028y\u2029"}`},
		{"zero width, BOM, soft hyphen", "{\"a\":\"z\u200bw\ufeffb\u00ads\"}", `{"a":"z\u200bw\ufeffb\u00ads"}`},
		{"beyond the BMP", "{\"a\":\"tag\U000e0041\"}", `{"a":"tag\udb40\udc41"}`},
		{"in a key", "{\"k\u202e\x9b\":1}", `{"k\u202e\ufffd":1}`},
		{"printable Unicode kept", `{"a":"Zürich 東京 ✓ 😀 U+FFFD �"}`, `{"a":"Zürich 東京 ✓ 😀 U+FFFD �"}`},
		{"whitespace inside strings kept", `{"a" : " x  y "}`, `{"a":" x  y "}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := safeJSON(nil, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("safeJSON(%q)\n = %s\nwant %s", tt.in, got, tt.want)
			}
			checkTerminalText(t, "output", string(got), false)
			var before, after any
			if err := json.Unmarshal([]byte(tt.in), &before); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(got, &after); err != nil {
				t.Fatalf("the output is not JSON: %v", err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the value changed: %#v, then %#v", before, after)
			}
		})
	}
	if _, err := safeJSON(nil, []byte(`{"a":`)); !errors.Is(err, errNotJSON) {
		t.Errorf("truncated JSON: %v, want errNotJSON", err)
	}
}

// FuzzSafeJSON: whatever JSON value comes in, the same value comes out,
// fit for a terminal, and safeJSON of that is itself.
func FuzzSafeJSON(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, "[\"\x1b\x9b\u202e\xff\"]", `"\ud800"`, `{"k":{"n":[1,-2e3]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if !json.Valid(in) {
			return
		}
		out, err := safeJSON(nil, in)
		if err != nil {
			t.Fatal(err)
		}
		checkTerminalText(t, "output", string(out), false)
		var before, after any
		if json.Unmarshal(in, &before) != nil {
			return
		}
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("not JSON: %v: %q", err, out)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("the value changed: %q, then %q", in, out)
		}
		if again, _ := safeJSON(nil, out); !bytes.Equal(again, out) {
			t.Errorf("not idempotent: %q, then %q", out, again)
		}
	})
}

// TestJSONList: items one a line, "[]" for none; a listing cut short is
// left unclosed (not valid JSON) rather than passing for the whole list.
func TestJSONList(t *testing.T) {
	item := func(i int) json.RawMessage { return json.RawMessage(fmt.Sprintf(`{"sid": "XE%d"}`, i)) }
	tests := []struct {
		name  string
		pages [][]json.RawMessage
		fail  error
		want  string
	}{
		{"empty", nil, nil, "[]\n"},
		{"empty pages", [][]json.RawMessage{{}, {}}, nil, "[]\n"},
		{"two pages", [][]json.RawMessage{{item(1), item(2)}, {item(3)}}, nil, "[\n  {\"sid\":\"XE1\"},\n  {\"sid\":\"XE2\"},\n  {\"sid\":\"XE3\"}\n]\n"},
		{"a SID twice", [][]json.RawMessage{{item(1), item(2)}, {item(2), item(3), item(1)}}, nil, "[\n  {\"sid\":\"XE1\"},\n  {\"sid\":\"XE2\"},\n  {\"sid\":\"XE3\"}\n]\n"},
		{"no or null SIDs are not merged", [][]json.RawMessage{{json.RawMessage(`{}`), json.RawMessage(`{"sid":null}`)}, {json.RawMessage(`{}`), json.RawMessage(`"x"`)}},
			nil, "[\n  {},\n  {\"sid\":null},\n  {},\n  \"x\"\n]\n"},
		{"cut short", [][]json.RawMessage{{item(1)}}, errors.New("boom"), "[\n  {\"sid\":\"XE1\"}\n"},
		{"cut short before anything", nil, errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			var flushed []int // bytes written when each page was done
			err := streamJSON(&out, func(page func([]json.RawMessage) error) error {
				for _, p := range tt.pages {
					if err := page(p); err != nil {
						return err
					}
					flushed = append(flushed, out.Len())
				}
				return tt.fail
			})
			if !errors.Is(err, tt.fail) {
				t.Fatalf("error %v, want %v", err, tt.fail)
			}
			if out.String() != tt.want {
				t.Errorf("printed %q, want %q", out.String(), tt.want)
			}
			// Every page here brings something new: it is on the output
			// as soon as the page is done.
			prev := 0
			for i, n := range flushed {
				if len(tt.pages[i]) > 0 && n <= prev {
					t.Errorf("page %d was not written when it was done (%d bytes so far)", i, n)
				}
				prev = n
			}
			if tt.fail == nil {
				var v []any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("not a JSON array: %v", err)
				}
			}
		})
	}
}

// TestPrintfCleansEveryArgument: a message printed to a terminal holds no
// raw outside text, whatever form the text comes in, and each piece stays
// on one line.
func TestPrintfCleansEveryArgument(t *testing.T) {
	hostile := "a\x1b]0;pwned\x07\nb\u202e\x9b"
	var out strings.Builder
	printf(&out, "%s|%v|%s|%d\n", hostile, errors.New(hostile), stringer(hostile), 7)
	got := out.String()
	checkTerminalText(t, "printf", got, false)
	if strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "|7\n") {
		t.Errorf("printf: %q", got)
	}
}

type stringer string

func (s stringer) String() string { return string(s) }
