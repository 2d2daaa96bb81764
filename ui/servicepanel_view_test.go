package ui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
)

// TestPanelFits: at 40×12 and at 200×60, with the confirmation too, no
// line is wider than the terminal, and every row can be brought on screen
// under the cursor.
func TestPanelFits(t *testing.T) {
	c := newPanelClient()
	c.numbers, c.shortCodes = 312, 7
	c.campaigns = map[string]*api.A2PCampaign{svcSID(1): {CampaignStatus: "VERIFIED", CampaignID: "CJ7QW2X", BrandRegistrationSID: "BN" + strings.Repeat("b", 32)}}
	c.setService(func(s *api.Service) {
		s.StickySender, s.ValidityPeriod, s.Usecase = yes(), num(36_000), "notifications"
	})
	for _, size := range [][2]int{{40, 12}, {40, 10}, {80, 24}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := openPanel(t, c, size[0], size[1])
			m = press(t, m, "g")
			seen := map[string]bool{}
			for range 40 {
				checkBytes(t, "the panel", m)
				p, _ := panelOf(m)
				seen[p.cursor] = true
				cursor := ""
				for _, l := range strings.Split(rendered(m), "\n") {
					if strings.HasPrefix(l, "› ") {
						cursor = l
					}
				}
				if cursor == "" {
					t.Fatalf("the cursor's row %q is off screen:\n%s", p.cursor, rendered(m))
				}
				m = press(t, m, "j")
			}
			for _, id := range []string{"name", "sid", "sticky", "webhook", "validity", "a2p-status", "a2p-brand", "pool", "kind:" + api.KindShortCode} {
				if !seen[id] {
					t.Errorf("row %s never came under the cursor", id)
				}
			}
			if size[0] == 40 && !strings.Contains(rendered(toRow(t, m, "sid")), svcSID(1)) {
				t.Errorf("the SID is cut at 40 columns:\n%s", rendered(m))
			}
			if !strings.Contains(rendered(toRow(t, m, "pool")), "319/400 numbers and short codes") {
				t.Errorf("the pool's size is cut:\n%s", rendered(m))
			}
			m = press(t, toRow(t, m, "sticky"), "enter")
			checkBytes(t, "the confirmation", m)
			for _, want := range []string{"Turn sticky sender off?", "Cancel", "Turn off ]"} {
				if !strings.Contains(rendered(m), want) {
					t.Errorf("the confirmation lacks %q:\n%s", want, rendered(m))
				}
			}
		})
	}
}

// TestPanelHostileText: a service name, use case and campaign fields
// holding escape sequences, bidi controls and invalid UTF-8 reach the
// terminal inert, in the panel and in its confirmation; so do the demo
// fake's hostile service over HTTP.
func TestPanelHostileText(t *testing.T) {
	values := twiliotest.HostileValues()
	c := newPanelClient()
	for i, v := range values {
		c.setService(func(s *api.Service) {
			s.FriendlyName, s.Usecase, s.StickySender = v, values[(i+1)%len(values)], yes()
		})
		c.campaigns = map[string]*api.A2PCampaign{svcSID(1): {CampaignStatus: v, CampaignID: values[(i+2)%len(values)], BrandRegistrationSID: values[(i+3)%len(values)]}}
		for _, size := range [][2]int{{120, 40}, {40, 12}} {
			m := openPanel(t, c, size[0], size[1])
			for range 25 {
				checkBytes(t, fmt.Sprintf("value %d, the panel", i), m)
				m = press(t, m, "j")
			}
			m = press(t, toRow(t, m, "sticky"), "enter")
			checkBytes(t, fmt.Sprintf("value %d, the confirmation", i), m)
		}
	}

	fake, client := demoClient(t, api.Config{})
	h := fake.AddHostile()
	m := start(t, newTestModel(t, client, 100, 30))
	m = press(t, pickService(t, m, h.Service), "enter", "i")
	if _, ok := panelOf(m); !ok {
		t.Fatalf("no panel on the hostile service:\n%s", rendered(m))
	}
	for range 25 {
		checkBytes(t, "the hostile service's panel", m)
		m = press(t, m, "j")
	}
}

