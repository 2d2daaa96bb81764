package change_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// A move detaches, then attaches; it is journaled to its end and audited
// as one move entry with its detach and attach sharing its ID.
func TestMove(t *testing.T) {
	for _, k := range moveKinds {
		t.Run(k.name, func(t *testing.T) {
			e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
			p := e.member(t, k.from, k.sid)
			moved, err := e.c.MovePoolSender(t.Context(), k.from, k.to, p)
			if err != nil {
				t.Fatal(err)
			}
			if !e.has(t, k.to, p) || e.has(t, k.from, p) || moved.ServiceSID != k.to {
				t.Fatalf("after the move: in %s %v, in %s %v, moved %+v", k.from, e.has(t, k.from, p), k.to, e.has(t, k.to, p), moved)
			}
			if pending, _, err := e.c.PendingMoves(t.Context()); err != nil || len(pending) != 0 {
				t.Fatalf("pending %v, %v", pending, err)
			}
			entries := e.entries(t)
			id := moveOf(t, entries)
			got := byMove(entries, id)
			if len(got[audit.ActionMove]) != 2 || len(got[audit.ActionDetach]) != 2 || len(got[audit.ActionAttach]) != 2 {
				t.Fatalf("entries of the move: %+v", got)
			}
			for _, ch := range audit.Changes(entries) {
				if ch.Intent == nil || ch.Outcome == nil || ch.Outcome.Outcome != audit.OutcomeOK {
					t.Errorf("change %s: %+v %+v", ch.ID, ch.Intent, ch.Outcome)
				}
			}
			if mv := got[audit.ActionMove][0]; mv.Change != id || mv.Service.SID != k.from || mv.To == nil || mv.To.SID != k.to || mv.To.Name != "Sandbox (empty)" {
				t.Errorf("move entry %+v", mv)
			}
			if d := got[audit.ActionDetach][1]; d.Service.SID != k.from || d.RequestID != e.lastID(t, http.MethodDelete) {
				t.Errorf("detach entry %+v", d)
			}
			if a := got[audit.ActionAttach][1]; a.Service.SID != k.to || a.RequestID != e.lastID(t, http.MethodPost) || a.Sender.SID != moved.SID {
				t.Errorf("attach entry %+v", a)
			}
		})
	}
}

// An attach that fails puts the sender back where it was, and the error
// says so; a rollback that fails too leaves the move pending, and
// RollBackMove ends it.
func TestMoveAttachFails(t *testing.T) {
	for _, k := range moveKinds {
		t.Run(k.name, func(t *testing.T) {
			e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
			p := e.member(t, k.from, k.sid)
			e.fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: k.to}, twiliotest.AttachRoutes()...)
			_, err := e.c.MovePoolSender(t.Context(), k.from, k.to, p)
			var me *change.MoveError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want a *MoveError", err)
			}
			if me.Where != change.InFrom || me.Step != journal.StepRolledBack || me.RollbackErr != nil || me.Sender.SID != p.SID {
				t.Errorf("move error %+v", me)
			}
			if apiErr, ok := api.AsError(me.AttachErr); !ok || apiErr.Status != 500 {
				t.Errorf("attach error %v", me.AttachErr)
			}
			if apiErr, ok := api.AsError(err); !ok || apiErr.Status != 500 {
				t.Errorf("errors.As through the move error: %v", err)
			}
			if !e.has(t, k.from, p) || e.has(t, k.to, p) {
				t.Errorf("after the rollback: in from %v, in to %v", e.has(t, k.from, p), e.has(t, k.to, p))
			}
			if pending, _, _ := e.c.PendingMoves(t.Context()); len(pending) != 0 {
				t.Errorf("pending %+v", pending)
			}
			got := byMove(e.entries(t), me.Move)
			if out := got[audit.ActionMove]; len(out) != 2 || out[1].Outcome != audit.OutcomeFailed {
				t.Errorf("move entries %+v", out)
			}
			if at := got[audit.ActionAttach]; len(at) != 4 || at[1].Outcome != audit.OutcomeFailed || at[1].ErrorCode != 20500 ||
				at[3].Outcome != audit.OutcomeOK || at[3].Service.SID != k.from {
				t.Errorf("attach entries %+v", at)
			}
		})
	}
	for _, k := range moveKinds {
		t.Run(k.name+", rollback fails too", func(t *testing.T) {
			e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
			p := e.member(t, k.from, k.sid)
			e.fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: k.to}, twiliotest.AttachRoutes()...)
			e.fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: k.from}, twiliotest.AttachRoutes()...)
			_, err := e.c.MovePoolSender(t.Context(), k.from, k.to, p)
			var me *change.MoveError
			if !errors.As(err, &me) || me.Where != change.InNoService || me.RollbackErr == nil || me.Step != journal.StepRollingBack {
				t.Fatalf("err = %v (%+v)", err, me)
			}
			if e.has(t, k.from, p) || e.has(t, k.to, p) {
				t.Fatal("the sender is in a service")
			}
			pending, _, err := e.c.PendingMoves(t.Context())
			if err != nil || len(pending) != 1 || pending[0].ID != me.Move || pending[0].Step != journal.StepRollingBack ||
				pending[0].Failure == nil || pending[0].Failure.Code != 20500 {
				t.Fatalf("pending %+v, %v", pending, err)
			}
			back, err := e.c.RollBackMove(t.Context(), me.Move)
			if err != nil {
				t.Fatal(err)
			}
			if !e.has(t, k.from, p) || back.ServiceSID != k.from {
				t.Errorf("not back in from: %+v", back)
			}
			if pending, _, _ := e.c.PendingMoves(t.Context()); len(pending) != 0 {
				t.Errorf("pending %+v", pending)
			}
		})
	}
}
