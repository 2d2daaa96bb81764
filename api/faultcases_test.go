package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/api/twiliotest/apitest"
)

// A hung request is ended by a per-request deadline. Only hangs get one:
// there it is always reached, so a slow machine cannot fail the test,
// while elsewhere it could cut a slow but good reply. Two attempts keep
// the waiting short; other cases get the default four.
const (
	hangTimeout  = 500 * time.Millisecond
	hangAttempts = 2
)

// faultOp is an operation of the client on the demo data, as the fault
// matrices drive it.
type faultOp struct {
	route twiliotest.Route
	call  func(context.Context, *api.Client) error
}

func faultOps() []faultOp {
	const mg = twiliotest.DemoServiceNotifications
	return []faultOp{
		{twiliotest.RouteListServices, func(ctx context.Context, c *api.Client) error { _, err := c.ListServices(ctx); return err }},
		{twiliotest.RouteFetchService, func(ctx context.Context, c *api.Client) error { _, err := c.FetchService(ctx, mg); return err }},
		{twiliotest.RouteListChannelSenders, func(ctx context.Context, c *api.Client) error { _, err := c.ListChannelSenders(ctx, mg); return err }},
		{twiliotest.RouteFetchChannelSender, func(ctx context.Context, c *api.Client) error {
			_, err := c.FetchChannelSender(ctx, mg, twiliotest.DemoSenderWhatsAppUS)
			return err
		}},
		{twiliotest.RouteCreateChannelSender, func(ctx context.Context, c *api.Client) error {
			_, err := c.CreateChannelSender(ctx, mg, twiliotest.DemoFreeWhatsAppUS)
			return err
		}},
		{twiliotest.RouteDeleteChannelSender, func(ctx context.Context, c *api.Client) error {
			return c.DeleteChannelSender(ctx, mg, twiliotest.DemoSenderWhatsAppUS)
		}},
		{twiliotest.RouteListAccountSenders, func(ctx context.Context, c *api.Client) error {
			_, err := c.ListAccountSenders(ctx, api.ChannelWhatsApp)
			return err
		}},
	}
}

// The fault cases the dashboard and the subcommands share hold for the
// client itself, with its default retry policy (waits recorded, not
// slept; hangs aside): which calls fail, how many requests reach the server, whether
// an attach or detach took effect, and the words of the error.
func TestFaultCasesAgainstTheClient(t *testing.T) {
	for _, fc := range twiliotest.FaultCases() {
		for _, op := range faultOps() {
			t.Run(fc.Name+"/"+string(op.route), func(t *testing.T) {
				t.Parallel()
				srv := twiliotest.Serve(t, twiliotest.Demo(twiliotest.DemoOptions{}))
				fake := srv.Fake()
				cfg := api.Config{HTTPClient: &http.Client{Transport: &http.Transport{}}}
				if fc.Fault.Kind == twiliotest.FaultHang {
					cfg.HTTPClient.Timeout, cfg.Retry.MaxAttempts = hangTimeout, hangAttempts
				}
				c := apitest.Client(t, srv, cfg)
				w := &waits{}
				api.SetWait(c, w.wait)
				fake.AddFault(op.route, fc.Fault)

				err := op.call(t.Context(), c)
				if breaks := fc.Breaks(op.route); (err != nil) != breaks {
					t.Fatalf("err = %v; the case says it breaks: %v", err, breaks)
				}
				checkFaultRequests(t, fc, op, fake.Requests(op.route))
				checkFaultEffect(t, fc, op, fake)
				if err == nil {
					return
				}
				msg := strings.ToLower(err.Error())
				words := fc.Words
				if op.route == twiliotest.RouteCreateChannelSender && fc.AttachWords != nil {
					words = fc.AttachWords
				}
				for _, word := range words {
					if !strings.Contains(msg, strings.ToLower(word)) {
						t.Errorf("the error lacks %q: %v", word, err)
					}
				}
				// No whole answer to a POST: only the error can say it may have attached.
				if op.route == twiliotest.RouteCreateChannelSender && fc.Retry == twiliotest.RetryIdempotent && !strings.Contains(msg, "taken effect") {
					t.Errorf("a written attach left without its answer does not say it may have taken effect: %v", err)
				}
				if fc.Fault.Kind == twiliotest.FaultHang && !api.IsTimeout(err) {
					t.Errorf("a hang ended by a timeout is not a timeout: %v", err)
				}
				noSecret(t, err.Error())
			})
		}
	}
}

// checkFaultRequests: retried only where the case says it is safe.
func checkFaultRequests(t *testing.T, fc twiliotest.FaultCase, op faultOp, got int) {
	t.Helper()
	attempts := 4 // the default RetryPolicy
	if fc.Fault.Kind == twiliotest.FaultHang {
		attempts = hangAttempts
	}
	want, atLeast := 1, false
	switch {
	case fc.Recovers:
		want = 2
	case !fc.Breaks(op.route):
	case fc.Retry == twiliotest.RetryAlways:
		want = attempts
	case fc.Retry == twiliotest.RetryIdempotent && op.route != twiliotest.RouteCreateChannelSender:
		// net/http may itself resend a request whose connection dropped.
		want, atLeast = attempts, fc.Fault.Kind == twiliotest.FaultDrop
	}
	if got != want && !(atLeast && got > want) {
		t.Errorf("%d requests reached the server, want %d (retry %v, at least: %v)", got, want, fc.Retry, atLeast)
	}
}

// checkFaultEffect: an attach or detach took effect exactly when the fake
// carried it out or a retry got through.
func checkFaultEffect(t *testing.T, fc twiliotest.FaultCase, op faultOp, fake *twiliotest.Fake) {
	t.Helper()
	attached := fake.AttachedSIDs(twiliotest.DemoServiceNotifications)
	var changed bool
	switch op.route {
	case twiliotest.RouteCreateChannelSender:
		changed = slices.Contains(attached, twiliotest.DemoFreeWhatsAppUS)
	case twiliotest.RouteDeleteChannelSender:
		changed = !slices.Contains(attached, twiliotest.DemoSenderWhatsAppUS)
	default:
		return
	}
	if want := fc.Applied || fc.Recovers; changed != want {
		t.Errorf("the change was made: %v, want %v (applied %v, recovers %v)", changed, want, fc.Applied, fc.Recovers)
	}
}

// A case's RealAttach meets its status without the fault, with the words
// the case names.
func TestFaultCasesRealAttach(t *testing.T) {
	_, c := apitest.Demo(t, twiliotest.DemoOptions{}, api.Config{Retry: api.RetryPolicy{MaxAttempts: 1}})
	for _, fc := range twiliotest.FaultCases() {
		if fc.RealAttach == "" {
			continue
		}
		t.Run(fc.Name, func(t *testing.T) {
			_, err := c.CreateChannelSender(t.Context(), twiliotest.DemoServiceNotifications, fc.RealAttach)
			apiErr, ok := api.AsError(err)
			if !ok || apiErr.Status != fc.Fault.Status || apiErr.Code != fc.Fault.Code {
				t.Fatalf("err = %v, want HTTP %d, Twilio error %d", err, fc.Fault.Status, fc.Fault.Code)
			}
			for _, word := range fc.RealAttachWords {
				if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(word)) {
					t.Errorf("the error lacks %q: %v", word, err)
				}
			}
		})
	}
}
