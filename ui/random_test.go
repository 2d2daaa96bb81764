package ui

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// randomInput is one step of a random session: a key, a paste or a resize.
func randomInput(r *rand.Rand, catalogue []string) []tea.Msg {
	keys := []string{"j", "k", "g", "G", "up", "down", "pgup", "pgdown", "enter", "tab", "esc", "s", "r", "a", "d", "y", "n", "/", "?", "left", "right", "space", "backspace", "x", "1", "W", "E", "space", "V", "*", "U", "m", "m", "r"}
	switch n := r.IntN(100); {
	case n < 4: // an esc storm
		msgs := make([]tea.Msg, 5+r.IntN(10))
		for i := range msgs {
			msgs[i] = keyPress("esc")
		}
		return msgs
	case n < 10:
		return []tea.Msg{tea.WindowSizeMsg{Width: 1 + r.IntN(170), Height: 1 + r.IntN(60)}}
	case n < 14:
		pastes := []string{"XE", "whatsapp:+1", "\x1b[31mred\x1b[0m", "長い名前🚀", strings.Repeat("x", 200), "\n\t"}
		pastes = append(pastes, catalogue...)
		return []tea.Msg{tea.PasteMsg{Content: pastes[r.IntN(len(pastes))]}}
	}
	k := keys[r.IntN(len(keys))]
	switch k {
	case "space":
		return []tea.Msg{tea.KeyPressMsg{Code: ' ', Text: " "}}
	case "backspace":
		return []tea.Msg{tea.KeyPressMsg{Code: tea.KeyBackspace}}
	case "left":
		return []tea.Msg{tea.KeyPressMsg{Code: tea.KeyLeft}}
	case "right":
		return []tea.Msg{tea.KeyPressMsg{Code: tea.KeyRight}}
	}
	return []tea.Msg{keyPress(k)}
}

// TestRandomSessions drives the dashboard against the fake with a thousand
// short random sessions (keys, pastes, resizes, esc storms), each from a
// fresh dashboard, on a few workers that each keep one fake. After every
// step: no line wider than the terminal, and the cursor on a real sender
// whenever senders are listed. After settling, the list equals the
// server's state.
func TestRandomSessions(t *testing.T) {
	sequences, steps, workers := 1000, 20, 4
	if testing.Short() || raceEnabled { // the race detector is ~10× slower
		sequences = 150
	}
	t.Logf("%d random sessions of %d inputs", sequences, steps)
	for w := range workers {
		t.Run(fmt.Sprint("worker", w), func(t *testing.T) {
			t.Parallel()
			fake, client := demoClient(t, api.Config{})
			for seq := w; seq < sequences && !t.Failed(); seq += workers {
				m := press(t, start(t, newTestModel(t, client, 100, 30)), "enter")
				randomSession(t, m, fake, seq, steps)
			}
		})
	}
}

// randomSession runs one random session; seq seeds it (the fake's state
// also depends on the sessions its worker ran before).
func randomSession(t *testing.T, m Model, fake *twiliotest.Fake, seq, steps int) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(seq), 0x5e11de75))
	var catalogue []string
	for _, s := range fake.ServiceSIDs() {
		catalogue = append(catalogue, fake.AttachedSIDs(s)...)
	}
	catalogue = append(catalogue, twiliotest.DemoFreeWhatsAppUS, twiliotest.DemoFreeRCSSupport)
	var trail []string
	for step := range steps {
		for _, msg := range randomInput(r, catalogue) {
			trail = append(trail, fmt.Sprintf("%v", msg))
			before, server := m, poolState(fake)
			m = update(t, m, msg)
			if err := checkInvariants(before, m, msg, server, poolState(fake)); err != nil {
				t.Fatalf("session %d, step %d: %v\nlast inputs: %v", seq, step, err, lastN(trail, 12))
			}
		}
		if m.tooSmall() {
			continue
		}
		for i, l := range strings.Split(m.View().Content, "\n") {
			if w := lipWidth(l); w > m.c.width {
				t.Fatalf("session %d, step %d: line %d is %d wide in %d columns: %q\nlast inputs: %v", seq, step, i, w, m.c.width, l, lastN(trail, 12))
			}
		}
		if shown(m) == onSenders && listOf(m).rowCount() > 0 {
			if _, ok := selectedSender(m); !ok {
				t.Fatalf("session %d, step %d: cursor %d on a header\nlast inputs: %v", seq, step, listOf(m).cursor, lastN(trail, 12))
			}
		}
	}
	// Settle: close whatever is open, then refresh the service on screen.
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	for range 6 {
		m = update(t, m, keyPress("esc"))
	}
	if shown(m) == onServices {
		m = press(t, m, "enter")
	}
	if shown(m) == onLogin || shown(m) == onProfiles {
		t.Fatalf("session %d ended on screen %s", seq, shown(m))
	}
	m = press(t, m, "r")
	if got, want := listedSIDs(m), fake.PoolSIDs(shownService(m).SID); !slices.Equal(got, want) {
		t.Fatalf("session %d: after settling the list shows %d senders, the server has %d\nlast inputs: %v", seq, len(got), len(want), lastN(trail, 20))
	}
}

