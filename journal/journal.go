// Package journal records the moves of senders between Messaging Services
// while they are under way, so that a move cut off half-way (ctrl+c, a
// hang-up, a crash, the network) is found at the next start and offered
// to finish or to roll back.
//
// Twilio has no move: a move is a detach from service A, then an attach
// to service B, and on failure a re-attach to A. Before each of those
// requests is sent, the step is appended to FileName in the config dir
// and synced to disk (the dir too, when the file is created), so that
// what the journal says is never behind what Twilio was asked. A move
// ends with a terminal step (attached, rolled back, or done); Pending
// lists the others with the last step each reached.
//
// The file is JSON lines, one object per step (see record). It holds no
// secret: profile names, SIDs, service names and a sender's text only.
// It follows keystore's rules for the config dir: dir 0700, file 0600,
// never a symbolic link or another user's or a group-writable file, at
// most MaxSize bytes, every write under a lock across processes. A last
// line cut short by a killed write is ignored with a note; anything else
// that does not decode is ErrCorrupt and the file is left as it is.
//
// Names and sender text are stored as they came from the network: print
// them through the text package (text.Clean, text.OneLine).
package journal

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/senderpool/senderpool/internal/safefile"
)

// FileName is the journal's name inside the config dir.
const FileName = "moves.jsonl"

// LockFileName is the lock taken around every read and write of the
// journal. It is a file of its own because compaction replaces the
// journal: a lock on it would be on a file already gone.
const LockFileName = "moves.lock"

// MaxSize is the most of the journal that is read: a step takes a few
// hundred bytes and finished moves are compacted away, so anything larger
// is not a journal of ours.
const MaxSize = 1 << 20

// DefaultLockTimeout is how long a call waits for another process's.
const DefaultLockTimeout = 10 * time.Second

// compactAt is the size past which a finished move triggers compaction
// even while other moves are pending.
const compactAt = 64 << 10

// Sentinel errors; every error the package returns for these cases wraps
// one, for errors.Is.
var (
	// ErrUnsafe: the config dir or the journal cannot be trusted: not a
	// directory / not a regular file (a symbolic link, a named pipe, a
	// device), or another user's, or writable by group or others. The
	// message names the command that fixes it.
	ErrUnsafe = errors.New("unsafe journal")
	// ErrCorrupt: the journal holds a line that does not decode (other
	// than a torn last one), or is larger than MaxSize. It is never
	// rewritten; the message names the file and the line.
	ErrCorrupt = errors.New("journal is corrupt")
	// ErrLocked: another process held the journal's lock for longer than
	// the lock timeout; nothing was written.
	ErrLocked = errors.New("journal is locked")
	// ErrInvalid: a MoveEntry, a move ID or a step is malformed.
	ErrInvalid = errors.New("invalid journal entry")
	// ErrUnknownMove: no move of that ID is in the journal.
	ErrUnknownMove = errors.New("no such move in the journal")
	// ErrMoveExists: Begin was given the ID of a move already journaled.
	ErrMoveExists = errors.New("move already in the journal")
	// ErrMoveEnded: a step was written to a move that has ended.
	ErrMoveEnded = errors.New("move has ended")
)

// Step is how far a move got. Each is written before the request it
// leads to is sent, so after a kill the request may or may not have
// reached Twilio:
//
//	last step     the sender is     to finish            to roll back
//	started       in A, or nowhere  detach (if in A), attach to B   nothing (if in A), else re-attach to A
//	detached      nowhere, or in B  attach to B (if not in B)       re-attach to A (detach from B first, if there)
//	rolling-back  nowhere, or in A  attach to B (if not in A)       re-attach to A (if not in A)
//
// The caller looks at the services before acting on a pending move.
type Step string

const (
	// StepStarted: Begin wrote the move; the detach from A is next.
	StepStarted Step = "started"
	// StepDetached: A answered the detach; the attach to B is next.
	StepDetached Step = "detached"
	// StepRollingBack: the re-attach to A is next.
	StepRollingBack Step = "rolling-back"
	// StepAttached: B answered the attach: the move is complete (terminal).
	StepAttached Step = "attached"
	// StepRolledBack: A answered the re-attach (terminal).
	StepRolledBack Step = "rolled-back"
	// StepDone: the caller closed the move, whatever its state: nothing
	// more is to be done (terminal).
	StepDone Step = "done"
	// stepFailed records a Failure; it does not change the move's Step.
	stepFailed Step = "failed"
)

// Terminal reports a step after which the move is not pending.
func (s Step) Terminal() bool {
	return s == StepAttached || s == StepRolledBack || s == StepDone
}

// Meaning says, of a pending move, where its sender may be after this
// step (the table in Step's doc, in words).
func (s Step) Meaning() string {
	switch s {
	case StepStarted:
		return "cut off while detaching: still in the first service, or in none"
	case StepDetached:
		return "detached, not yet attached: in no service, or already in the second"
	case StepRollingBack:
		return "cut off while being put back: in no service, or back in the first"
	}
	return "at step " + string(s)
}

