package journal

import (
	"strings"
	"testing"
)

// FuzzParse: no content makes the decoder panic; what it accepts is
// valid, and only a last line without its newline is ever set aside.
func FuzzParse(f *testing.F) {
	j := `{"v":1,"time":"2025-01-02T03:04:05.678Z","move":"mv-1","step":"started","entry":{"move":"mv-1","account_sid":"` + acct +
		`","from":"` + svcA + `","from_name":"\u001b[2Jx","to":"` + svcB + `","sender":{"sid":"` + numPN + `","text":"+1415"}}}` + "\n"
	f.Add(j)
	f.Add(j + `{"v":1,"time":"2025-01-02T03:04:05.678Z","move":"mv-1","step":"detached"}` + "\n")
	f.Add(j + `{"v":1,"time":"2025-01-02T03:04:05.678Z","move":"mv-1","step":"failed","failure":{"step":"detached","code":1}}`)
	f.Add(j[:len(j)/2])
	f.Add("\n\n")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, data string) {
		s, err := parse([]byte(data))
		if err != nil {
			return
		}
		if s.torn && strings.HasSuffix(data, "\n") {
			t.Errorf("a line ending in a newline was set aside as torn")
		}
		if s.good > len(data) || (!s.torn && s.good != len(data)) {
			t.Errorf("good = %d of %d (torn %v)", s.good, len(data), s.torn)
		}
		for _, m := range s.pending() {
			if err := m.validate(); err != nil {
				t.Errorf("accepted an invalid move: %v", err)
			}
		}
	})
}
