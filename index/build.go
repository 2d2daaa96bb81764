package index

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/senderpool/senderpool/api"
)

// DefaultConcurrency is how many list requests Build keeps in flight at
// once when Options.Concurrency is 0: few enough to stay well inside
// Twilio's per-account concurrency limit while the dashboard, or another
// program on the account, makes requests of its own.
const DefaultConcurrency = 4

// Options shape a Build.
type Options struct {
	// Concurrency bounds the list requests in flight at once, all lists
	// together: the services, every source of every pool, the account's.
	// 0 means DefaultConcurrency.
	Concurrency int
	// Account also reads the account's own senders: its phone numbers and
	// short codes (2010 API) and its WhatsApp and RCS senders (Senders
	// API), for InNoService and for the not-ONLINE counts.
	Account bool
	// OnServices is told each page of services as it is listed, so a
	// picker can show their names before their pools are read.
	OnServices func(page []api.Service)
	// OnService is told each service as soon as its whole pool is read,
	// or has failed (ServiceEntry.Err). It is not told of the services
	// whose pool a cancelled build never finished.
	OnService func(ServiceEntry)
	// Now is the clock of the read times; default time.Now.
	Now func() time.Time
}

// The callbacks of Options are never called two at a time (they need no
// lock), never after Build returns, and must not block for long: while
// one runs, the others wait.

// Lister is what Build reads: the lists of *api.Client (or a wrapper of
// it, such as the dashboard's, that bounds each call).
type Lister interface {
	ListServicesPages(ctx context.Context, fn func(page []api.Service) error) error
	ListSourcePages(ctx context.Context, serviceSID string, src api.PoolSource, fn func(page []api.PoolSender) error) error
	ListAccountSendersPages(ctx context.Context, channel string, fn func(page []api.AccountSender) error) error
	ListIncomingPhoneNumbersPages(ctx context.Context, fn func(page []api.IncomingPhoneNumber) error) error
	ListAccountShortCodesPages(ctx context.Context, fn func(page []api.AccountShortCode) error) error
}

// Build reads every service of the account (api.Client.ListServicesPages)
// and every list of every service's pool, at most opts.Concurrency
// requests at a time, pools in the order the services are listed, so the
// first services are complete first.
//
// A pool whose list fails is kept with what the other lists gave and its
// error (ServiceEntry.Err): it hides none of the others, and Build
// returns no error for it. A failure to list the services is returned
// (wrapped) with an index of the services listed before it. When ctx
// ends, Build stops starting requests, returns the index as far as it
// was read and ctx's error (errors.Is(err, context.Canceled) holds); the
// pools it did not finish carry that error, with what their lists gave
// before, and no ReadAt.
func Build(ctx context.Context, c Lister, opts Options) (*Index, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	b := &builder{ix: &Index{}, opts: opts, c: c, pending: map[string]*pendingPool{}}
	b.ix.init()
	b.q.cond = sync.NewCond(&b.q.mu)
	stop := context.AfterFunc(ctx, b.q.wake)
	defer stop()

	b.q.push(func(ctx context.Context) { b.listServices(ctx) })
	if opts.Account {
		// The channel senders' statuses first: every pool read after them
		// has its not-ONLINE count at once.
		for _, ch := range api.SenderChannels() {
			b.q.push(func(ctx context.Context) { b.listAccountChannel(ctx, ch) })
		}
	}
	var wg sync.WaitGroup
	for range opts.Concurrency {
		wg.Go(func() {
			for {
				job, ok := b.q.pop(ctx)
				if !ok {
					return
				}
				job(ctx)
			}
		})
	}
	wg.Wait()

	ix := b.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.readAt = opts.Now()
	if err := ctx.Err(); err != nil {
		for sid, p := range b.pending {
			if !p.done {
				b.finishLocked(ix.services[sid], p, err)
			}
		}
		return ix, fmt.Errorf("building the sender index: %w", err)
	}
	if b.servicesErr != nil {
		return ix, fmt.Errorf("building the sender index: listing the services: %w", b.servicesErr)
	}
	return ix, nil
}

type builder struct {
	ix   *Index
	opts Options
	c    Lister
	q    queue

	cbMu sync.Mutex // serialises the callbacks

	// Guarded by ix.mu.
	pending        map[string]*pendingPool // by service SID
	servicesErr    error
	channelsRead   int  // the account's channel lists that answered
	channelsFailed bool // one of them failed
}

