package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/text"
)

// poolCount is the pool as the senders screen had loaded it when the
// panel opened.
type poolCount struct {
	byKind  map[string]int
	limited int      // phone numbers and short codes: what the limit counts
	loading bool     // a source had not answered yet
	failed  []string // the sources that could not be loaded
}

func countPool(s sendersScreen) poolCount {
	senders := s.senders()
	p := poolCount{byKind: map[string]int{}, limited: api.PoolUsage(senders)}
	for _, x := range senders {
		p.byKind[x.Kind]++
	}
	for i, src := range s.sources {
		switch {
		case src.load.err != nil:
			p.failed = append(p.failed, poolSources[i].String())
		case src.load.running && !src.loaded:
			p.loading = true
		}
	}
	return p
}

func (p servicePanel) poolRows() []panelRow {
	pc := p.pool
	size := panelRow{id: "pool", section: "Pool", label: "Size",
		value: fmt.Sprintf("%d/%d numbers and short codes", pc.limited, api.DefaultPoolLimit),
		hint:  fmt.Sprintf("phone numbers and short codes count against the limit; %d is Twilio's default, raised on request", api.DefaultPoolLimit)}
	switch {
	case len(pc.failed) > 0:
		size.value += " at least"
		size.tone = toneWarn
		size.hint = "not counted, could not be loaded: " + strings.Join(pc.failed, ", ")
	case pc.loading:
		size.value += " so far"
		size.hint = "counted from what the senders screen had loaded when the panel opened"
	case pc.limited >= api.DefaultPoolLimit:
		size.tone = toneWarn
	}
	rows := []panelRow{size}
	kinds := api.Kinds()
	for k := range pc.byKind {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k) // a channel type of its own
		}
	}
	slices.Sort(kinds[len(api.Kinds()):])
	for _, k := range kinds {
		if n := pc.byKind[k]; n > 0 {
			rows = append(rows, panelRow{id: "kind:" + k, label: text.Or(clip(k), "Other"), value: strconv.Itoa(n),
				hint: "senders of this kind in the pool, as loaded on the senders screen"})
		}
	}
	return rows
}
