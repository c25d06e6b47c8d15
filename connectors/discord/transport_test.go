package discord

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/sqldb"
)

// TestTransportGlobalRateLimit checks that a global 429 holds every
// route until Retry-After has passed, except interaction callbacks, which
// Discord exempts from the global limit and which must answer within 3
// seconds.
func TestTransportGlobalRateLimit(t *testing.T) {
	var mu sync.Mutex
	var order []string
	limitedOnce := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, r.URL.Path)
		if r.URL.Path == "/api/v9/channels/1/messages" && !limitedOnce {
			limitedOnce = true
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-RateLimit-Global", "true")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	tr := newTransport(http.DefaultTransport, srv.URL, time.Now)
	client := &http.Client{Transport: tr}
	get := func(path string) {
		req, _ := http.NewRequest(http.MethodPost, "https://discord.com/api/v9"+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
	}

	start := time.Now()
	get("/channels/1/messages") // 429, global
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); get("/channels/2/messages") }()
	get("/interactions/9/tok/callback")
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	want := []string{"/api/v9/channels/1/messages", "/api/v9/interactions/9/tok/callback", "/api/v9/channels/2/messages"}
	if len(order) != 3 || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("requests arrived as %v, want %v: the callback passes the gate, the other route waits", order, want)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("the held request went out after %v, before Retry-After", waited)
	}

	// A cancelled request does not wait for the gate.
	tr.mu.Lock()
	tr.openAt = time.Now().Add(time.Hour)
	tr.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://discord.com/api/v9/gateway", nil)
	if _, err := client.Do(req); err == nil {
		t.Error("a cancelled request went through a closed gate")
	}
}

func TestSQLStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := OpenSQLStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSQLStore(ctx, db); err != nil { // migrations run once
		t.Fatal(err)
	}
	now := time.UnixMilli(1_700_000_000_000)
	if err := s.SaveThread(ctx, Thread{ID: "5", ParentID: "1", UserID: "42", Created: now}); err != nil {
		t.Fatal(err)
	}
	if th, ok, err := s.Thread(ctx, "5"); err != nil || !ok || th.UserID != "42" || th.ParentID != "1" || !th.Created.Equal(now) {
		t.Errorf("Thread = %+v %v %v", th, ok, err)
	}
	if _, ok, err := s.Thread(ctx, "6"); ok || err != nil {
		t.Errorf("unknown thread: %v %v", ok, err)
	}
	for _, id := range []string{"1000", "3000", "2000"} { // never moves back
		if err := s.SaveCursor(ctx, "ch", id, now); err != nil {
			t.Fatal(err)
		}
	}
	s.SaveCursor(ctx, "old", "10", now.Add(-time.Hour))
	cs, err := s.Cursors(ctx, now.Add(-time.Minute))
	if err != nil || len(cs) != 1 || cs[0].ChannelID != "ch" || cs[0].MessageID != "3000" {
		t.Errorf("Cursors = %+v %v", cs, err)
	}
	if err := s.SaveCursor(ctx, "ch", "not-a-snowflake", now); err == nil {
		t.Error("a bad id was stored")
	}
}
