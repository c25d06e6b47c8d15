package webchat

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters holds one token bucket per key (a visitor, a client address).
// Idle buckets are swept so the map does not grow without bound.
type limiters struct {
	mu    sync.Mutex
	rate  rate.Limit
	burst int
	m     map[string]*limiterEntry
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiters(r float64, burst int) *limiters {
	return &limiters{rate: rate.Limit(r), burst: burst, m: map[string]*limiterEntry{}}
}

// allow takes one token from key's bucket; it returns how long to wait
// before retrying when none is left.
func (l *limiters) allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.m[key]
	if e == nil {
		e = &limiterEntry{l: rate.NewLimiter(l.rate, l.burst)}
		l.m[key] = e
	}
	e.seen = now
	r := e.l.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets buckets not used since cutoff; they were full again anyway.
func (l *limiters) sweep(cutoff time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, e := range l.m {
		if e.seen.Before(cutoff) {
			delete(l.m, k)
		}
	}
}

// clientIP is the address rate limits key on: the peer's address, or the
// first X-Forwarded-For hop when the server is configured to trust its
// proxy (otherwise anyone could pick their own key).
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
