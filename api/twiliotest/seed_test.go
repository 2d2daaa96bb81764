package twiliotest_test

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api/twiliotest"
)

var (
	sidRE       = regexp.MustCompile(`^XE[0-9a-f]{32}$`)
	whatsappRE  = regexp.MustCompile(`^whatsapp:\+[1-9][0-9]{9,13}$`)
	messengerRE = regexp.MustCompile(`^messenger:[0-9]{15}$`)
	rcsRE       = regexp.MustCompile(`^rcs:[a-z][a-z0-9_]*_agent(_[0-9]+)?$`)
	dialCodes   = map[string]string{"US": "+1", "GB": "+44", "DE": "+49", "BR": "+55", "IN": "+91", "MX": "+52", "ES": "+34", "FR": "+33", "JP": "+81"}
)

func TestGenerateIsDeterministic(t *testing.T) {
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	a := twiliotest.Generate(7, 500, start)
	b := twiliotest.Generate(7, 500, start)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different senders")
	}
	c := twiliotest.Generate(8, 500, start)
	if reflect.DeepEqual(a, c) || a[0].SID == c[0].SID {
		t.Fatal("different seeds gave the same senders")
	}
	if got := twiliotest.Generate(7, 0, start); len(got) != 0 {
		t.Errorf("n=0 gave %d", len(got))
	}
}

func TestGenerateDistribution(t *testing.T) {
	const n = 5000
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	got := twiliotest.Generate(42, n, start)
	if len(got) != n {
		t.Fatalf("len = %d", len(got))
	}
	types := map[string]int{}
	statuses := map[string]int{}
	sids := map[string]bool{}
	senders := map[string]bool{}
	prev := start
	for _, s := range got {
		types[s.SenderType]++
		statuses[s.Status]++
		if !sidRE.MatchString(s.SID) || sids[s.SID] {
			t.Fatalf("bad or repeated SID %q", s.SID)
		}
		sids[s.SID] = true
		if senders[s.Sender] {
			t.Fatalf("repeated sender %q", s.Sender)
		}
		senders[s.Sender] = true
		if !s.Created.After(prev) {
			t.Fatalf("Created not increasing: %v after %v", s.Created, prev)
		}
		prev = s.Created
		if s.ProfileName == "" {
			t.Errorf("%s has no profile name", s.SID)
		}
		switch prefix, _, _ := strings.Cut(s.Sender, ":"); prefix {
		case "whatsapp":
			if !whatsappRE.MatchString(s.Sender) {
				t.Errorf("bad WhatsApp sender %q", s.Sender)
			}
			if !strings.HasPrefix(s.Sender, "whatsapp:"+dialCodes[s.CountryCode]) || dialCodes[s.CountryCode] == "" {
				t.Errorf("%q does not match country %q", s.Sender, s.CountryCode)
			}
		case "messenger":
			if !messengerRE.MatchString(s.Sender) {
				t.Errorf("bad Messenger sender %q", s.Sender)
			}
		case "rcs":
			if !rcsRE.MatchString(s.Sender) {
				t.Errorf("bad RCS sender %q", s.Sender)
			}
		default:
			t.Errorf("unexpected sender %q", s.Sender)
		}
	}
	share := func(k string) float64 { return float64(types[k]) / n }
	if w := share("WhatsApp") + share("whatsapp"); w < 0.45 || w > 0.6 {
		t.Errorf("WhatsApp share %.2f, want about half", w)
	}
	for _, typ := range []string{"Messenger", "RCS", "Messanger", "", "whatsapp"} {
		if types[typ] == 0 {
			t.Errorf("no sender of type %q in %v", typ, types)
		}
	}
	if on := float64(statuses["ONLINE"]) / n; on < 0.7 || on > 0.9 {
		t.Errorf("ONLINE share %.2f", on)
	}
	if statuses["OFFLINE"] == 0 || len(statuses) < 4 {
		t.Errorf("statuses = %v, want some OFFLINE and a few others", statuses)
	}
	countries := map[string]bool{}
	for _, s := range got {
		countries[s.CountryCode] = true
	}
	for c := range dialCodes {
		if !countries[c] {
			t.Errorf("no sender from %s", c)
		}
	}
}

