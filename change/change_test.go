package change_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/change"
)

// The client still answers every read the dashboard needs.
var _ interface {
	ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error
	FetchService(ctx context.Context, serviceSID string) (*api.Service, error)
	ListSourcePages(ctx context.Context, serviceSID string, src api.PoolSource, fn func(page []api.PoolSender) error) error
	AttachPoolSender(ctx context.Context, serviceSID string, in api.SenderInput) (api.PoolSender, error)
	DetachPoolSender(ctx context.Context, serviceSID string, p api.PoolSender) error
	ListAccountSenders(ctx context.Context, channel string) ([]api.AccountSender, error)
	ListIncomingPhoneNumbersPages(ctx context.Context, fn func(page []api.IncomingPhoneNumber) error) error
	ListAccountShortCodesPages(ctx context.Context, fn func(page []api.AccountShortCode) error) error
	UpdateService(ctx context.Context, serviceSID string, u api.ServiceUpdate) (*api.Service, error)
	ServiceA2PCampaign(ctx context.Context, serviceSID string) (*api.A2PCampaign, error)
} = (*change.Client)(nil)

func ptr[T any](v T) *T { return &v }

// Every change is an intent before its request and an outcome after it,
// naming the service, with Twilio's code and the request id of the
// answer to the change's own POST or DELETE (not of a lookup before it).
func TestAudited(t *testing.T) {
	cases := []struct {
		name    string
		fault   func(f *twiliotest.Fake)
		do      func(ctx context.Context, e *env) error
		service string
		svcName string
		action  audit.Action
		changes int // audit changes made
		method  string
		outcome audit.Outcome
		code    int
		status  int
		sid     string // the sender the outcome names
	}{
		{
			name: "attach by number", service: sandbox, svcName: "Sandbox (empty)", action: audit.ActionAttach, changes: 1,
			method: http.MethodPost, outcome: audit.OutcomeOK, status: http.StatusCreated, sid: twiliotest.DemoFreeNumberUS,
			do: func(ctx context.Context, e *env) error {
				_, err := e.c.AttachPoolSender(ctx, sandbox, api.SenderInput{Kind: api.KindPhoneNumber, Address: "+14155550177"})
				return err
			},
		},
		{
			name: "attach refused", service: sandbox, svcName: "Sandbox (empty)", action: audit.ActionAttach, changes: 1,
			method: http.MethodPost, outcome: audit.OutcomeFailed, code: api.CodeNotSMSCapable, status: http.StatusBadRequest,
			sid: twiliotest.DemoFreeNumberVoiceOnly,
			do: func(ctx context.Context, e *env) error {
				_, err := e.c.AttachPoolSender(ctx, sandbox, api.SenderInput{Kind: api.KindPhoneNumber, SID: twiliotest.DemoFreeNumberVoiceOnly})
				return err
			},
		},
		{
			name: "attach alpha", service: sandbox, svcName: "Sandbox (empty)", action: audit.ActionAttach, changes: 1,
			method: http.MethodPost, outcome: audit.OutcomeOK, status: http.StatusCreated,
			do: func(ctx context.Context, e *env) error {
				_, err := e.c.AttachPoolSender(ctx, sandbox, api.SenderInput{Kind: api.KindAlpha, Address: "Acme", Country: "FR"})
				return err
			},
		},
		{
			name: "detach", service: notif, svcName: "Acme Notifications", action: audit.ActionDetach, changes: 1,
			method: http.MethodDelete, outcome: audit.OutcomeOK, status: http.StatusNoContent, sid: twiliotest.DemoSenderWhatsAppUS,
			do: func(ctx context.Context, e *env) error {
				return e.c.DetachPoolSender(ctx, notif, e.member(t, notif, twiliotest.DemoSenderWhatsAppUS))
			},
		},
		{
			name: "detach fails", service: notif, svcName: "Acme Notifications", action: audit.ActionDetach, changes: 1,
			method: http.MethodDelete, outcome: audit.OutcomeFailed, code: 20500, status: http.StatusInternalServerError,
			sid: twiliotest.DemoNumberTollFree,
			fault: func(f *twiliotest.Fake) {
				f.AddFault(twiliotest.RouteDeletePhoneNumber, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500})
			},
			do: func(ctx context.Context, e *env) error {
				return e.c.DetachPoolSender(ctx, notif, e.member(t, notif, twiliotest.DemoNumberTollFree))
			},
		},
		{
			name: "update", service: mkt, svcName: "Acme Marketing", action: audit.ActionSetting, changes: 2,
			method: http.MethodPost, outcome: audit.OutcomeOK, status: http.StatusOK,
			do: func(ctx context.Context, e *env) error {
				_, err := e.c.UpdateService(ctx, mkt, api.ServiceUpdate{StickySender: ptr(true), ValidityPeriod: ptr(600)})
				return err
			},
		},
		{
			name: "update fails", service: mkt, svcName: "Acme Marketing", action: audit.ActionSetting, changes: 1,
			method: http.MethodPost, outcome: audit.OutcomeFailed, code: 20400, status: http.StatusBadRequest,
			fault: func(f *twiliotest.Fake) {
				f.AddFault(twiliotest.RouteUpdateService, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 400, Message: "Bad setting"})
			},
			do: func(ctx context.Context, e *env) error {
				_, err := e.c.UpdateService(ctx, mkt, api.ServiceUpdate{AreaCodeGeomatch: ptr(false)})
				return err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
			if tc.fault != nil {
				tc.fault(e.fake)
			}
			err := tc.do(t.Context(), e)
			if (err != nil) != (tc.outcome == audit.OutcomeFailed) {
				t.Fatalf("err = %v, want outcome %s", err, tc.outcome)
			}
			if err != nil {
				apiErr, ok := api.AsError(err)
				if !ok || apiErr.Code != tc.code {
					t.Fatalf("err = %v, want the API's error %d", err, tc.code)
				}
			}
			id := e.lastID(t, tc.method)
			changes := audit.Changes(e.entries(t))
			if len(changes) != tc.changes {
				t.Fatalf("%d changes recorded, want %d: %+v", len(changes), tc.changes, changes)
			}
			for _, ch := range changes {
				in, out := ch.Intent, ch.Outcome
				if in == nil || out == nil || !in.Time.Before(out.Time) && !in.Time.Equal(out.Time) {
					t.Fatalf("change %s: intent %+v, outcome %+v", ch.ID, in, out)
				}
				if in.Action != tc.action || in.Service.SID != tc.service || in.Service.Name != tc.svcName ||
					in.Account != twiliotest.DemoAccountSID || in.Profile != "test" || in.RequestID != "" {
					t.Errorf("intent %+v", in)
				}
				if out.Outcome != tc.outcome || out.ErrorCode != tc.code || out.Status != tc.status || out.RequestID != id {
					t.Errorf("outcome %s code %d status %d request %s; want %s %d %d %s",
						out.Outcome, out.ErrorCode, out.Status, out.RequestID, tc.outcome, tc.code, tc.status, id)
				}
				if tc.outcome == audit.OutcomeFailed && out.Error == "" {
					t.Error("a failed outcome without Twilio's message")
				}
				if tc.sid != "" && (out.Sender == nil || out.Sender.SID != tc.sid) {
					t.Errorf("outcome names sender %+v, want %s", out.Sender, tc.sid)
				}
				if strings.Contains(in.Command+out.Command+out.Error, twiliotest.DemoAuthToken) {
					t.Error("a secret in the audit log")
				}
			}
		})
	}
}

