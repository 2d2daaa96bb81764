package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/senderpool/senderpool/api"
	"github.com/senderpool/senderpool/audit"
	"github.com/senderpool/senderpool/change"
	"github.com/senderpool/senderpool/journal"
	"github.com/senderpool/senderpool/keystore"
)

// demoDir is the subdirectory of the state dir that holds the demo's
// audit log and journal: the demo's fake starts fresh every run, and
// its record must not mix with the real account's.
const demoDir = "demo"

// record is where changes are recorded: the audit log (state dir) and
// the journal of moves (config dir). A place that could not be found
// leaves its field nil and says why in its error.
type record struct {
	audit      *audit.Log
	auditErr   error
	journal    *journal.Journal
	journalErr error
}

// defaultRecord is the audit log in the state dir (audit.DefaultDir:
// SENDERPOOL_STATE_DIR overrides) and the journal in configDir (""
// means keystore's default, through getenv). getenv nil means the
// process's environment.
func defaultRecord(getenv func(string) string, configDir string) *record {
	r := &record{}
	r.audit, r.auditErr = audit.Open(audit.Options{Getenv: getenv})
	if configDir == "" {
		configDir, r.journalErr = defaultConfigDir(getenv)
	}
	if r.journalErr == nil {
		r.journal, r.journalErr = journal.Open(configDir, journal.Options{})
	}
	return r
}

// demoRecord keeps both files in the demo subdirectory of the state dir.
func demoRecord(getenv func(string) string) *record {
	r := &record{}
	dir, err := audit.DefaultDir(getenv)
	if err != nil {
		r.auditErr, r.journalErr = err, err
		return r
	}
	dir = filepath.Join(dir, demoDir)
	r.audit, r.auditErr = audit.Open(audit.Options{Dir: dir})
	r.journal, r.journalErr = journal.Open(dir, journal.Options{})
	return r
}

// defaultConfigDir is the config dir keystore would use.
func defaultConfigDir(getenv func(string) string) (string, error) {
	if getenv != nil {
		if d := getenv("SENDERPOOL_CONFIG_DIR"); d != "" {
			return d, nil
		}
	}
	store, err := openDefaultStore(getenv)
	if err != nil {
		return "", err
	}
	return store.Dir(), nil
}

// errNotRecordable is wrapped when a change is refused because its
// record has no place: nothing was sent.
var errNotRecordable = errors.New("nothing was changed: the change could not be recorded")

// recordable refuses a change that could not be recorded: a change is
// made only where its audit entry (and a move's journal) can be
// written.
func (c *connection) recordable(command string, move bool) error {
	rec := c.rec
	if rec == nil {
		return nil
	}
	if rec.auditErr != nil {
		return &setupError{err: fmt.Errorf("%s refused: %w in the audit log: %w", command, errNotRecordable, rec.auditErr)}
	}
	if move && rec.journalErr != nil {
		return &setupError{err: fmt.Errorf("%s refused: %w in the journal of moves: %w", command, errNotRecordable, rec.journalErr)}
	}
	return nil
}

// madeUnrecorded reports an error that says only that a change which
// was made could not have its outcome recorded: the request itself
// succeeded.
func madeUnrecorded(err error) bool {
	if !errors.Is(err, change.ErrOutcomeNotAudited) {
		return false
	}
	return !requestFailed(err)
}

// requestFailed reports an error that holds a request's failure: an
// answer from the API, a network failure or an end of the wait.
func requestFailed(err error) bool {
	var apiErr *api.Error
	var reqErr *api.RequestError
	return errors.As(err, &apiErr) || errors.As(err, &reqErr) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func openDefaultStore(getenv func(string) string) (*keystore.Store, error) {
	return keystore.Open(keystore.Options{Getenv: getenv})
}

// maxConcurrency bounds --concurrency: Twilio limits an account's
// requests in flight, and more only meets 429s.
const maxConcurrency = 32

// unrecorded is the error after a change that was made but whose
// outcome could not be recorded: the command prints what it did, then
// fails (exit 1), since a change missing from the record is a failure to
// record, and the log shows it as interrupted.
func unrecorded(what string, err error) error {
	return fmt.Errorf("%s was made; %w", what, err)
}

// changing is what every change checks before anything is sent: not
// read-only, and a place to record it (move: the journal too).
func (c *connection) changing(command string, move bool) error {
	if err := c.writable(command); err != nil {
		return err
	}
	return c.recordable(command, move)
}

// changeCommand is what a change is asked with: --yes, and whether the
// senders come from stdin (which then cannot answer a question).
type changeCommand struct {
	name        string // "detach", "move", "service set"
	needService bool   // --service (or the profile's default) is needed
	move        bool   // it moves: the journal is needed too
	yes         bool
	fromStdin   bool
}

// connectToChange is every change's start, before anything is sent: a
// question it can ask (or --yes), a connection to the service, and a
// place to record the change. The caller closes the connection.
func (a *app) connectToChange(ctx context.Context, cc changeCommand) (*connection, string, *prompter, error) {
	ask := newPrompter(a.sys)
	if !cc.yes {
		if cc.fromStdin {
			return nil, "", nil, setupf("%s - needs --yes: stdin holds the senders, not the answer (nothing was changed)", cc.name)
		}
		if !(ask.interactive() && isTerminal(a.sys.Err)) {
			return nil, "", nil, setupf("%s needs --yes when not run on a terminal (nothing was changed)", cc.name)
		}
	}
	conn, service, err := a.connectTo(ctx, cc.name, cc.needService, ask)
	if err != nil {
		return nil, "", nil, err
	}
	if err := conn.changing(cc.name, cc.move); err != nil {
		conn.close()
		return nil, "", nil, err
	}
	return conn, service, ask, nil
}
