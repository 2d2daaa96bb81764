package change_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/api/twiliotest"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/bulk"
	"github.com/senderpool/senderpool/change"
)

// fastBatch shortens the batches' pauses and gives a throttled job room
// for many attempts: a test waits on no real backoff.
var fastBatch = bulk.Options{BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond, MaxAttempts: 1000}

func channelPool(t testing.TB, e *env, svc string) []api.PoolSender {
	t.Helper()
	senders, err := e.raw.ListChannelSenders(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]api.PoolSender, len(senders))
	for i, s := range senders {
		out[i] = s.PoolSender()
	}
	return out
}

// once closes a channel the first time a progress snapshot shows a 429.
func throttleSeen() (func(bulk.Progress), <-chan struct{}) {
	ch := make(chan struct{})
	var once sync.Once
	return func(p bulk.Progress) {
		if p.Throttles > 0 {
			once.Do(func() { close(ch) })
		}
	}, ch
}

// 40 detaches on an account that takes 2 requests at once: two are held
// in flight, the others meet 429s, every 429 reaches the batch (none is
// retried by the client on its own), and the batch still detaches all.
func TestDetachManyThrottled(t *testing.T) {
	e := newEnv(t, twiliotest.DemoOptions{Senders: 40}, change.Options{Concurrency: 4})
	change.SetBatchOptions(e.c, fastBatch)
	pool := channelPool(t, e, notif)
	if _, err := e.c.FetchService(t.Context(), notif); err != nil { // the name, before the limit
		t.Fatal(err)
	}
	e.fake.SetConcurrency(twiliotest.ConcurrencyLimit{MaxInFlight: 2})
	gate := e.fake.Hold(twiliotest.RouteDeleteChannelSender)
	progress, throttled := throttleSeen()
	done := make(chan bulk.Report[api.PoolSender])
	go func() { done <- e.c.DetachMany(context.Background(), notif, pool, progress) }()
	if err := gate.WaitHeld(t.Context(), 2); err != nil {
		t.Fatal(err)
	}
	<-throttled
	gate.Open()
	r := <-done
	if r.OK != len(pool) || r.Failed != 0 {
		t.Fatalf("%d detached, %d failed: %v", r.OK, r.Failed, r.FailedItems())
	}
	if r.Throttles == 0 || r.Throttles != e.fake.Throttled() {
		t.Errorf("the batch met %d 429s, the fake sent %d", r.Throttles, e.fake.Throttled())
	}
	if peak := e.fake.PeakInFlight(); peak > 4 {
		t.Errorf("peak in flight %d > 4", peak)
	}
	if left := e.fake.AttachedSIDs(notif); len(left) != 0 {
		t.Errorf("left in the service: %v", left)
	}
	// Every attempt is audited: the 429s as failures, then the successes.
	ok, refused := 0, 0
	for _, ch := range audit.Changes(e.entries(t)) {
		switch {
		case ch.Outcome == nil:
			t.Errorf("change %s has no outcome", ch.ID)
		case ch.Outcome.Outcome == audit.OutcomeOK:
			ok++
		case ch.Outcome.ErrorCode == twiliotest.CodeTooManyRequests:
			refused++
		}
	}
	if ok != len(pool) || refused != r.Throttles {
		t.Errorf("audited %d ok and %d refused, want %d and %d", ok, refused, len(pool), r.Throttles)
	}
}

// The batch keeps at most Concurrency requests in flight.
func TestDetachManyConcurrency(t *testing.T) {
	e := newEnv(t, twiliotest.DemoOptions{Senders: 40}, change.Options{Concurrency: 3})
	pool := channelPool(t, e, notif)
	gate := e.fake.Hold(twiliotest.RouteDeleteChannelSender)
	done := make(chan bulk.Report[api.PoolSender])
	go func() { done <- e.c.DetachMany(context.Background(), notif, pool, nil) }()
	if err := gate.WaitHeld(t.Context(), 3); err != nil {
		t.Fatal(err)
	}
	gate.Open()
	if r := <-done; r.OK != len(pool) {
		t.Fatalf("%d of %d detached", r.OK, len(pool))
	}
	if peak := e.fake.PeakInFlight(); peak != 3 {
		t.Errorf("peak in flight %d, want 3", peak)
	}
}

// AttachMany and MoveMany say per sender what happened, and what to retry.
func TestAttachAndMoveMany(t *testing.T) {
	e := newEnv(t, twiliotest.DemoOptions{}, change.Options{})
	change.SetBatchOptions(e.c, fastBatch)
	inputs := []api.SenderInput{
		{Kind: api.KindPhoneNumber, Address: "+14155550177"},
		{Kind: api.KindChannelSender, SID: twiliotest.DemoFreeWhatsAppJP},
		{Kind: api.KindPhoneNumber, SID: twiliotest.DemoFreeNumberVoiceOnly}, // 21715
		{Kind: api.KindAlpha, Address: "Acme", Country: "FR"},
	}
	r := e.c.AttachMany(t.Context(), sandbox, inputs, nil)
	if r.OK != 3 || r.Failed != 1 || !api.IsCode(r.Results[2].Err, api.CodeNotSMSCapable) {
		t.Fatalf("report %+v", r)
	}
	if failed := r.FailedItems(); len(failed) != 1 || failed[0].Input != inputs[2] {
		t.Errorf("failed %+v", failed)
	}
	var moving []api.PoolSender
	for _, res := range r.Results {
		if res.Outcome == bulk.OK {
			if res.Item.Sender.ServiceSID != sandbox {
				t.Errorf("attached %+v", res.Item.Sender)
			}
			moving = append(moving, res.Item.Sender)
		}
	}
	// One attach to the target fails: that sender is rolled back.
	e.fake.AddSharedFault(twiliotest.Fault{Kind: twiliotest.FaultStatus, Status: 500, Service: mkt, Skip: 1}, twiliotest.AttachRoutes()...)
	m := e.c.MoveMany(t.Context(), sandbox, mkt, moving, nil)
	if m.OK != 2 || m.Failed != 1 {
		t.Fatalf("moves %+v", m)
	}
	for _, res := range m.Results {
		var me *change.MoveError
		switch {
		case res.Outcome == bulk.OK && res.Item.Moved.ServiceSID != mkt:
			t.Errorf("moved %+v", res.Item.Moved)
		case res.Outcome == bulk.Failed && (!errors.As(res.Err, &me) || me.Where != change.InFrom):
			t.Errorf("failed move %v", res.Err)
		case res.Outcome == bulk.Failed && !e.has(t, sandbox, res.Item.Sender):
			t.Errorf("%s not rolled back", res.Item.Sender.SID)
		}
	}
	if pending, _, _ := e.c.PendingMoves(t.Context()); len(pending) != 0 {
		t.Errorf("pending %+v", pending)
	}
}