func lastN(s []string, n int) []string { return s[max(0, len(s)-n):] }

// poolState is every service's senders on the server.
func poolState(fake *twiliotest.Fake) map[string][]string {
	state := map[string][]string{}
	for _, svc := range fake.ServiceSIDs() {
		state[svc] = fake.PoolSIDs(svc)
	}
	return state
}

// checkInvariants checks one step, from before to after, against the house
// rules:
//
//	(a) the server changes only as the previous frame asked: a sender leaves
//	    a service only when that frame was a confirmation naming exactly it;
//	    one joins only when that frame was the add form showing its SID (typed
//	    or highlighted);
//	(b) the highlighted sender changes only on a movement key, a filter
//	    edit, or that sender going away;
//	(c) a key the top layer does not list (in its help) changes nothing.
func checkInvariants(before, after Model, msg tea.Msg, was, now map[string][]string) error {
	frame := rendered(before)
	for svc, sids := range now {
		for _, sid := range was[svc] {
			if slices.Contains(sids, sid) {
				continue
			}
			d, ok := confirmOf(before)
			req, isDetach := d.onYes.(detachRequest)
			many, isMany := d.onYes.(detachManyRequest)
			one := isDetach && req.sender.SID == sid && strings.Contains(frame, sid)
			// Many: among the senders a confirmation fixed, which says how many.
			inMany := isMany && slices.ContainsFunc(many.senders, func(p api.PoolSender) bool { return p.SID == sid }) &&
				strings.Contains(frame, fmt.Sprintf("Detach %s?", plural(len(many.senders), "sender", "senders")))
			// Or a retry of a detach batch, from its report naming how many.
			if r, isReport := dialog(before).(batchReport); isReport && r.kind == batchDetach && retries(r, frame, sid) {
				ok, inMany = true, true
			}
			if moved, inMove := movedBy(before, sid); inMove && moved.from == svc {
				continue
			}
			if !ok || !one && !inMany || shownService(before).SID != svc {
				return fmt.Errorf("(a) %s left %s, but the frame before did not confirm exactly it:\n%s", sid, svc, frame)
			}
		}
		for _, sid := range sids {
			if slices.Contains(was[svc], sid) {
				continue
			}
			if moved, inMove := movedBy(before, sid); inMove && moved.to == svc {
				continue
			}
			f, ok := formOf(before)
			picked, _ := f.selected()
			typed, err := f.parsed()
			// Picked or typed as a SID, or typed as what it is (a number, an
			// alpha sender): shown in the form either way.
			named := picked.SID == sid || typed.SID == sid || err == nil && typed.SID == "" && strings.Contains(frame, f.typed())
			if !ok || !named || shownService(before).SID != svc {
				return fmt.Errorf("(a) %s joined %s, but the frame before did not show the form with it:\n%s", sid, svc, frame)
			}
		}
	}

	if shown(before) == onSenders && shown(after) == onSenders && shownService(before).SID == shownService(after).SID {
		prev, next := selectedSID(before), selectedSID(after)
		k, isKey := msg.(tea.KeyPressMsg)
		// space marks and moves down one, when the screen lists it.
		mark := isKey && answers(&before.c, before.top(), k) && key.Matches(k, before.c.keys.Senders.Mark)
		moved := isKey && dialog(before) == nil && !filtering(before) && !sendersOf(before).detail && (key.Matches(k, before.c.keys.List.moves()...) || mark)
		filterEdit := filtering(before) || (isKey && dialog(before) == nil && key.Matches(k, before.c.keys.Senders.ClearFilter) && sendersOf(before).filter.active())
		gone := !listOf(after).has(prev)
		if prev != "" && prev != next && !moved && !filterEdit && !gone {
			return fmt.Errorf("(b) the highlight moved from %s to %s on %v, which is not a movement key, a filter edit, or the sender going away", prev, next, msg)
		}
	}

	if k, ok := msg.(tea.KeyPressMsg); ok && !before.tooSmall() && k.String() != "ctrl+c" && !answers(&before.c, before.top(), k) {
		if rendered(after) != frame || !maps.EqualFunc(was, now, slices.Equal[[]string]) {
			return fmt.Errorf("(c) %q is not among the top layer's keys, yet it changed the screen:\n%s\n---\n%s", k.String(), frame, rendered(after))
		}
	}
	return nil
}

