package ui

import (
	"fmt"
	"testing"

	"github.com/senderpool/senderpool/api"
)

// benchModel is a model showing n senders at 120×40 with the detail pane.
func benchModel(b *testing.B, n int) Model {
	c := newFakeClient()
	c.senders[svcSID(1)] = manySenders(n)
	m := start(b, newTestModel(b, c, 120, 40, func(o *Options) { o.ServiceSID = svcSID(1) }))
	s := sendersOf(m)
	s.list.move(n / 2)
	m.screens[0] = s
	return m
}

// BenchmarkView measures one full render; 10,000 senders should cost
// about what 100 do, because only visible rows are drawn.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(b, n)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkViewFiltered is View with a filter in force at 10,000 senders.
func BenchmarkViewFiltered(b *testing.B) {
	m := benchModel(b, 10_000)
	s := sendersOf(m)
	s.list.setFilter("us")
	m.screens[0] = s
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFilterKeystroke is the work one filter keystroke does in Update
// at 10,000 senders (alternating two texts so each call refilters).
func BenchmarkFilterKeystroke(b *testing.B) {
	m := benchModel(b, 10_000)
	qs := []string{"whatsapp:+14155550", "whatsapp:+1415555"}
	i := 0
	b.ReportAllocs()
	s := sendersOf(m)
	for b.Loop() {
		s.list.setFilter(qs[i%2])
		i++
	}
}

// BenchmarkCursorMove is Update plus View for one j at 10,000 senders.
func BenchmarkCursorMove(b *testing.B) {
	m := benchModel(b, 10_000)
	down, up := keyPress("j"), keyPress("k")
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		k := down
		if i%2 == 1 {
			k = up
		}
		next, _ := m.Update(k)
		m = next.(Model)
		_ = m.View()
		i++
	}
}

// BenchmarkStatusReply is the work in Update when the status of 10,000
// senders arrives: the list is rebuilt so the filter can search it.
func BenchmarkStatusReply(b *testing.B) {
	m := benchModel(b, 10_000)
	var page []api.AccountSender
	s := sendersOf(m)
	for _, x := range s.senders {
		page = append(page, api.AccountSender{SID: x.SID, Status: "ONLINE"})
	}
	msg := catalogueMsg{req: s.status.req, channel: "whatsapp", senders: page}
	b.ReportAllocs()
	for b.Loop() {
		next, _ := m.Update(msg)
		_ = next
	}
}
