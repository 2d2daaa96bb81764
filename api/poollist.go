package api

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// PoolError is the failure of some of a pool's sources in ListPoolPages:
// each failed source with its error. The other sources were delivered.
type PoolError struct {
	Errs map[PoolSource]error
}

func (e *PoolError) Error() string {
	parts := make([]string, 0, len(e.Errs))
	for _, src := range PoolSources() {
		if err, ok := e.Errs[src]; ok {
			parts = append(parts, src.String()+": "+err.Error())
		}
	}
	return "listing the pool: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is and errors.As see every source's error.
func (e *PoolError) Unwrap() []error {
	out := make([]error, 0, len(e.Errs))
	for _, src := range PoolSources() {
		if err, ok := e.Errs[src]; ok {
			out = append(out, err)
		}
	}
	return out
}

// ListPoolPages lists every source of a service's pool at the same time,
// one request stream per source, and hands each page to fn as it arrives,
// so that a slow source holds back none of the others and the whole pool
// costs about as long as its longest list. fn is never called by two
// sources at once (a caller needs no lock) and must not block for long:
// the others wait for it.
//
// A source that fails does not stop the others: the result is then a
// *PoolError naming each failed source. An error from fn stops every
// source and is returned as is. A done ctx ends everything.
func (c *Client) ListPoolPages(ctx context.Context, serviceSID string, fn func(src PoolSource, page []PoolSender) error) error {
	if err := ValidateServiceSID(serviceSID); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu      sync.Mutex // serialises fn and guards the fields below
		stopped error      // fn's error, which ends the listing
		failed  = map[PoolSource]error{}
		wg      sync.WaitGroup
	)
	for _, src := range PoolSources() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.ListSourcePages(ctx, serviceSID, src, func(page []PoolSender) error {
				mu.Lock()
				defer mu.Unlock()
				if stopped != nil {
					return stopped
				}
				if err := fn(src, page); err != nil {
					stopped = err
					cancel()
					return err
				}
				return nil
			})
			if err != nil {
				mu.Lock()
				failed[src] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	switch {
	case stopped != nil:
		return stopped
	case len(failed) == 0:
		return nil
	case ctx.Err() != nil && len(failed) == len(PoolSources()):
		// The caller's ctx ended it: one error says so (errors.Is holds).
		for _, src := range PoolSources() {
			if errors.Is(failed[src], context.Canceled) || errors.Is(failed[src], context.DeadlineExceeded) {
				return failed[src]
			}
		}
	}
	return &PoolError{Errs: failed}
}

// ListPool returns a service's whole pool, sorted (SortPool), read as
// ListPoolPages does. A SID listed twice counts once (the spec lets
// DestinationAlphaSenders list a default alpha sender too; the first
// source keeps it). When some sources fail the error is a *PoolError and
// the senders of the sources that answered are returned with it.
func (c *Client) ListPool(ctx context.Context, serviceSID string) ([]PoolSender, error) {
	all := []PoolSender{}
	bySource := make([][]PoolSender, len(PoolSources()))
	err := c.ListPoolPages(ctx, serviceSID, func(src PoolSource, page []PoolSender) error {
		bySource[src] = append(bySource[src], page...)
		return nil
	})
	seen := map[string]bool{}
	for _, list := range bySource {
		for _, p := range list {
			if p.SID == "" || !seen[p.SID] {
				seen[p.SID] = true
				all = append(all, p)
			}
		}
	}
	var poolErr *PoolError
	if err != nil && !errors.As(err, &poolErr) {
		return nil, err
	}
	if err != nil {
		return SortPool(all), err
	}
	return SortPool(all), nil
}