// pendingPool gathers a service's lists as they answer.
type pendingPool struct {
	left     int  // lists not yet answered
	done     bool // in the index
	bySource [][]api.PoolSender
	errs     map[api.PoolSource]error
}

// listServices lists the services, queueing every list of each one's pool
// as its page arrives; then, if asked, the account's numbers and short
// codes. It is the only job that queues others: when it ends, the queue
// is closed.
func (b *builder) listServices(ctx context.Context) {
	defer b.q.close()
	err := b.c.ListServicesPages(ctx, func(page []api.Service) error {
		b.addServices(page)
		b.callback(func() {
			if b.opts.OnServices != nil {
				b.opts.OnServices(page)
			}
		})
		return nil
	})
	ix := b.ix
	ix.mu.Lock()
	b.servicesErr = err
	ix.mu.Unlock()
	if b.opts.Account {
		b.q.push(func(ctx context.Context) { b.listAccountNumbers(ctx) })
		b.q.push(func(ctx context.Context) { b.listAccountShortCodes(ctx) })
	}
}

func (b *builder) addServices(page []api.Service) {
	ix := b.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, svc := range page {
		if _, dup := ix.services[svc.SID]; dup {
			continue // a page that moved under us lists one twice
		}
		ix.services[svc.SID] = &serviceState{entry: ServiceEntry{Service: svc}, members: map[string]api.PoolSender{}, pos: len(ix.order)}
		ix.order = append(ix.order, svc.SID)
		sources := api.PoolSources()
		b.pending[svc.SID] = &pendingPool{left: len(sources), bySource: make([][]api.PoolSender, len(sources)), errs: map[api.PoolSource]error{}}
		for _, src := range sources {
			b.q.push(func(ctx context.Context) { b.listSource(ctx, svc.SID, src) })
		}
	}
}

// MaxSourceSenders is the most senders the index keeps of one list of a
// pool (the api's own ceiling is MaxListItems): the index reads every
// service at once beside the pool on screen, so a server whose pages
// never end costs it a quarter of what it costs the screen. Twilio's
// pools are far smaller (400 numbers and short codes by default).
const MaxSourceSenders = api.MaxListItems / 4

// ErrPoolTooLarge is a pool's error when one of its lists holds more
// than MaxSourceSenders: as for any list that fails, the pool keeps
// what was read and is not complete, and the others are not affected.
var ErrPoolTooLarge = errors.New("too large for the account-wide index")

// compact is what the index keeps of a sender: what finds it and counts
// it, not its URL and dates, so that an account of many large pools
// costs the index about half what listing them costs.
func compact(p api.PoolSender) api.PoolSender {
	p.URL, p.DateCreated, p.DateUpdated = "", nil, nil
	return p
}

// listSource reads one list of a pool; the last of a pool's lists to
// answer puts the pool in the index.
func (b *builder) listSource(ctx context.Context, serviceSID string, src api.PoolSource) {
	var got []api.PoolSender
	err := b.c.ListSourcePages(ctx, serviceSID, src, func(page []api.PoolSender) error {
		if len(got)+len(page) > MaxSourceSenders {
			return fmt.Errorf("%w: more than %d %s", ErrPoolTooLarge, MaxSourceSenders, src)
		}
		for _, p := range page {
			got = append(got, compact(p))
		}
		return nil
	})
	ix := b.ix
	ix.mu.Lock()
	p := b.pending[serviceSID]
	p.bySource[src] = got
	if err != nil {
		p.errs[src] = err
	}
	p.left--
	if p.left > 0 {
		ix.mu.Unlock()
		return
	}
	if ctx.Err() != nil {
		ix.mu.Unlock()
		return // Build finishes it, with the context's error
	}
	s := ix.services[serviceSID]
	b.finishLocked(s, p, nil)
	entry := s.entry
	ix.mu.Unlock()
	b.callback(func() {
		if b.opts.OnService != nil {
			b.opts.OnService(entry)
		}
	})
}

