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
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"
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
