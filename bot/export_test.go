package bot

import "time"

// SetStoreClock sets the time a Store records, for tests of what it sums
// by day.
func SetStoreClock(s *Store, now func() time.Time) { s.now = now }
