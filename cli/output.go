package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/senderpool/senderpool/text"
)

// writeJSON prints items as a JSON array of objects with the API's field
// names, one object per line (easy for jq and grep); an empty list prints [].
func writeJSON[T any](w io.Writer, items []T) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[")
	var line bytes.Buffer
	for i, it := range items {
		b, err := apiJSON(it)
		if err != nil {
			return err
		}
		line.Reset()
		if err := json.Compact(&line, b); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		bw.Write(line.Bytes())
	}
	if len(items) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// writeJSONValue prints one API object as indented JSON.
func writeJSONValue(w io.Writer, v any) error {
	b, err := apiJSON(v)
	if err != nil {
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
