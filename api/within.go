package api

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Within runs fn, calls to the API, bounded by limit (senderpool's
// --timeout), so that a server that stops answering ends in an error
// instead of a wait without end. When the limit is what ended it, the
// error says so; it still matches context.DeadlineExceeded.
func Within(ctx context.Context, limit time.Duration, fn func(ctx context.Context) error) error {
	if limit <= 0 {
		return fn(ctx)
	}
	bounded, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := fn(bounded)
	if err != nil && ctx.Err() == nil && errors.Is(bounded.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("gave up after --timeout %s (a slow link may need a longer one): %w", limit, err)
	}
	return err
}
