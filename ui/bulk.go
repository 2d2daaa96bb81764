package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/bulk"
)

// A batch is one bulk action on the marked senders: a detach of each, or
// a move of each to another service. It runs on package bulk (bounded
// concurrency, one backoff shared by the batch when Twilio throttles);
// the senders screen follows it with a progress bar and, at the end,
// a report that offers to retry what failed or never started.
//
// Detaches run as bulk.Run over the audited DetachPoolSender, each under
// api.LeaveThrottlesToCaller, rather than as the client's DetachMany:
// the batch's shared backoff and the audit apply just the same, and each
// detach that ends is told at once, so its row goes as it ends. Moves
// run as the client's MoveMany: a move's attach must keep its own
// retries (a 429 left to the batch there would leave the sender in no
// service while the batch waits), and MoveMany knows not to retry a move
// that left its sender elsewhere. Its progress tells counts only, so the
// moved rows go when the batch ends.

// batchKind is what a batch does to each sender.
type batchKind int

const (
	batchDetach batchKind = iota + 1
	batchMove
)

// batchEnd is one sender of a batch that ended for good.
type batchEnd struct {
	sender  api.PoolSender
	moved   api.PoolSender // a move's sender as attached to the other service; zero unless it got there
	outcome bulk.Outcome
	err     error // set when Failed
}

// batchMsg is a batch's progress: the senders that ended since the last
// message (many coalesce into one while Update is busy; detaches only)
// and the batch's counts. The last one (done) carries every sender's
// outcome, in input order; next reads the following message.
type batchMsg struct {
	batch     int
	kind      batchKind
	service   string // the service the senders leave
	to        string // a move's other service
	ended     []batchEnd
	progress  bulk.Progress
	at        time.Time // when the message was read: what "resuming in" counts from
	done      bool
	results   []batchEnd
	throttles int
	next      tea.Cmd
}

// batchTickMsg counts down a pause of the batch.
type batchTickMsg struct {
	batch int
	at    time.Time
}

// batchEnded tells the root that a batch ended, in words: when quitting,
// they go in the report printed after the dashboard ends.
type batchEnded struct{ lines []string }

// quitWaitMsg tells every layer that the dashboard quits once the
// changes in flight end: a batch stops starting new ones.
type quitWaitMsg struct{}

func (batchEnded) isAction() {}

// batchJob runs a batch to its end: progress gets the snapshots, ended
// the senders that end on the way (when the job can tell them).
type batchJob func(ctx context.Context, progress func(bulk.Progress), ended func(batchEnd)) ([]batchEnd, int)

// detachJob detaches the targets of svc, four at a time, every 429 left
// to the batch's shared backoff.
func detachJob(client Client, svc string, targets []api.PoolSender) batchJob {
	return func(ctx context.Context, progress func(bulk.Progress), ended func(batchEnd)) ([]batchEnd, int) {
		do := func(ctx context.Context, p api.PoolSender) error {
			err := client.DetachPoolSender(api.LeaveThrottlesToCaller(ctx), svc, p)
			if _, throttled := bulk.APIThrottled(err); !throttled {
				// A throttled one is retried, or failed in the report.
				ended(batchEnd{sender: p, outcome: outcomeOf(err), err: err})
			}
			return err
		}
		r := bulk.Run(ctx, targets, do, bulk.Options{Concurrency: detachConcurrency}, progress)
		out := make([]batchEnd, len(r.Results))
		for i, res := range r.Results {
			out[i] = batchEnd{sender: res.Item, outcome: res.Outcome, err: res.Err}
		}
		return out, r.Throttles
	}
}

// moveJob moves the targets from one service to another with the
// client's MoveMany.
func moveJob(client Client, from, to string, targets []api.PoolSender) batchJob {
	return func(ctx context.Context, progress func(bulk.Progress), _ func(batchEnd)) ([]batchEnd, int) {
		r := client.MoveMany(ctx, from, to, targets, progress)
		out := make([]batchEnd, len(r.Results))
		for i, res := range r.Results {
			out[i] = batchEnd{sender: res.Item.Sender, moved: res.Item.Moved, outcome: res.Outcome, err: res.Err}
		}
		return out, r.Throttles
	}
}

func outcomeOf(err error) bulk.Outcome {
	if err != nil {
		return bulk.Failed
	}
	return bulk.OK
}