func (s Step) valid() bool {
	switch s {
	case StepStarted, StepDetached, StepRollingBack, StepAttached, StepRolledBack, StepDone, stepFailed:
		return true
	}
	return false
}

// MoveEntry is what a move is: which sender goes from which service to
// which. It carries no credential.
type MoveEntry struct {
	ID       string `json:"move"`                // NewID(); [A-Za-z0-9._-], 1–64
	Profile  string `json:"profile,omitempty"`   // "" when the credentials came from the environment
	Account  string `json:"account_sid"`         // AC…
	From     string `json:"from"`                // MG… the sender leaves
	FromName string `json:"from_name,omitempty"` // its friendly name, as Twilio gave it
	To       string `json:"to"`                  // MG… the sender joins
	ToName   string `json:"to_name,omitempty"`
	Sender   Sender `json:"sender"`
}

// Sender is the sender moved, with what re-attaching it takes: an alpha
// sender is attached by its text (and country), not its SID.
type Sender struct {
	SID     string `json:"sid"`               // PN…, SC…, AI…, XE… in A
	Kind    string `json:"kind,omitempty"`    // as the api package names it (api.KindPhoneNumber, …)
	Text    string `json:"text,omitempty"`    // what the user knows it by: +14155550100, 12345, ACME, whatsapp:+1…
	Country string `json:"country,omitempty"` // ISO 3166 alpha-2 of a per-country alpha sender
}

// Failure is a step's request that failed; the move stays at its step.
type Failure struct {
	Step      Step   `json:"step"`                 // the step the request was for
	Code      int    `json:"code,omitempty"`       // Twilio's error code
	Status    int    `json:"status,omitempty"`     // HTTP status
	Message   string `json:"message,omitempty"`    // Twilio's message or a short reason; never a credential
	RequestID string `json:"request_id,omitempty"` // Twilio-Request-Id
}

// Move is a journaled move that has not ended.
type Move struct {
	MoveEntry
	Step    Step      // the last step reached; never terminal
	Started time.Time // when Begin wrote it
	Updated time.Time // when its last line was written
	Failure *Failure  // the last failure recorded since Step, if any
}

// Options configure a Journal. The zero value is the real thing.
type Options struct {
	// LockTimeout bounds the wait for another process. 0 means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// Now is the clock. nil means time.Now.
	Now func() time.Time
}

// Journal is the journal of one config dir. Its methods are safe for
// concurrent use, within a process and across processes.
type Journal struct {
	dir         string
	lockTimeout time.Duration
	now         func() time.Time
	compactAt   int        // compactAt; tests lower it
	mu          sync.Mutex // this process's part of the lock
}

// Open returns the journal in dir, the config dir (keystore's
// Store.Dir()). It touches no file: the dir is created (0700) by the
// first write.
func Open(dir string, opts Options) (*Journal, error) {
	if dir == "" {
		return nil, fmt.Errorf("%w: no config dir", ErrInvalid)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("journal dir %s: %w", dir, err)
	}
	j := &Journal{dir: abs, lockTimeout: opts.LockTimeout, now: opts.Now, compactAt: compactAt}
	if j.lockTimeout <= 0 {
		j.lockTimeout = DefaultLockTimeout
	}
	if j.now == nil {
		j.now = time.Now
	}
	return j, nil
}

// Path is the journal file's path.
func (j *Journal) Path() string { return filepath.Join(j.dir, FileName) }

// NewID returns a fresh move ID.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "mv-" + hex.EncodeToString(b)
}

// Begin journals a new move at StepStarted, durably, before the detach
// from A is sent.
func (j *Journal) Begin(ctx context.Context, e MoveEntry) error {
	if err := e.validate(); err != nil {
		return err
	}
	return j.update(ctx, func(s *state) ([]record, error) {
		if _, ok := s.moves[e.ID]; ok {
			return nil, fmt.Errorf("%w: %s", ErrMoveExists, e.ID)
		}
		entry := e
		return []record{{Move: e.ID, Step: StepStarted, Entry: &entry}}, nil
	})
}

// Step journals that move id reached step, durably, before the request
// that follows it is sent. A terminal step ends the move.
func (j *Journal) Step(ctx context.Context, id string, step Step) error {
	if step == StepStarted || !step.valid() || step == stepFailed {
		return fmt.Errorf("%w: step %q (want detached, rolling-back, attached, rolled-back or done)", ErrInvalid, step)
	}
	return j.step(ctx, record{Move: id, Step: step})
}

// Fail journals that the request for f.Step failed; the move stays where
// it was, with f as its Failure.
func (j *Journal) Fail(ctx context.Context, id string, f Failure) error {
	if err := f.validate(); err != nil {
		return err
	}
	return j.step(ctx, record{Move: id, Step: stepFailed, Failure: &f})
}

// Done ends move id: nothing more is to be done for it.
func (j *Journal) Done(ctx context.Context, id string) error { return j.Step(ctx, id, StepDone) }

