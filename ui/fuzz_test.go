package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
)

// createRecorder is the in-memory client, recording every attach asked for.
type createRecorder struct {
	*fakeClient
	mu      sync.Mutex
	created []string
}

func (c *createRecorder) AttachPoolSender(ctx context.Context, svc string, in api.SenderInput) (api.PoolSender, error) {
	c.mu.Lock()
	c.created = append(c.created, in.String())
	c.mu.Unlock()
	return c.fakeClient.AttachPoolSender(ctx, svc, in)
}

// FuzzAttachFormInput types arbitrary text into the add form of a
// terminal of arbitrary width and presses enter: no panic, no line wider
// than the terminal, and an attach is asked for exactly when the field
// names a sender (api.ParseSenderInput) that is not a SID already in the
// service, and for exactly what it names.
func FuzzAttachFormInput(f *testing.F) {
	for _, s := range []struct {
		text  string
		width uint8
	}{
		{"", 40},
		{xe(100), 40},
		{"  " + xe(100) + "\t", 80},
		{xe(1), 80}, // already in the service
		{"XE123", 80},
		{"xe" + strings.Repeat("a", 32), 80},
		{"XE" + strings.Repeat("A", 32), 120},
		{"XE" + strings.Repeat("0", 33), 80},
		{"XE" + strings.Repeat("g", 32), 60},
		{"promo", 80},
		{"whatsapp:+1500", 45},
		{"日本語の送信者" + strings.Repeat("😀", 30), 41},
		{"\x1b[31mXE\x07\r\n" + xe(100), 80},
		{strings.Repeat("XE0", 40), 80},
		{"\u200b\u0301" + xe(100), 50},
	} {
		f.Add(s.text, s.width)
	}
	f.Fuzz(func(t *testing.T, text string, width uint8) {
		w := minWidth + int(width)%81 // 40…120 columns
		c := &createRecorder{fakeClient: newFakeClient()}
		m := start(t, newTestModel(t, c, w, 24))
		m = press(t, m, "enter") // open the first service
		m = press(t, m, "a")
		if !isForm(m) {
			t.Fatal("the form did not open")
		}
		exclude := form(m).exclude
		for _, r := range text {
			m = update(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
			if !isForm(m) {
				return // a key closed the form: nothing more to check
			}
		}
		checkWidth(t, m)
		v := strings.TrimSpace(form(m).input.Value())
		in, err := api.ParseSenderInput(v)
		// A SID cut short (XE123) is never taken for an alpha sender.
		wantSubmit := err == nil && !(in.SID != "" && exclude[in.SID]) && !looksLikeSIDPrefix(v) && !(in.SID == "" && sidish(v))
		m = press(t, m, "enter")
		checkWidth(t, m)
		c.mu.Lock()
		created := append([]string(nil), c.created...)
		c.mu.Unlock()
		switch {
		case wantSubmit && (len(created) != 1 || created[0] != in.String()):
			t.Fatalf("field %q: attaches %q, want one of %q", v, created, in.String())
		case !wantSubmit && len(created) != 0:
			t.Fatalf("field %q names no new sender, yet attaches %q", v, created)
		}
		for _, what := range created {
			if _, err := api.ParseSenderInput(what); err != nil {
				t.Fatalf("attach asked for %q, which names no sender: %v", what, err)
			}
		}
	})
}
