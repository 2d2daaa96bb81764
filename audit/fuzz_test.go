package audit

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzScan: no content makes the reader panic or fail; every line is an
// entry, a problem or the torn tail, and what it accepts is valid.
func FuzzScan(f *testing.F) {
	line, err := encode(detachEntry("ch-1", PhaseIntent, ""))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(line))
	f.Add(string(line) + string(line[:len(line)/2]))
	f.Add(strings.Replace(string(line), "Alerts", `\u001b[2J\u202e`, 1))
	f.Add("\x00\xff\n\r\n\n")
	f.Add(`{"v":1}` + "\n")
	f.Fuzz(func(t *testing.T, data string) {
		r, err := scan(context.Background(), strings.NewReader(data), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count([]byte(data), []byte{'\n'})
		if !strings.HasSuffix(data, "\n") && data != "" {
			lines++
		}
		torn := 0
		if r.Torn {
			torn = 1
		}
		if len(r.Entries)+r.Skipped+torn != lines {
			t.Errorf("%d entries + %d skipped + %d torn != %d lines", len(r.Entries), r.Skipped, torn, lines)
		}
		for _, e := range r.Entries {
			if err := e.validate(); err != nil {
				t.Errorf("accepted an invalid entry: %v", err)
			}
		}
	})
}
