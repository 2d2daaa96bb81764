package keystore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// TestConcurrentChangesLoseNothing: stores on one dir, as separate
// processes have (each its own Store, so only the file lock is shared),
// saving and deleting at once keep every change: all the profiles saved,
// none of the deleted, each with its secret and no secret without its
// profile.
func TestConcurrentChangesLoseNothing(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "senderpool")
	kr := newMemKeyring()
	open := func() *Store { return newStore(t, Options{Dir: dir, Keyring: kr}) }
	const n = 8
	name := func(i int) string { return fmt.Sprintf("p%d", i) }
	profile := func(i int) Profile {
		if i%2 == 0 {
			return fileProfile(name(i))
		}
		return keyringProfile(name(i))
	}
	run := func(ops ...func(s *Store) error) {
		t.Helper()
		start := make(chan struct{})
		errs := make([]error, len(ops))
		var wg sync.WaitGroup
		for i, op := range ops {
			s := open()
			wg.Go(func() {
				<-start
				errs[i] = op(s)
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	}
	save := func(i int) func(*Store) error {
		return func(s *Store) error { return s.Save(t.Context(), profile(i), canary+name(i)) }
	}
	del := func(i int) func(*Store) error {
		return func(s *Store) error { return s.Delete(t.Context(), name(i)) }
	}

	var ops []func(*Store) error
	for i := range n {
		ops = append(ops, save(i))
	}
	run(ops...)
	checkStored(t, open(), kr, n, func(i int) bool { return true }, profile)

	ops = nil
	for i := range n / 2 {
		ops = append(ops, del(i), save(n+i))
	}
	run(ops...)
	checkStored(t, open(), kr, n+n/2, func(i int) bool { return i >= n/2 }, profile)
}

// checkStored fails unless s holds exactly profiles 0..total-1 that want
// keeps, each with its secret where it should be, and no other secret.
func checkStored(t *testing.T, s *Store, kr interface {
	Item(service, user string) (string, bool)
	Len() int
}, total int, want func(int) bool, profile func(int) Profile) {
	t.Helper()
	got, _, err := s.Profiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names, wantNames, ages, wantAges []string
	for _, p := range got {
		names = append(names, p.Name)
	}
	items := 0
	for i := range total {
		p := profile(i)
		if !want(i) {
			continue
		}
		wantNames = append(wantNames, p.Name)
		if p.Storage == StorageFile {
			wantAges = append(wantAges, p.Name+".age")
		} else {
			items++
		}
		if secret, err := s.Secret(t.Context(), p); err != nil || secret != canary+p.Name {
			t.Errorf("secret of %s: %q, %v", p.Name, secret, err)
		}
	}
	slices.Sort(wantNames)
	if !slices.Equal(names, wantNames) {
		t.Errorf("profiles %v, want %v", names, wantNames)
	}
	paths, _ := filepath.Glob(filepath.Join(s.Dir(), "*.age"))
	for _, p := range paths {
		ages = append(ages, filepath.Base(p))
	}
	slices.Sort(wantAges)
	if !slices.Equal(ages, wantAges) {
		t.Errorf("encrypted files %v, want %v", ages, wantAges)
	}
	if kr.Len() != items {
		t.Errorf("%d keyring items, want %d", kr.Len(), items)
	}
}

// TestLockHeldElsewhere: a change waits for another process's lock for
// the lock timeout at most, then gives up with ErrConfigLocked saying so,
// having changed nothing; a cancelled context ends the wait at once. Reads
// do not wait for the lock.
func TestLockHeldElsewhere(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "senderpool")
	kr := newMemKeyring()
	mustSave(t, newStore(t, Options{Dir: dir, Keyring: kr}), keyringProfile("a"), canary)
	before := readFile(t, filepath.Join(dir, ConfigFileName))

	other := flock.New(filepath.Join(dir, LockFileName))
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatalf("taking the lock: %v, %v", ok, err)
	}
	t.Cleanup(func() { _ = other.Unlock() })

	const timeout = 150 * time.Millisecond
	s := newStore(t, Options{Dir: dir, Keyring: kr, LockTimeout: timeout})
	changes := []struct {
		name string
		do   func(ctx context.Context) error
	}{
		{"Save", func(ctx context.Context) error { return s.Save(ctx, keyringProfile("b"), canary) }},
		{"Save to the file store", func(ctx context.Context) error { return s.Save(ctx, fileProfile("b"), canary) }},
		{"Delete", func(ctx context.Context) error { return s.Delete(ctx, "a") }},
		{"Forget", func(ctx context.Context) error { return s.Forget(ctx, "a") }},
		{"SetDefault", func(ctx context.Context) error { return s.SetDefault(ctx, "a") }},
	}
	for _, c := range changes {
		start := time.Now()
		err := c.do(t.Context())
		took := time.Since(start)
		if !errors.Is(err, ErrConfigLocked) || !strings.Contains(err.Error(), LockFileName) {
			t.Errorf("%s = %v, want ErrConfigLocked naming the lock", c.name, err)
		}
		if took < timeout || took > timeout+2*time.Second {
			t.Errorf("%s gave up after %s, want about %s", c.name, took, timeout)
		}

		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(20*time.Millisecond, cancel)
		if err := c.do(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("%s, cancelled while waiting = %v, want context.Canceled", c.name, err)
		}
	}
	if got := readFile(t, filepath.Join(dir, ConfigFileName)); string(got) != string(before) {
		t.Errorf("the config changed without the lock:\n%s", got)
	}
	if _, ok := kr.Item(KeyringService, "b"); ok || kr.Len() != 1 {
		t.Errorf("keyring changed without the lock: %d items", kr.Len())
	}
	if ps, _, err := s.Profiles(t.Context()); err != nil || len(ps) != 1 {
		t.Errorf("reading while the lock is held: %v, %v", ps, err)
	}
}

// TestSaveNew refuses a profile stored meanwhile and keeps it.
func TestSaveNew(t *testing.T) {
	t.Parallel()
	kr := newMemKeyring()
	s := newStore(t, Options{Keyring: kr})
	if err := s.SaveNew(t.Context(), keyringProfile("a"), canary); err != nil {
		t.Fatal(err)
	}
	err := s.SaveNew(t.Context(), Profile{Name: "a", AccountSID: acctB, Storage: StorageFile}, "other")
	if !errors.Is(err, ErrProfileExists) || !strings.Contains(err.Error(), acctA) {
		t.Errorf("SaveNew over a stored profile = %v, want ErrProfileExists naming its account", err)
	}
	if p, err := s.Profile(t.Context(), "a"); err != nil || p.AccountSID != acctA {
		t.Errorf("profile after a refused SaveNew: %+v, %v", p, err)
	}
	if v, _ := kr.Item(KeyringService, "a"); v != canary {
		t.Errorf("keyring item after a refused SaveNew: %q", v)
	}
}
