package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/senderpool/senderpool/text"
)

// errNotJSON is wrapped when what was to be printed as JSON is not JSON.
var errNotJSON = errors.New("not JSON")

// jsonList streams a JSON array with one object a line (easy for jq and
// grep): "[" comes with the first item, each page is flushed as it is
// added, and end closes the array ("[]" when nothing came). A listing
// that fails half-way is left unclosed, so that a JSON reader fails
// instead of taking a part for the whole.
type jsonList struct {
	w    *bufio.Writer
	n    int
	line []byte // reused: one item at a time
}

func newJSONList(w io.Writer) *jsonList {
	return &jsonList{w: bufio.NewWriterSize(w, 64<<10)}
}

// add writes one object, made safe by safeJSON.
func (l *jsonList) add(raw []byte) error {
	var err error
	if l.line, err = safeJSON(l.line[:0], raw); err != nil {
		return err
	}
	if l.n == 0 {
		l.w.WriteString("[")
	} else {
		l.w.WriteString(",")
	}
	l.n++
	l.w.WriteString("\n  ")
	_, err = l.w.Write(l.line)
	return err
}

// page flushes what was added, so a reader sees each page as it comes.
func (l *jsonList) page() error { return l.w.Flush() }

// end closes the array.
func (l *jsonList) end() error {
	if l.n == 0 {
		l.w.WriteString("[")
	} else {
		l.w.WriteString("\n")
	}
	l.w.WriteString("]\n")
	return l.w.Flush()
}

// abort ends the open line of a listing that failed, leaving the array
// unclosed.
func (l *jsonList) abort() {
	if l.n > 0 {
		l.w.WriteString("\n")
	}
	_ = l.w.Flush()
}

// writeJSON prints items (API objects or our own rows) as a jsonList.
func writeJSON[T any](w io.Writer, items []T) error {
	l := newJSONList(w)
	for _, it := range items {
		b, err := apiJSON(it)
		if err != nil {
			return err
		}
		if err := l.add(b); err != nil {
			return err
		}
	}
	return l.end()
}

// writeJSONValue prints one API object as indented JSON, made safe by
// safeJSON.
func writeJSONValue(w io.Writer, v any) error {
	b, err := apiJSON(v)
	if err != nil {
		return err
	}
	if b, err = safeJSON(nil, b); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = out.WriteTo(w)
	return err
}

// apiJSON encodes v as the API sent it, when v knows that (api types keep
// the wire's nulls and unknown fields).
func apiJSON(v any) ([]byte, error) {
	if w, ok := v.(interface{ WireJSON() ([]byte, error) }); ok {
		return w.WireJSON()
	}
	return json.Marshal(v)
}

// safeJSON appends src, a JSON value, to dst compacted and safe for a
// terminal, yet the same value: inside strings (keys included) every
// character the text package would not print as itself (C0, DEL, C1,
// bidi and other format characters, U+2028/2029…) becomes a \uXXXX
// escape, and each byte of invalid UTF-8 becomes \ufffd, which is what a
// JSON decoder reads it as. Escapes already in src are kept as sent:
// they are plain ASCII.
func safeJSON(dst, src []byte) ([]byte, error) {
	if !json.Valid(src) {
		return dst, fmt.Errorf("%w: the value to print", errNotJSON)
	}
	inString := false
	for i := 0; i < len(src); {
		c := src[i]
		if !inString {
			switch c {
			case ' ', '\t', '\n', '\r':
			case '"':
				inString = true
				dst = append(dst, c)
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		switch {
		case c == '"':
			inString = false
			dst = append(dst, c)
			i++
		case c == '\\':
			// Valid JSON: an escape is \ and one ASCII byte (the four hex
			// digits of \u follow as plain ASCII).
			dst = append(dst, c, src[i+1])
			i += 2
		case c < utf8.RuneSelf:
			if c < 0x20 || c == 0x7f {
				dst = appendEscape(dst, rune(c))
			} else {
				dst = append(dst, c)
			}
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				dst = appendEscape(dst, utf8.RuneError)
			case !printsAsItself(r):
				dst = appendEscape(dst, r)
			default:
				dst = append(dst, src[i:i+size]...)
			}
			i += size
		}
	}
	return dst, nil
}

// printsAsItself reports a rune the text package leaves as it is: the
// one definition of what may reach a terminal.
func printsAsItself(r rune) bool {
	s := string(r)
	return text.Clean(s) == s
}

// appendEscape appends r as a JSON \u escape (a surrogate pair beyond the
// Basic Multilingual Plane).
func appendEscape(dst []byte, r rune) []byte {
	if r > 0xffff {
		hi, lo := utf16.EncodeRune(r)
		return fmt.Appendf(dst, `\u%04x\u%04x`, hi, lo)
	}
	return fmt.Appendf(dst, `\u%04x`, r)
}

// sidSet remembers the SIDs a listing has printed, so that one listed on
// two pages is printed once. It keeps a digest, not the SID: its size does
// not depend on what a server puts in a SID.
type sidSet map[[sha256.Size]byte]struct{}

// first reports whether sid is new, and remembers it. A blank SID (a null
// field) is always new: there is nothing to tell two of them apart by.
func (s sidSet) first(sid string) bool {
	if sid == "" {
		return true
	}
	k := sha256.Sum256([]byte(sid))
	if _, ok := s[k]; ok {
		return false
	}
	s[k] = struct{}{}
	return true
}

// rawSID is the "sid" of a raw API object, "" when it has none.
func rawSID(raw []byte) string {
	var v struct {
		SID *string `json:"sid"`
	}
	if json.Unmarshal(raw, &v) != nil || v.SID == nil {
		return ""
	}
	return *v.SID
}

// streamJSON prints a listing as a jsonList, page by page as pages
// arrives, each SID once; list is the api's raw *Pages walk.
func streamJSON(w io.Writer, list func(page func([]json.RawMessage) error) error) error {
	l := newJSONList(w)
	seen := sidSet{}
	err := list(func(page []json.RawMessage) error {
		for _, raw := range page {
			if !seen.first(rawSID(raw)) {
				continue
			}
			if err := l.add(raw); err != nil {
				return err
			}
		}
		return l.page()
	})
	if err != nil {
		l.abort()
		return err
	}
	return l.end()
}

// printf prints a message made of outside text: each string argument is
// cleaned and kept on one line, and the whole once more, so nothing a
// server, a file or the command line said reaches the terminal raw.
func printf(w io.Writer, format string, args ...any) {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = text.OneLine(v)
		case error:
			args[i] = text.OneLine(v.Error())
		case fmt.Stringer:
			args[i] = text.OneLine(v.String())
		}
	}
	io.WriteString(w, text.Lines(fmt.Sprintf(format, args...)))
}

// table writes aligned columns. Every cell is cleaned and kept on one
// line, and an empty one prints "-", so awk and column -t keep counting
// the columns right.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.tw.Write([]byte(strings.Join(header, "\t") + "\n"))
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = cell(c)
	}
	t.tw.Write([]byte(strings.Join(cells, "\t") + "\n"))
}

func (t *table) flush() error { return t.tw.Flush() }

// cell is outside text made fit for one table cell: "-" when blank.
func cell(s string) string {
	if c := strings.TrimSpace(text.OneLine(s)); c != "" {
		return c
	}
	return "-"
}

// date is an API time in UTC, or "" (a "-" cell) when null.
func date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