// finishLocked puts what was read of a pool in the index, with the
// failed lists' errors or, for a pool a cancelled build did not finish,
// stopped (and no ReadAt).
func (b *builder) finishLocked(s *serviceState, p *pendingPool, stopped error) {
	for _, list := range p.bySource {
		for _, m := range list {
			// A SID listed twice (DestinationAlphaSenders may list the
			// default alpha sender too): the first source keeps it, as in
			// api.ListPool.
			if _, dup := s.members[memberKey(m)]; !dup {
				b.ix.putMemberLocked(s, m)
			}
		}
	}
	p.bySource, p.done = nil, true
	switch {
	case stopped != nil:
		s.entry.Err = stopped
	case len(p.errs) > 0:
		s.entry.Err = &api.PoolError{Errs: p.errs}
		s.entry.ReadAt = b.opts.Now()
	default:
		s.entry.ReadAt = b.opts.Now()
	}
	b.ix.refreshLocked(s)
}

func (b *builder) callback(fn func()) {
	b.cbMu.Lock()
	defer b.cbMu.Unlock()
	fn()
}

// listAccountChannel reads the account's senders on one channel, for
// InNoService and for the statuses.
func (b *builder) listAccountChannel(ctx context.Context, channel string) {
	var got []AccountSenderEntry
	err := b.c.ListAccountSendersPages(ctx, channel, func(page []api.AccountSender) error {
		for _, s := range page {
			p := api.ChannelSender{SID: s.SID, Sender: s.SenderID}.PoolSender()
			got = append(got, AccountSenderEntry{Sender: p, Status: s.Status})
		}
		return nil
	})
	b.addAccount(got, err, "the account's "+channel+" senders", true)
}

func (b *builder) listAccountNumbers(ctx context.Context) {
	var got []AccountSenderEntry
	err := b.c.ListIncomingPhoneNumbersPages(ctx, func(page []api.IncomingPhoneNumber) error {
		for _, n := range page {
			got = append(got, AccountSenderEntry{Sender: n.PoolSender()})
		}
		return nil
	})
	b.addAccount(got, err, "the account's phone numbers", false)
}

func (b *builder) listAccountShortCodes(ctx context.Context) {
	var got []AccountSenderEntry
	err := b.c.ListAccountShortCodesPages(ctx, func(page []api.AccountShortCode) error {
		for _, s := range page {
			got = append(got, AccountSenderEntry{Sender: s.PoolSender()})
		}
		return nil
	})
	b.addAccount(got, err, "the account's short codes", false)
}

// addAccount records one of the account's lists. When the last channel
// list answers, every pool read so far is recounted with the statuses.
func (b *builder) addAccount(got []AccountSenderEntry, err error, what string, channel bool) {
	ix := b.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	a := &ix.account
	a.senders = append(a.senders, got...)
	if err != nil {
		a.errs = append(a.errs, fmt.Errorf("%s: %w", what, err))
	}
	a.readAt = b.opts.Now()
	if !channel {
		return
	}
	if a.statusBySID == nil {
		a.statusBySID, a.statusByAddr = map[string]string{}, map[string]string{}
	}
	for _, e := range got {
		if e.Sender.SID != "" {
			a.statusBySID[e.Sender.SID] = e.Status
		}
		a.statusByAddr[addrKey(e.Sender.Kind, e.Sender.Address)] = e.Status
	}
	b.channelsRead++
	b.channelsFailed = b.channelsFailed || err != nil
	if b.channelsRead < len(api.SenderChannels()) {
		return
	}
	a.channels = !b.channelsFailed
	for _, s := range ix.services {
		if !s.entry.ReadAt.IsZero() {
			ix.countLocked(s)
		}
	}
}

// queue is the builder's jobs, first in first out, shared by the workers:
// the one bound on requests in flight is the number of workers.
type queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	jobs   []func(context.Context)
	closed bool // no job will be pushed any more
}

func (q *queue) push(job func(context.Context)) {
	q.mu.Lock()
	q.jobs = append(q.jobs, job)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// wake lets every waiting worker see that ctx ended.
func (q *queue) wake() {
	// Under the lock, so that no worker is between its check and its Wait.
	q.mu.Lock()
	q.cond.Broadcast()
	q.mu.Unlock()
}

// pop returns the next job; false once ctx has ended, or the queue is
// closed and empty.
func (q *queue) pop(ctx context.Context) (func(context.Context), bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.jobs) == 0 && !q.closed && ctx.Err() == nil {
		q.cond.Wait()
	}
	if ctx.Err() != nil || len(q.jobs) == 0 {
		return nil, false
	}
	job := q.jobs[0]
	q.jobs[0] = nil
	q.jobs = q.jobs[1:]
	return job, true
}
