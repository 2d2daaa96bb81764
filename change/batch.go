package change

import (
	"context"
	"errors"
	"time"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
)

// The batches run on bulk.Run with the Client's Concurrency. Their
// requests leave a 429 to the batch (api.LeaveThrottlesToCaller): the
// batch pauses every worker and retries the refused job, where a
// request's own backoff would have each worker wait out a backoff of its
// own and come back at once with the others. 503s and connection errors
// are still retried by the client, as for any request.

// Attached is one sender of AttachMany.
type Attached struct {
	Input  api.SenderInput // what was asked: AttachMany of the failed ones' Inputs retries them
	Sender api.PoolSender  // the sender as attached; zero unless the attach succeeded
}

// Moved is one sender of MoveMany.
type Moved struct {
	Sender api.PoolSender // as it was in From: MoveMany of the failed ones' Senders retries them
	Moved  api.PoolSender // the sender as attached to To; zero unless it got there
}

func (c *Client) bulkOptions() bulk.Options {
	o := c.batch
	o.Concurrency = c.concurrency
	return o
}

// DetachMany detaches senders from a service, each audited as
// DetachPoolSender does. The report lists, in input order, what became
// of each; its FailedItems and NotStartedItems are what to retry.
// Cancelling ctx starts nothing more and lets the requests in flight end.
func (c *Client) DetachMany(ctx context.Context, serviceSID string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[api.PoolSender] {
	svc := c.named(ctx, serviceSID) // once for the batch
	return bulk.Run(ctx, senders, func(ctx context.Context, p api.PoolSender) error {
		if err := checkMember(serviceSID, p); err != nil {
			return err
		}
		_, err, aerr := c.detach(ctx, svc, p, "", true, true)
		return joinAudit(err, aerr)
	}, c.bulkOptions(), progress)
}

// AttachMany attaches senders to a service, each resolved and audited as
// AttachPoolSender does; the report says, per input, what became of it.
func (c *Client) AttachMany(ctx context.Context, serviceSID string, inputs []api.SenderInput, progress func(bulk.Progress)) bulk.Report[Attached] {
	svc := c.named(ctx, serviceSID)
	items := make([]Attached, len(inputs))
	for i, in := range inputs {
		items[i].Input = in
	}
	rep := bulk.Run(ctx, indexes(len(inputs)), func(ctx context.Context, i int) error {
		in, err := c.prepareAttach(api.LeaveThrottlesToCaller(ctx), serviceSID, inputs[i])
		if err != nil {
			return err
		}
		p, _, err, aerr := c.attach(ctx, svc, in, "", true, true)
		if err == nil {
			items[i].Sender = p // item i is written by its own worker only, read after Run
		}
		return joinAudit(err, aerr)
	}, c.bulkOptions(), progress)
	return reportOf(rep, items)
}

// MoveMany moves senders from one service to another, each as
// MovePoolSender does (journaled, audited, rolled back on a failed
// attach). A failed one's error is a *MoveError that says where its
// sender is. The batch's shared backoff paces the detaches; once a
// sender has left from, its attach (and any rollback) keep the client's
// own retries, so that it is never left waiting in no service for the
// batch. A move throttled and rolled back is tried again by the batch;
// one that left its sender elsewhere is not.
func (c *Client) MoveMany(ctx context.Context, from, to string, senders []api.PoolSender, progress func(bulk.Progress)) bulk.Report[Moved] {
	src, dst := c.named(ctx, from), c.named(ctx, to)
	items := make([]Moved, len(senders))
	for i, p := range senders {
		items[i].Sender = p
	}
	opts := c.bulkOptions()
	opts.Throttled = func(err error) (time.Duration, bool) {
		var me *MoveError
		if errors.As(err, &me) && me.Where != InFrom {
			return 0, false
		}
		return bulk.APIThrottled(err)
	}
	rep := bulk.Run(ctx, indexes(len(senders)), func(ctx context.Context, i int) error {
		p := senders[i]
		if err := c.checkMove(from, to, p); err != nil {
			return err
		}
		moved, err := c.move(ctx, src, dst, p, true)
		if moved.SID != "" {
			items[i].Moved = moved
		}
		return err
	}, opts, progress)
	return reportOf(rep, items)
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// reportOf is a report of indexes as a report of the items they index.
func reportOf[T any](r bulk.Report[int], items []T) bulk.Report[T] {
	out := bulk.Report[T]{
		Results: make([]bulk.Result[T], len(r.Results)),
		OK:      r.OK, Failed: r.Failed, NotStarted: r.NotStarted, Throttles: r.Throttles, Elapsed: r.Elapsed,
	}
	for k, res := range r.Results {
		out.Results[k] = bulk.Result[T]{Item: items[res.Item], Outcome: res.Outcome, Err: res.Err, Attempts: res.Attempts}
	}
	return out
}
