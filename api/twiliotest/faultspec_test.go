package twiliotest

import "testing"

func TestParseFaults(t *testing.T) {
	got, err := ParseFaults(" attach=409, detach=500*2,services=html*, list=hang ")
	if err != nil {
		t.Fatal(err)
	}
	want := map[Route]Fault{
		RouteCreateChannelSender: {Kind: FaultStatus, Status: 409},
		RouteDeleteChannelSender: {Kind: FaultStatus, Status: 500, Times: 2},
		RouteListServices:        {Kind: FaultHTML, Times: -1},
		RouteListChannelSenders:  {Kind: FaultHang},
	}
	for r, f := range want {
		if len(got[r]) != 1 || got[r][0] != f {
			t.Errorf("%s: %+v, want %+v", r, got[r], f)
		}
	}
	for _, bad := range []string{"attach", "nope=500", "attach=200", "attach=teapot", "attach=500*0", "attach=500*x"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