// moveFrame is a move the frame before asked for.
type moveFrame struct{ from, to string }

// movedBy reports whether the frame before asked to move sid: a move
// confirmation that names how many, or a move batch's report offering
// to retry it.
func movedBy(before Model, sid string) (moveFrame, bool) {
	frame := rendered(before)
	from := shownService(before).SID
	if d, ok := confirmOf(before); ok {
		if req, ok := d.onYes.(moveOutRequest); ok && slices.ContainsFunc(req.senders, func(p api.PoolSender) bool { return p.SID == sid }) &&
			strings.Contains(frame, "Move "+plural(len(req.senders), "sender", "senders")+" to") {
			return moveFrame{from, req.to.SID}, true
		}
	}
	if d, ok := confirmOf(before); ok {
		// The attach picker's offer to move a sender here.
		if req, ok := d.onYes.(moveRequest); ok && req.sender.SID == sid && strings.Contains(frame, "Move ") {
			return moveFrame{req.from, from}, true
		}
	}
	if r, ok := dialog(before).(batchReport); ok && r.kind == batchMove && retries(r, frame, sid) {
		return moveFrame{from, r.to.SID}, true
	}
	return moveFrame{}, false
}

// retries reports whether a report on screen offers to retry sid.
func retries(r batchReport, frame, sid string) bool {
	return slices.ContainsFunc(r.retry, func(p api.PoolSender) bool { return p.SID == sid }) &&
		strings.Contains(frame, fmt.Sprintf("r retries the %d", len(r.retry)))
}

// TestInvariantChecksCanFail: each invariant reports a step that breaks it.
func TestInvariantChecksCanFail(t *testing.T) {
	m := openedModel(t, newFakeClient())
	pool := map[string][]string{svcSID(1): {xe(1), xe(2)}}
	shrunk := map[string][]string{svcSID(1): {xe(1)}}
	grown := map[string][]string{svcSID(1): {xe(1), xe(2), xe(9)}}
	moved := m
	moved.screens = slices.Clone(m.screens)
	s := sendersOf(m)
	s.list.move(1)
	moved.screens[len(moved.screens)-1] = s
	noticed := m
	noticed.c.notice = "something happened"
	for _, tt := range []struct {
		name          string
		before, after Model
		msg           tea.Msg
		was, now      map[string][]string
		want          string
	}{
		{"a detach nobody confirmed", m, m, keyPress("r"), pool, shrunk, "(a)"},
		{"an attach nobody asked for", m, m, keyPress("r"), pool, grown, "(a)"},
		{"the highlight moved on r", m, moved, keyPress("r"), pool, pool, "(b)"},
		{"an unlisted key changed the screen", m, noticed, keyPress("x"), pool, pool, "(c)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := checkInvariants(tt.before, tt.after, tt.msg, tt.was, tt.now)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error starting %s", err, tt.want)
			}
		})
	}
	if err := checkInvariants(m, moved, keyPress("j"), pool, pool); err != nil {
		t.Fatalf("j moving the highlight was refused: %v", err)
	}
}