func TestDemoShape(t *testing.T) {
	f := twiliotest.Demo(twiliotest.DemoOptions{})
	e := start(t, f)
	auth := call{user: twiliotest.DemoAccountSID, pass: twiliotest.DemoAuthToken}

	c := auth
	c.target = "/v1/Services"
	services := items(t, e.must(c).okJSON(t, 200), "services")
	if len(services) != 3 {
		t.Fatalf("services = %d, want 3", len(services))
	}
	names := []string{}
	empty := 0
	attached := map[string]bool{}
	total := 0
	for _, s := range services {
		names = append(names, s["friendly_name"].(string))
		sids := f.AttachedSIDs(s["sid"].(string))
		if len(sids) == 0 {
			empty++
		}
		total += len(sids)
		for _, x := range sids {
			attached[x] = true
		}
	}
	if empty != 1 || total != 12 {
		t.Errorf("services %v: %d empty, %d senders attached; want 1 and 12", names, empty, total)
	}
	if names[0] != "Acme Notifications" || names[2] != "Sandbox (empty)" {
		t.Errorf("names = %v", names)
	}

	// The v1 lists show every oddity the UI must survive.
	types := map[any]bool{}
	longest := 0
	for _, mg := range []string{twiliotest.DemoServiceNotifications, twiliotest.DemoServiceMarketing} {
		c := auth
		c.target = "/v1/Services/" + mg + "/ChannelSenders"
		for _, s := range items(t, e.must(c).okJSON(t, 200), "senders") {
			types[s["sender_type"]] = true
			longest = max(longest, len(s["sender"].(string)))
		}
	}
	for _, want := range []any{"WhatsApp", "Messenger", "RCS", "Messanger", "whatsapp", nil} {
		if !types[want] {
			t.Errorf("no demo sender with sender_type %v", want)
		}
	}
	if longest < 60 {
		t.Errorf("longest sender is %d characters; want a long one", longest)
	}

	// The catalogue offers senders attached nowhere, of both channels and
	// mixed statuses.
	free := map[string]map[string]bool{} // channel → statuses
	for _, ch := range []string{"whatsapp", "rcs"} {
		c := auth
		c.target = "/v2/Channels/Senders?Channel=" + ch
		free[ch] = map[string]bool{}
		for _, s := range items(t, e.must(c).okJSON(t, 200), "senders") {
			if !attached[s["sid"].(string)] {
				free[ch][s["status"].(string)] = true
			}
		}
	}
	if len(free["whatsapp"]) == 0 || len(free["rcs"]) == 0 || !free["whatsapp"]["OFFLINE"] || !free["whatsapp"]["ONLINE"] {
		t.Errorf("free catalogue senders by status = %v", free)
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	body := func() string {
		e := start(t, twiliotest.Demo(twiliotest.DemoOptions{Senders: 300}))
		c := call{user: twiliotest.DemoAPIKeySID, pass: twiliotest.DemoAPIKeySecret,
			target: "/v1/Services/" + twiliotest.DemoServiceNotifications + "/ChannelSenders?PageSize=1000"}
		r := e.must(c)
		r.okJSON(t, 200)
		return strings.ReplaceAll(string(r.body), e.srv.URL, "")
	}
	if body() != body() {
		t.Error("two demo fakes list different senders")
	}
}

func TestDemoGrows(t *testing.T) {
	for _, n := range []int{13, 10000, 100000} {
		f := twiliotest.Demo(twiliotest.DemoOptions{Senders: n})
		if got := len(f.AttachedSIDs(twiliotest.DemoServiceNotifications)); got != n {
			t.Errorf("Senders=%d: first service has %d", n, got)
		}
		if got := len(f.AttachedSIDs(twiliotest.DemoServiceMarketing)); got != 5 {
			t.Errorf("Senders=%d: second service has %d", n, got)
		}
	}
	if got := len(twiliotest.Demo(twiliotest.DemoOptions{Senders: 5}).AttachedSIDs(twiliotest.DemoServiceNotifications)); got != 7 {
		t.Errorf("Senders=5 should keep the default set, first service has %d", got)
	}
}

func BenchmarkDemo100k(b *testing.B) {
	for b.Loop() {
		twiliotest.Demo(twiliotest.DemoOptions{Senders: 100000})
	}
}

// The exported demo SIDs name what the demo serves: each sits where its
// name and comment say, the attached ones in list order.
func TestDemoSIDs(t *testing.T) {
	e := start(t, twiliotest.Demo(twiliotest.DemoOptions{}))
	auth := func(target string) call {
		return call{target: target, user: twiliotest.DemoAccountSID, pass: twiliotest.DemoAuthToken}
	}
	list := func(mg string) (sids, senders []string) {
		for _, s := range items(t, e.must(auth("/v1/Services/"+mg+"/ChannelSenders")).okJSON(t, 200), "senders") {
			sids = append(sids, s["sid"].(string))
			senders = append(senders, s["sender"].(string))
		}
		return sids, senders
	}
	services := []struct {
		mg, name string
		sids     []string
		senders  []string
	}{
		{twiliotest.DemoServiceNotifications, "Acme Notifications",
			[]string{twiliotest.DemoSenderWhatsAppUS, twiliotest.DemoSenderWhatsAppGB, twiliotest.DemoSenderWhatsAppDE, twiliotest.DemoSenderMessenger,
				twiliotest.DemoSenderMessangerTypo, twiliotest.DemoSenderRCSNotifications, twiliotest.DemoSenderRCSUntyped},
			[]string{"whatsapp:+14155550100", "whatsapp:+447700900123", "whatsapp:+4915112345678", "messenger:104794531907950",
				"messenger:109876543210987", "rcs:acme_notifications_agent", "rcs:acme_alerts_agent"}},
		{twiliotest.DemoServiceMarketing, "Acme Marketing",
			[]string{twiliotest.DemoSenderWhatsAppBR, twiliotest.DemoSenderWhatsAppIN, twiliotest.DemoSenderWhatsAppES, twiliotest.DemoSenderRCSLongName, twiliotest.DemoSenderMessengerMX},
			[]string{"whatsapp:+5511987654321", "whatsapp:+919876543210", "whatsapp:+34612345678",
				"rcs:acme_marketing_seasonal_promotions_and_loyalty_rewards_agent_eu_west", "messenger:100012345678901"}},
		{twiliotest.DemoServiceSandbox, "Sandbox (empty)", nil, nil},
	}
	for _, s := range services {
		if got := e.must(auth("/v1/Services/"+s.mg)).okJSON(t, 200)["friendly_name"]; got != s.name {
			t.Errorf("%s is %v, want %q", s.mg, got, s.name)
		}
		sids, senders := list(s.mg)
		if !slices.Equal(sids, s.sids) || !slices.Equal(senders, s.senders) {
			t.Errorf("%s lists %v %v,\nwant %v %v", s.name, sids, senders, s.sids, s.senders)
		}
	}

	// The free ones are on the account (the v2 catalogue) and on no service.
	catalogue := map[string]string{} // SID → sender_id
	for _, ch := range []string{"whatsapp", "rcs"} {
		for _, s := range items(t, e.must(auth("/v2/Channels/Senders?Channel="+ch)).okJSON(t, 200), "senders") {
			catalogue[s["sid"].(string)] = s["sender_id"].(string)
		}
	}
	for sid, sender := range map[string]string{
		twiliotest.DemoFreeWhatsAppUS: "whatsapp:+14155550123",
		twiliotest.DemoFreeWhatsAppFR: "whatsapp:+33612345678",
		twiliotest.DemoFreeWhatsAppJP: "whatsapp:+819012345678",
		twiliotest.DemoFreeRCSSupport: "rcs:acme_support_agent",
		twiliotest.DemoFreeRCSBilling: "rcs:acme_billing_agent",
	} {
		if catalogue[sid] != sender {
			t.Errorf("catalogue has %s as %q, want %q", sid, catalogue[sid], sender)
		}
		for _, s := range services {
			if slices.Contains(s.sids, sid) {
				t.Errorf("%s is attached to %s", sid, s.name)
			}
		}
	}
	if _, ok := catalogue[twiliotest.DemoUnknownSender]; ok {
		t.Errorf("DemoUnknownSender is on the account")
	}
	unknown := attachTo(twiliotest.DemoServiceNotifications, twiliotest.DemoUnknownSender)
	unknown.user, unknown.pass = twiliotest.DemoAccountSID, twiliotest.DemoAuthToken
	e.must(unknown).twilioError(t, 404, twiliotest.CodeNotFound)
}
