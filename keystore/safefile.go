package keystore

import (
	"errors"

	"github.com/senderpool/senderpool/internal/safefile"
)

// MaxConfigSize is the most of config.json that is read: a profile takes
// a few hundred bytes, so anything larger is not a config of ours.
const MaxConfigSize = 1 << 20

// configFiles is how the config dir and config.json are kept: a private
// dir, a private regular file, one lock across processes. Whoever can
// write them decides, through api_url, where the secret is sent.
func configFiles() safefile.Policy {
	return safefile.Policy{
		File:      "config file",
		Dir:       "config dir",
		Stake:     ", who could send your secret anywhere",
		Unsafe:    ErrConfigUnsafe,
		Locked:    ErrConfigLocked,
		LockRetry: lockRetry,
	}
}

// writeFileAtomic replaces path with data (0600): a reader sees the old
// file or the new one, never a torn one. The dir's sync is best effort
// (some file systems refuse to sync a dir): once renamed, the change is
// made and is not reported as failed.
func writeFileAtomic(path string, data []byte) error {
	err := safefile.Replace(path, data)
	if _, ok := errors.AsType[*safefile.SyncError](err); ok {
		return nil
	}
	return err
}
