package twiliotest

import (
	"slices"
	"time"
)

// memberSet is a set of things keyed by SID, listed in a stable order
// (time, then SID) that is cached until the next change.
type memberSet[T any] struct {
	bySID  map[string]*T
	sorted []*T // nil = rebuild
	key    func(*T) (time.Time, string)
}

func newMemberSet[T any](key func(*T) (time.Time, string)) memberSet[T] {
	return memberSet[T]{bySID: map[string]*T{}, key: key}
}

func (m *memberSet[T]) put(sid string, v *T) { m.bySID[sid] = v; m.sorted = nil }

func (m *memberSet[T]) drop(sid string) { delete(m.bySID, sid); m.sorted = nil }

func (m *memberSet[T]) len() int { return len(m.bySID) }

func (m *memberSet[T]) get(sid string) (*T, bool) {
	v, ok := m.bySID[sid]
	return v, ok
}

// changed drops the cached order after a member's key changed.
func (m *memberSet[T]) changed() { m.sorted = nil }

func (m *memberSet[T]) list() []*T {
	if m.sorted == nil {
		m.sorted = make([]*T, 0, len(m.bySID))
		for _, v := range m.bySID {
			m.sorted = append(m.sorted, v)
		}
		slices.SortFunc(m.sorted, func(a, b *T) int {
			ta, sa := m.key(a)
			tb, sb := m.key(b)
			return compareKey(ta, sa, tb, sb)
		})
	}
	return m.sorted
}
