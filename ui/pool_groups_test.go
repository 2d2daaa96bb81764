package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// A source of the pool that fails says so in the list column, the kinds
// that loaded still list, and r brings it back.
func TestFailedSourceShowsInTheList(t *testing.T) {
	for _, tc := range []struct {
		name  string
		route twiliotest.Route
		line  string // the list column's line for it
		kept  string // a group that still lists, and its size
		back  string // the group once it loads
	}{
		{"phone numbers", twiliotest.RouteListPhoneNumbers, "✗ Phone numbers: couldn't load · r retry", "WhatsApp 3", "Phone numbers 4"},
		{"channel senders", twiliotest.RouteListChannelSenders, "✗ Channel senders: couldn't load · r retry", "Phone numbers 4", "WhatsApp 3"},
		{"per-country alpha", twiliotest.RouteListDestinationAlphaSenders, "✗ Per-country alpha senders: couldn't load · r retry", "Alpha senders 1", "Alpha senders 2"},
	} {
		for _, size := range [][2]int{{100, 30}, {60, 24}} {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				fake, client := demoClient(t, api.Config{})
				fake.AddFault(tc.route, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Times: -1})
				m := press(t, start(t, newTestModel(t, client, size[0], size[1])), "enter")
				if !strings.Contains(rendered(m), tc.line) {
					t.Errorf("the screen lacks %q:\n%s", tc.line, rendered(m))
				}
				if groups := groupSizes(m); !slices.Contains(groups, tc.kept) || slices.Contains(groups, tc.back) {
					t.Errorf("the groups are %q: want %q and not %q", groups, tc.kept, tc.back)
				}
				if lines := strings.Count(sendersOf(m).listView(&m.c), "\n") + 1; lines > sendersOf(m).listHeight()+2 {
					t.Errorf("the list column has %d lines, more than its %d rows and the failure's two", lines, sendersOf(m).listHeight())
				}
				checkScreen(t, m, nil)

				fake.ClearFaults()
				m = press(t, m, "r")
				if groups := groupSizes(m); strings.Contains(rendered(m), "couldn't load") || !slices.Contains(groups, tc.back) {
					t.Errorf("after r the group is not back (%q):\n%s", groups, rendered(m))
				}
			})
		}
	}
}

// groupSizes is each group shown and its size: "Phone numbers 4".
func groupSizes(m Model) []string {
	var out []string
	for _, g := range listOf(m).shownGroups() {
		out = append(out, fmt.Sprintf("%s %d", g.Kind, len(g.Senders)))
	}
	return out
}