// TestPanelHelpShowsExactlyTheKeysThatWork: in each state of the panel
// (loaded, read-only, a change running, the cursor on a value that cannot
// change, the first fetch not answered), help lists the keys that act and
// no other; a key not listed changes nothing, and the change key is listed
// exactly where it opens a confirmation.
func TestPanelHelpShowsExactlyTheKeysThatWork(t *testing.T) {
	corpus := []tea.KeyPressMsg{keyPress("enter"), space(), keyPress("r"), keyPress("y"), keyPress("n"), keyPress("d"), keyPress("a"),
		keyPress("s"), keyPress("/"), keyPress("tab"), keyPress("x"), keyPress("p"), keyPress("c"), keyPress("pgdown"), keyPress("1")}
	type state struct {
		name   string
		opts   []func(*Options)
		row    string
		setup  func(*testing.T, *panelClient, Model) Model
		change bool // the change key is offered
	}
	saving := func(t *testing.T, c *panelClient, m Model) Model {
		c.mu.Lock()
		c.opGate = make(chan struct{})
		c.mu.Unlock()
		t.Cleanup(func() { close(c.opGate) })
		m = press(t, m, "enter")
		m, _ = step(t, m, keyPress("y")) // held: the change runs
		return m
	}
	opening := func(t *testing.T, c *panelClient, m Model) Model {
		m = press(t, m, "esc")
		m, _ = step(t, m, keyPress("i")) // the fetch has not answered
		return m
	}
	for _, st := range []state{
		{name: "loaded", row: "sticky", change: true},
		{name: "read-only", row: "sticky", opts: []func(*Options){func(o *Options) { o.Identity.ReadOnly = true }}},
		{name: "a change running", row: "sticky", setup: saving},
		{name: "validity period", row: "validity"},
		{name: "null value", row: "encoding"},
		{name: "the campaign", row: "a2p"},
		{name: "first fetch pending", row: "sticky", setup: opening},
	} {
		t.Run(st.name, func(t *testing.T) {
			c := newPanelClient()
			c.setService(func(s *api.Service) { s.StickySender, s.ValidityPeriod = yes(), num(600) })
			m := toRow(t, openPanel(t, c, 100, 30, st.opts...), st.row)
			if st.setup != nil {
				m = st.setup(t, c, m)
			}
			top := m.top()
			if _, ok := top.(servicePanel); !ok {
				t.Fatalf("the top layer is %T", top)
			}
			if listed := answers(&m.c, top, keyPress("enter")) && answers(&m.c, top, space()); listed != st.change {
				t.Fatalf("the change key listed: %v, want %v\n%s", !st.change, st.change, ansi.Strip(m.footer(&m.c)))
			}
			help := rendered(press(t, m, "?"))
			if strings.Contains(help, "turn o") != st.change {
				t.Fatalf("help offers a change: %v, want %v:\n%s", !st.change, st.change, help)
			}
			for _, k := range corpus {
				before, sent := m, len(c.sent())
				after := update(t, m, k)
				acted := rendered(after) != rendered(before) || len(c.sent()) != sent || dialog(after) != nil
				if !answers(&before.c, top, k) && acted {
					t.Fatalf("%q is not among the panel's keys, yet it acted:\n%s\n---\n%s", k.String(), rendered(before), rendered(after))
				}
				if (k.String() == "enter" || k.String() == "space") && st.change != isConfirm(after) {
					t.Fatalf("%s opens a confirmation: %v, want %v", k.String(), isConfirm(after), st.change)
				}
			}
		})
	}
}

// TestPanelRandomSessions: random keys over the senders screen, the panel
// and its confirmations, against the demo fake: a setting changes on the
// server only on the yes of a confirmation that named it, a key the top
// layer does not list changes nothing, and no frame is wider than the
// terminal.
func TestPanelRandomSessions(t *testing.T) {
	sessions, steps := 200, 25
	if testing.Short() || raceEnabled {
		sessions = 40
	}
	keys := []string{"i", "i", "enter", "space", "y", "y", "n", "r", "esc", "j", "k", "g", "G", "?", "left", "right", "tab", "d", "a", "q", "x"}
	fake, client := demoClient(t, api.Config{})
	for seq := range sessions {
		r := rand.New(rand.NewPCG(uint64(seq), 0x5e7715))
		m := press(t, start(t, newTestModel(t, client, 100, 30)), "enter")
		var trail []string
		for range steps {
			var msg tea.Msg
			switch k := keys[r.IntN(len(keys))]; {
			case r.IntN(12) == 0:
				msg = tea.WindowSizeMsg{Width: 40 + r.IntN(120), Height: 10 + r.IntN(40)}
			case k == "space":
				msg = space()
			case k == "left":
				msg = tea.KeyPressMsg{Code: tea.KeyLeft}
			case k == "right":
				msg = tea.KeyPressMsg{Code: tea.KeyRight}
			default:
				msg = keyPress(k)
			}
			trail = append(trail, fmt.Sprint(msg))
			before, was, posts := m, poolState(fake), fake.Requests(twiliotest.RouteUpdateService)
			if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "q" {
				continue // quitting ends the session; other tests cover it
			}
			m = update(t, m, msg)
			if err := checkInvariants(before, m, msg, was, poolState(fake)); err != nil {
				t.Fatalf("session %d: %v\nlast inputs: %v", seq, err, lastN(trail, 12))
			}
			if n := fake.Requests(twiliotest.RouteUpdateService); n != posts {
				d, ok := confirmOf(before)
				_, isSetting := d.onYes.(settingChoice)
				k, _ := msg.(tea.KeyPressMsg)
				if !ok || !isSetting || n != posts+1 || !(k.String() == "y" || d.yes && (k.String() == "enter" || k.String() == "space")) {
					t.Fatalf("session %d: %d settings changes on %v, but the frame before was not a yes to one:\n%s\nlast inputs: %v", seq, n-posts, msg, rendered(before), lastN(trail, 12))
				}
			}
			if !m.tooSmall() {
				checkWidth(t, m)
			}
		}
	}
}

// TestPanelGolden: the panel of the demo's first service at 80×24 and
// 40×12, as text.
func TestPanelGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			_, client := demoClient(t, api.Config{})
			m := openPanel(t, client, size[0], size[1])
			checkWidth(t, m)
			golden.RequireEqual(t, rendered(m))
		})
	}
}
