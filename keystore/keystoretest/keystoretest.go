// Package keystoretest offers an in-memory keyring for tests of code that
// stores secrets through keystore (which must not touch the real one).
package keystoretest

import (
	"sync"
	"sync/atomic"

	"github.com/zalando/go-keyring"
)

// MemKeyring is a thread-safe in-memory keystore.Keyring (the store calls
// it from goroutines) that counts its calls. A missing item is
// keyring.ErrNotFound, as go-keyring reports it.
type MemKeyring struct {
	mu    sync.Mutex
	items map[[2]string]string

	Gets, Sets, Deletes atomic.Int32
}

// NewMemKeyring returns an empty keyring.
func NewMemKeyring() *MemKeyring { return &MemKeyring{items: map[[2]string]string{}} }

func (m *MemKeyring) Get(service, user string) (string, error) {
	m.Gets.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.items[[2]string{service, user}]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (m *MemKeyring) Set(service, user, secret string) error {
	m.Sets.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[[2]string{service, user}] = secret
	return nil
}

func (m *MemKeyring) Delete(service, user string) error {
	m.Deletes.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	k := [2]string{service, user}
	if _, ok := m.items[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.items, k)
	return nil
}

// Calls is the number of calls of any kind.
func (m *MemKeyring) Calls() int32 { return m.Gets.Load() + m.Sets.Load() + m.Deletes.Load() }

// Item is the secret stored for user under service, if any.
func (m *MemKeyring) Item(service, user string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.items[[2]string{service, user}]
	return v, ok
}

// Len is the number of items stored.
func (m *MemKeyring) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
