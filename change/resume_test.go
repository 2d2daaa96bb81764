package change_test

import (
	"context"
	"testing"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
)

// place is where a test puts the sender of a move cut off.
type place int

const (
	inA place = iota
	nowhere
	inB
)

// A move cut off after each step, its request sent or not (the journal
// written to that step, the fake arranged to match), is found by
// PendingMoves, and FinishMove or RollBackMove sends only what is
// missing: a move that in fact completed (or never left) sends nothing.
func TestResume(t *testing.T) {
	cases := []struct {
		step   journal.Step
		where  place
		finish int // requests FinishMove sends
		back   int // requests RollBackMove sends
	}{
		{journal.StepStarted, inA, 2, 0},         // the detach never reached Twilio
		{journal.StepStarted, nowhere, 1, 1},     // the detach did, its answer lost
		{journal.StepDetached, nowhere, 1, 1},    // the attach never reached Twilio
		{journal.StepDetached, inB, 0, 2},        // the attach did: the move completed
		{journal.StepRollingBack, nowhere, 1, 1}, // the re-attach never reached Twilio
		{journal.StepRollingBack, inA, 2, 0},     // the re-attach did: rolled back
	}
	kinds := []moveKind{moveKinds[0], moveKinds[1], moveKinds[4]} // a channel sender, a number, a per-country alpha sender
	for _, k := range kinds {
		for _, tc := range cases {
			for _, finish := range []bool{true, false} {
				name := k.name + "/" + string(tc.step) + "/" + [...]string{"in A", "nowhere", "in B"}[tc.where]
				if finish {
					name += "/finish"
				} else {
					name += "/roll back"
				}
				t.Run(name, func(t *testing.T) {
					e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
					ctx := t.Context()
					p := e.member(t, k.from, k.sid)
					id := cutOff(t, e, k, p, tc.step, tc.where)
					pending, _, err := e.c.PendingMoves(ctx)
					if err != nil || len(pending) != 1 || pending[0].ID != id || pending[0].Step != tc.step {
						t.Fatalf("pending %+v, %v", pending, err)
					}
					before := e.sends()
					want, wantIn, notIn := tc.finish, k.to, k.from
					var got api.PoolSender
					if finish {
						got, err = e.c.FinishMove(ctx, id)
					} else {
						want, wantIn, notIn = tc.back, k.from, k.to
						got, err = e.c.RollBackMove(ctx, id)
					}
					if err != nil {
						t.Fatal(err)
					}
					if n := e.sends() - before; n != want {
						t.Errorf("%d requests sent, want %d", n, want)
					}
					if !e.has(t, wantIn, p) || e.has(t, notIn, p) || got.ServiceSID != wantIn {
						t.Errorf("in %s %v, in %s %v, returned %+v", wantIn, e.has(t, wantIn, p), notIn, e.has(t, notIn, p), got)
					}
					if pending, _, _ := e.c.PendingMoves(ctx); len(pending) != 0 {
						t.Errorf("still pending: %+v", pending)
					}
					// The move's change has its outcome now, and every
					// request sent is audited under the move.
					entries := e.entries(t)
					var outcome *audit.Entry
					requests := 0
					for i, en := range entries {
						if en.Change == id && en.Phase == audit.PhaseOutcome {
							outcome = &entries[i]
						}
						if en.Move == id && en.Action != audit.ActionMove && en.Phase == audit.PhaseOutcome {
							requests++
						}
					}
					wantOutcome := audit.OutcomeOK
					if !finish {
						wantOutcome = audit.OutcomeFailed
					}
					if outcome == nil || outcome.Outcome != wantOutcome || outcome.To == nil || outcome.To.SID != k.to {
						t.Errorf("the move's outcome %+v", outcome)
					}
					if requests != want {
						t.Errorf("%d requests audited under the move, want %d", requests, want)
					}
					// Done is done: a second call finds nothing to resume.
					if _, err := e.c.FinishMove(ctx, id); err == nil {
						t.Error("a finished move resumed twice")
					}
				})
			}
		}
	}
}

// cutOff journals a move of p up to step and puts p where: what a kill
// right after writing that step (or right after its request) leaves.
func cutOff(t *testing.T, e *env, k moveKind, p api.PoolSender, step journal.Step, where place) string {
	t.Helper()
	ctx := context.Background()
	id := journal.NewID()
	err := e.journal.Begin(ctx, journal.MoveEntry{
		ID: id, Account: twiliotest.DemoAccountSID, From: k.from, To: k.to,
		Sender: journal.Sender{SID: p.SID, Kind: p.Kind, Text: p.Address, Country: p.DestinationCountry},
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := map[journal.Step][]journal.Step{
		journal.StepStarted:     nil,
		journal.StepDetached:    {journal.StepDetached},
		journal.StepRollingBack: {journal.StepDetached, journal.StepRollingBack},
	}[step]
	for _, s := range steps {
		if err := e.journal.Step(ctx, id, s); err != nil {
			t.Fatal(err)
		}
	}
	in, err := change.InputOf(p)
	if err != nil {
		t.Fatal(err)
	}
	switch where {
	case nowhere:
		if err := e.raw.DetachPoolSender(ctx, k.from, p); err != nil {
			t.Fatal(err)
		}
	case inB:
		if err := e.raw.DetachPoolSender(ctx, k.from, p); err != nil {
			t.Fatal(err)
		}
		if _, err := e.raw.AttachPoolSender(ctx, k.to, in); err != nil {
			t.Fatal(err)
		}
	case inA:
		if step == journal.StepRollingBack { // it left, and came back with a new attach
			if err := e.raw.DetachPoolSender(ctx, k.from, p); err != nil {
				t.Fatal(err)
			}
			if _, err := e.raw.AttachPoolSender(ctx, k.from, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	return id
}

// Moves of other accounts are left to their own profiles.
func TestPendingMovesOfOtherAccounts(t *testing.T) {
	e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
	err := e.journal.Begin(t.Context(), journal.MoveEntry{
		ID: journal.NewID(), Account: "AC00000000000000000000000000000001", From: notif, To: sandbox,
		Sender: journal.Sender{SID: twiliotest.DemoSenderWhatsAppUS},
	})
	if err != nil {
		t.Fatal(err)
	}
	moves, notes, err := e.c.PendingMoves(t.Context())
	if err != nil || len(moves) != 0 || len(notes) != 1 {
		t.Fatalf("moves %v, notes %q, %v", moves, notes, err)
	}
}