// A change whose intent cannot be written is refused: nothing is sent.
func TestRefusedAuditSendsNothing(t *testing.T) {
	dir := t.TempDir()
	// The state dir is a file: every append fails.
	if err := os.WriteFile(filepath.Join(dir, "state"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(audit.Options{Dir: filepath.Join(dir, "state")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		do   func(ctx context.Context, e *env) error
	}{
		{"attach", func(ctx context.Context, e *env) error {
			_, err := e.c.AttachPoolSender(ctx, sandbox, api.SenderInput{Kind: api.KindPhoneNumber, Address: "+14155550177"})
			return err
		}},
		{"detach", func(ctx context.Context, e *env) error {
			return e.c.DetachPoolSender(ctx, notif, e.member(t, notif, twiliotest.DemoSenderWhatsAppUS))
		}},
		{"update", func(ctx context.Context, e *env) error {
			_, err := e.c.UpdateService(ctx, mkt, api.ServiceUpdate{StickySender: ptr(true)})
			return err
		}},
		{"move", func(ctx context.Context, e *env) error {
			_, err := e.c.MovePoolSender(ctx, notif, sandbox, e.member(t, notif, twiliotest.DemoSenderWhatsAppUS))
			return err
		}},
		{"detach many", func(ctx context.Context, e *env) error {
			r := e.c.DetachMany(ctx, notif, []api.PoolSender{e.member(t, notif, twiliotest.DemoSenderWhatsAppUS)}, nil)
			return errors.Join(r.Results[0].Err)
		}},
	}
	noStateDir := errors.New("no state dir")
	for _, tc := range cases {
		for _, opts := range []struct {
			name string
			opts change.Options
		}{
			{"log refuses", change.Options{Audit: log}},
			{"no log to keep", change.Options{AuditErr: noStateDir}},
		} {
			t.Run(tc.name+"/"+opts.name, func(t *testing.T) {
				e := newEnv(t, twiliotest.DemoOptions{}, opts.opts)
				err := tc.do(t.Context(), e)
				if !errors.Is(err, change.ErrNotAudited) {
					t.Fatalf("err = %v, want ErrNotAudited", err)
				}
				if opts.opts.AuditErr != nil && !errors.Is(err, noStateDir) {
					t.Errorf("err = %v does not say why", err)
				}
				if n := e.sends(); n != 0 {
					t.Errorf("%d changes sent", n)
				}
				if moves, _, err := e.c.PendingMoves(t.Context()); err != nil || len(moves) != 0 {
					t.Errorf("pending moves %v, %v", moves, err)
				}
			})
		}
	}
}

// Names come from the services the client has seen, else one fetch; a
// failed fetch leaves the name empty and never stops the change.
func TestServiceNames(t *testing.T) {
	e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
	if _, err := e.c.ListServices(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.fake.AddFault(twiliotest.RouteFetchService, twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Times: -1})
	if err := e.c.DetachPoolSender(t.Context(), notif, e.member(t, notif, twiliotest.DemoSenderWhatsAppUS)); err != nil {
		t.Fatal(err)
	}
	if n := e.fake.Requests(twiliotest.RouteFetchService); n != 0 {
		t.Errorf("%d fetches of a service already listed", n)
	}
	// A client that has seen nothing fetches, fails, and goes on.
	e2 := change.New(e.raw, change.Options{Audit: e.log})
	if err := e2.DetachPoolSender(t.Context(), notif, e.member(t, notif, twiliotest.DemoSenderWhatsAppGB)); err != nil {
		t.Fatal(err)
	}
	entries := e.entries(t)
	if got := entries[0].Service.Name; got != "Acme Notifications" {
		t.Errorf("first name %q", got)
	}
	if got := entries[len(entries)-1].Service.Name; got != "" {
		t.Errorf("name after a failed fetch %q", got)
	}
}

func TestNoJournal(t *testing.T) {
	e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
	c := change.New(e.raw, change.Options{})
	_, err := c.MovePoolSender(t.Context(), notif, sandbox, e.member(t, notif, twiliotest.DemoSenderWhatsAppUS))
	if !errors.Is(err, change.ErrNoJournal) {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := c.PendingMoves(t.Context()); !errors.Is(err, change.ErrNoJournal) {
		t.Fatalf("err = %v", err)
	}
	if e.sends() != 0 {
		t.Error("a move without a journal sent something")
	}
}
