package discord

import (
	"strconv"
	"sync"
	"time"
)

// discordEpoch is the start of Discord's snowflake clock, 2015-01-01 UTC,
// in Unix milliseconds.
const discordEpoch = 1420070400000

func parseSnowflake(id string) (uint64, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	return n, err == nil
}

func formatSnowflake(n uint64) string { return strconv.FormatUint(n, 10) }

// snowflakeLess orders ids by creation: snowflakes start with their
// timestamp. Unparsable ids sort first.
func snowflakeLess(a, b string) bool {
	x, _ := parseSnowflake(a)
	y, _ := parseSnowflake(b)
	return x < y
}

// snowflakeTime is when the object with id was created.
func snowflakeTime(id string) time.Time {
	n, ok := parseSnowflake(id)
	if !ok {
		return time.Time{}
	}
	return time.UnixMilli(int64(n>>22) + discordEpoch)
}

// serializer runs the functions queued under one key one at a time, in
// the order they were queued; different keys run concurrently. An idle
// key costs nothing.
type serializer struct {
	mu sync.Mutex
	q  map[string][]func()
}

func newSerializer() *serializer { return &serializer{q: map[string][]func(){}} }

func (s *serializer) do(key string, fn func()) {
	s.mu.Lock()
	if pending, busy := s.q[key]; busy {
		s.q[key] = append(pending, fn)
		s.mu.Unlock()
		return
	}
	s.q[key] = nil // busy, nothing pending
	s.mu.Unlock()
	go func() {
		for {
			fn()
			s.mu.Lock()
			pending := s.q[key]
			if len(pending) == 0 {
				delete(s.q, key)
				s.mu.Unlock()
				return
			}
			fn, s.q[key] = pending[0], pending[1:]
			s.mu.Unlock()
		}
	}()
}

// recentSet remembers the last n keys added.
type recentSet struct {
	mu    sync.Mutex
	n     int
	keys  map[string]struct{}
	order []string
}

func newRecentSet(n int) *recentSet { return &recentSet{n: n, keys: map[string]struct{}{}} }

// add adds key and reports whether it was new.
func (s *recentSet) add(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[key]; ok {
		return false
	}
	s.keys[key] = struct{}{}
	s.order = append(s.order, key)
	if len(s.order) > s.n {
		delete(s.keys, s.order[0])
		s.order = s.order[1:]
	}
	return true
}

func (s *recentSet) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.keys[key]
	return ok
}

func (s *recentSet) remove(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key) // its slot in order ages out harmlessly
}

// recentMap is a map that keeps its last n keys.
type recentMap struct {
	mu    sync.Mutex
	set   *recentSet
	items map[string]string
}

func newRecentMap(n int) *recentMap {
	return &recentMap{set: newRecentSet(n), items: map[string]string{}}
}

func (m *recentMap) put(k, v string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.set.add(k)
	m.items[k] = v
	if len(m.items) > 2*m.set.n {
		for key := range m.items {
			if !m.set.has(key) {
				delete(m.items, key)
			}
		}
	}
}

func (m *recentMap) get(k string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.set.has(k) {
		return ""
	}
	return m.items[k]
}

// tracker computes each channel's cursor: the message up to which every
// message taken for handling was handled. A message handled out of order
// does not move the cursor past one still in flight, so a crash leaves
// the unfinished one after the cursor, to be read back.
type tracker struct {
	mu       sync.Mutex
	inflight map[string]map[uint64]struct{}
	done     map[string]uint64
}

func newTracker() *tracker {
	return &tracker{inflight: map[string]map[uint64]struct{}{}, done: map[string]uint64{}}
}

func (t *tracker) begin(channelID, messageID string) {
	id, ok := parseSnowflake(messageID)
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inflight[channelID] == nil {
		t.inflight[channelID] = map[uint64]struct{}{}
	}
	t.inflight[channelID][id] = struct{}{}
}

// end marks a message handled and returns the channel's cursor, or "".
func (t *tracker) end(channelID, messageID string) string {
	id, ok := parseSnowflake(messageID)
	if !ok {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	in := t.inflight[channelID]
	delete(in, id)
	if id > t.done[channelID] {
		t.done[channelID] = id
	}
	cursor := t.done[channelID]
	for other := range in {
		if other-1 < cursor {
			cursor = other - 1
		}
	}
	if len(in) == 0 {
		delete(t.inflight, channelID)
		delete(t.done, channelID) // the store keeps it; memory stays bounded
	}
	return formatSnowflake(cursor)
}
