package discord

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// transport is the HTTP transport of the Discord session. It sends
// discord.com's requests to Config.APIURL when that is set elsewhere (a
// REST proxy, or a fake in tests: discordgo builds its endpoint URLs from
// package variables at start-up, so the client is the one place to
// redirect them), and it honours Discord's global rate limit.
//
// discordgo waits out a 429 before retrying, but only on the request that
// got it, and only within that route's bucket: a global limit (all routes,
// X-RateLimit-Global) would be hit again by every other route meanwhile,
// and Discord bans bots that keep running into 429s. So a global 429
// closes a gate that holds every request until Retry-After has passed.
// Interaction callbacks are not subject to the global limit (Discord
// documents this) and must answer within 3 seconds, so they pass.
type transport struct {
	base http.RoundTripper
	api  *url.URL // nil: send to discord.com as is
	now  func() time.Time

	mu        sync.Mutex
	openAt    time.Time // the gate is closed until then
	onLimited func(global bool, retryAfter time.Duration)
}

func newTransport(base http.RoundTripper, apiURL string, now func() time.Time) *transport {
	t := &transport{base: base, now: now}
	if u, err := url.Parse(apiURL); err == nil && apiURL != "" && apiURL != DefaultAPIURL {
		t.api = u
	}
	return t
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.api != nil && req.URL.Host == "discord.com" {
		r := req.Clone(req.Context())
		r.URL.Scheme, r.URL.Host = t.api.Scheme, t.api.Host
		r.URL.Path = strings.TrimRight(t.api.Path, "/") + req.URL.Path
		r.Host = ""
		req = r
	}
	if !isInteractionCallback(req.URL.Path) {
		if err := t.wait(req); err != nil {
			return nil, err
		}
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	global := strings.EqualFold(resp.Header.Get("X-RateLimit-Global"), "true") ||
		resp.Header.Get("X-RateLimit-Scope") == "global"
	d := retryAfter(resp.Header)
	if global && d > 0 {
		t.mu.Lock()
		if at := t.now().Add(d); at.After(t.openAt) {
			t.openAt = at
		}
		t.mu.Unlock()
	}
	if t.onLimited != nil {
		t.onLimited(global, d)
	}
	return resp, nil
}

// wait holds a request while the global gate is closed.
func (t *transport) wait(req *http.Request) error {
	for {
		t.mu.Lock()
		d := t.openAt.Sub(t.now())
		t.mu.Unlock()
		if d <= 0 {
			return nil
		}
		timer := time.NewTimer(d)
		select {
		case <-req.Context().Done():
			timer.Stop()
			return req.Context().Err()
		case <-timer.C:
		}
	}
}

// isInteractionCallback reports whether path is POST
// /api/v*/interactions/{id}/{token}/callback.
func isInteractionCallback(path string) bool {
	return strings.Contains(path, "/interactions/") && strings.HasSuffix(path, "/callback")
}

// retryAfter reads Retry-After (seconds, possibly fractional) or
// X-RateLimit-Reset-After.
func retryAfter(h http.Header) time.Duration {
	for _, k := range []string{"Retry-After", "X-RateLimit-Reset-After"} {
		if v := h.Get(k); v != "" {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
				return time.Duration(f * float64(time.Second))
			}
		}
	}
	return 0
}
