package safefile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// defaultLockRetry is how often a waiting Lock tries again when the
// Policy does not say.
const defaultLockRetry = 10 * time.Millisecond

// Lock takes the flock on path, creating it (0600, never through a
// symbolic link), waiting at most timeout or until ctx ends. It is a file
// of its own beside the files it guards: one of those may be replaced
// rather than rewritten, and a lock on it would be on a file gone. The
// system drops the lock when its holder ends, so it cannot go stale.
// Held all along by another process, it is an error wrapping p.Locked.
func (p Policy) Lock(ctx context.Context, path string, timeout time.Duration) (unlock func(), err error) {
	retry := p.LockRetry
	if retry <= 0 {
		retry = defaultLockRetry
	}
	l := flock.New(path, flock.SetFlag(lockFlags), flock.SetPermissions(0o600))
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := l.TryLockContext(wctx, retry)
	switch {
	case ok:
		return func() { _ = l.Unlock() }, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("waiting for the lock %s: %w", path, context.Cause(ctx))
	case err == nil || errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: another senderpool has held %s for %s: nothing was written; try again once it is done", p.Locked, path, timeout)
	default:
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
}