func (j *Journal) step(ctx context.Context, r record) error {
	if err := validID(r.Move); err != nil {
		return err
	}
	return j.update(ctx, func(s *state) ([]record, error) {
		m, ok := s.moves[r.Move]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: %s", ErrUnknownMove, r.Move)
		case m.ended:
			return nil, fmt.Errorf("%w: %s is %s", ErrMoveEnded, r.Move, m.Step)
		}
		return []record{r}, nil
	})
}

// Pending returns the moves that have not ended, oldest first, and notes
// on what was ignored (a torn last line). A missing journal has none.
func (j *Journal) Pending(ctx context.Context) ([]Move, []string, error) {
	var s *state
	err := j.locked(ctx, false, func() error {
		var err error
		s, err = j.load()
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return s.pending(), s.notes, nil
}

// Compact rewrites the journal with only the lines of pending moves
// (atomically: a reader sees the old file or the new one). A corrupt
// journal is refused, never rewritten.
func (j *Journal) Compact(ctx context.Context) error {
	return j.locked(ctx, true, func() error {
		s, err := j.load()
		if err != nil {
			return err
		}
		return j.compact(s)
	})
}

// update loads the journal, asks fn for the records to append, appends
// them durably, and compacts when a move ended and the file is worth it.
// All under the lock.
func (j *Journal) update(ctx context.Context, fn func(*state) ([]record, error)) error {
	return j.locked(ctx, true, func() error {
		s, err := j.load()
		if err != nil {
			return err
		}
		recs, err := fn(s)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		lines := make([][]byte, len(recs))
		now := j.now()
		for i := range recs {
			recs[i].Version = formatVersion
			recs[i].Time = stamp(now)
			line, err := encode(recs[i])
			if err != nil {
				return err
			}
			buf.Write(line)
			lines[i] = line[:len(line)-1]
		}
		if int64(s.good+buf.Len()) > MaxSize {
			return fmt.Errorf("%w: %s would grow past 1 MiB: too many moves are pending (finish or close them first)", ErrCorrupt, j.Path())
		}
		if err := j.append(s, buf.Bytes()); err != nil {
			return err
		}
		ended := false
		for i, r := range recs {
			if err := s.apply(r, lines[i]); err != nil {
				return err // checked by fn; cannot happen
			}
			ended = ended || r.Step.Terminal()
		}
		if ended && (len(s.pending()) == 0 || s.good+buf.Len() > j.compactAt) {
			return j.compact(s)
		}
		return nil
	})
}

// append writes data at the end of the journal and syncs it (and the dir,
// when the file is new). A torn last line is cut off first, as its write
// never finished, so its step's request was never sent; a whole last line
// that lacks only its newline gets one.
func (j *Journal) append(s *state, data []byte) error {
	f, created, err := files().OpenAppend(j.Path())
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	} else if fi.Size() != int64(s.size) {
		// Only a writer outside the lock changes it under us.
		return fmt.Errorf("%w: %s changed while locked", ErrCorrupt, j.Path())
	}
	if s.torn {
		if err := f.Truncate(int64(s.good)); err != nil {
			return fmt.Errorf("writing %s: %w", j.Path(), err)
		}
	} else if s.unterminated {
		data = append([]byte{'\n'}, data...)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", j.Path(), err)
	}
	if created {
		return safefile.SyncDir(j.dir)
	}
	return nil
}

// compact replaces the journal with the lines of s's pending moves.
func (j *Journal) compact(s *state) error {
	var buf bytes.Buffer
	for _, id := range s.order {
		if m := s.moves[id]; !m.ended {
			for _, line := range m.lines {
				buf.Write(line)
				buf.WriteByte('\n')
			}
		}
	}
	return safefile.Replace(j.Path(), buf.Bytes())
}

// locked runs fn holding the journal's lock; write creates the dir first.
func (j *Journal) locked(ctx context.Context, write bool, fn func() error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if write {
		if err := files().EnsureDir(j.dir); err != nil {
			return err
		}
	} else if err := files().CheckDir(j.dir); errors.Is(err, fs.ErrNotExist) {
		return fn() // nothing journaled yet; load finds no file
	} else if err != nil {
		return err
	}
	unlock, err := files().Lock(ctx, filepath.Join(j.dir, LockFileName), j.lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

// load reads and decodes the journal. A missing one is empty.
func (j *Journal) load() (*state, error) {
	path := j.Path()
	if err := files().CheckDir(j.dir); errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	} else if err != nil {
		return nil, err
	}
	data, err := files().ReadFile(path, MaxSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return newState(), nil
	case errors.Is(err, safefile.ErrTooLarge):
		return nil, fmt.Errorf("%w: %s is larger than 1 MiB, far more than a journal of moves can be (it holds no secrets: move it aside)", ErrCorrupt, path)
	case err != nil:
		return nil, err
	}
	s, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w (it holds no secrets: look at it, then move it aside)", ErrCorrupt, path, err)
	}
	return s, nil
}

// stamp is the time as written: UTC, RFC 3339 with milliseconds.
func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

const timeFormat = "2006-01-02T15:04:05.000Z07:00"
