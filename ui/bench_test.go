package ui

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/senderpool/senderpool/api"
)

// benchModel is a model showing n senders at 120×40 with the detail
// pane, spread over every kind: 40% channel senders, 40% phone numbers,
// 10% short codes, 10% alpha senders (half of them per country).
func benchModel(b *testing.B, n int) Model {
	c := newFakeClient()
	channel := n * 4 / 10
	c.senders[svcSID(1)] = manySenders(channel)
	c.pool = map[string][]api.PoolSender{svcSID(1): manyPool(n - channel)}
	m := start(b, newTestModel(b, c, 120, 40, func(o *Options) { o.ServiceSID = svcSID(1) }))
	s := sendersOf(m)
	if got := s.list.totalCount(); got != n || len(s.list.kindTotals()) != 7 {
		b.Fatalf("the list holds %d senders in %v, want %d of seven kinds", got, s.list.kindTotals(), n)
	}
	s.list.move(n / 2)
	m.screens[0] = s
	return m
}

// manyPool is n phone numbers, short codes and alpha senders, 4:1:1.
func manyPool(n int) []api.PoolSender {
	out := make([]api.PoolSender, n)
	for i := range out {
		p := api.PoolSender{ServiceSID: svcSID(1), Country: "US"}
		switch i % 6 {
		case 4:
			p.Source, p.Kind, p.SID, p.Address = api.SourceShortCodes, api.KindShortCode, fmt.Sprintf("SC%032x", i), fmt.Sprintf("%06d", i)
		case 5:
			p.Source, p.Kind, p.SID, p.Address, p.Country = api.SourceAlphaSenders, api.KindAlpha, fmt.Sprintf("AI%032x", i), fmt.Sprintf("Acme%d", i), ""
			if i%12 == 5 {
				p.Source, p.DestinationCountry = api.SourceDestinationAlphaSenders, "DE"
			}
		default:
			p.Source, p.Kind, p.SID, p.Address = api.SourcePhoneNumbers, api.KindPhoneNumber, fmt.Sprintf("PN%032x", i), fmt.Sprintf("+1415%07d", i)
			p.Capabilities = []string{"SMS", "MMS", "Voice"}
		}
		out[i] = p
	}
	return out
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
	for _, x := range s.senders() {
		page = append(page, api.AccountSender{SID: x.SID, Status: "ONLINE"})
	}
	msg := catalogueMsg{req: s.status.req, channel: "whatsapp", senders: page}
	b.ReportAllocs()
	for b.Loop() {
		next, _ := m.Update(msg)
		_ = next
	}
}

// BenchmarkLoad100kIn100Pages is a first load of 100,000 senders arriving
// in 100 pages through Update, against BenchmarkGroup100kOnce: adding a
// page costs what the page holds, not what is loaded, so the whole load
// costs about one grouping.
func BenchmarkLoad100kIn100Pages(b *testing.B) {
	all := pool(shuffledSenders(100_000))
	m := start(b, newTestModel(b, newFakeClient(), 120, 40, func(o *Options) { o.ServiceSID = svcSID(3) }))
	b.ReportAllocs()
	for b.Loop() {
		s := sendersOf(m)
		s.sources[0], s.list = sourceLoad{load: s.sources[0].load}, senderList{height: s.list.height}
		req := s.sources[0].load.req
		var l layer = s
		for i := 0; i < len(all); i += 1000 {
			l, _, _ = l.update(&m.c, pageMsg[api.PoolSender]{req: req, items: all[i : i+1000]})
		}
		l, _, _ = l.update(&m.c, pageMsg[api.PoolSender]{req: req, done: true})
		if n := l.(sendersScreen).list.senderCount(); n != len(all) {
			b.Fatalf("loaded %d senders", n)
		}
	}
}

// BenchmarkGroup100kOnce groups and sorts 100,000 senders in one go.
func BenchmarkGroup100kOnce(b *testing.B) {
	all := pool(shuffledSenders(100_000))
	b.ReportAllocs()
	for b.Loop() {
		var l senderList
		l.setSenders(all, nil)
	}
}

// shuffledSenders is manySenders in an order the list must sort.
func shuffledSenders(n int) []api.ChannelSender {
	all := manySenders(n)
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all
}
