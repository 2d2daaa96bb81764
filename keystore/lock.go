package keystore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// LockFileName is the lock taken around every change of the config dir.
// It is a file of its own because config.json is replaced, not rewritten,
// on each change: a lock on it would be on a file already gone.
const LockFileName = "config.lock"

// DefaultLockTimeout is how long a change waits for another process's to
// end before it gives up.
const DefaultLockTimeout = 10 * time.Second

// lockRetry is how often a waiting change tries the lock again.
const lockRetry = 20 * time.Millisecond

// locked runs fn holding the config lock: this process's (mu) and every
// other process's (an flock on LockFileName, which the system drops when
// its holder ends, so it cannot go stale). fn reads the config, changes it
// and the secret it pairs with, and writes it back; no other change can
// interleave. The config dir is created (0700) if need be.
func (s *Store) locked(ctx context.Context, fn func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	files := configFiles()
	if err := files.EnsureDir(s.dir); err != nil {
		return err
	}
	path := filepath.Join(s.dir, LockFileName)
	unlock, err := files.Lock(ctx, path, s.lockTimeout)
	if errors.Is(err, ErrConfigLocked) {
		// Said as what waited: a change of the config dir.
		return fmt.Errorf("%w: another senderpool has been changing %s for %s (the lock %s is held): nothing was changed; try again once it is done",
			ErrConfigLocked, s.dir, s.lockTimeout, path)
	}
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}
