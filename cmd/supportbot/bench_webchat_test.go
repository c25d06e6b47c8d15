package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/knowledge"
)

// BenchmarkWebchatLoad plays N concurrent visitors on loopback against a
// real server (the engine with extractive answers over the demo help
// center, SQLite, the HTTP API with its limits raised): each visitor
// starts a conversation and asks one of the demo evaluation questions,
// in its language, streamed as server-sent events, again and again.
// b.N is the number of questions asked in all. It reports messages per
// second and the p50 and p99 time from sending a question to the end of
// its reply. Bounded in count by -benchtime (e.g. 400x) and in time: it
// stops asking after 2 minutes whatever b.N is.
//
//	go test ./cmd/supportbot -run '^$' -bench WebchatLoad -benchtime 400x
//
// SUPPORTBOT_BENCH_VISITORS sets N (default 16).
func BenchmarkWebchatLoad(b *testing.B) {
	visitors := 16
	if v, err := strconv.Atoi(os.Getenv("SUPPORTBOT_BENCH_VISITORS")); err == nil && v > 0 {
		visitors = v
	}
	questions := loadBenchQuestions(b)
	base := startBenchServer(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: visitors * 2}}

	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var failures atomic.Int64
	deadline := time.Now().Add(2 * time.Minute)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for v := 0; v < visitors; v++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := ""
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) || time.Now().After(deadline) {
					return
				}
				q := questions[int(i)%len(questions)]
				t0 := time.Now()
				var err error
				token, err = askStreamed(client, base, token, q.Query, q.Language)
				d := time.Since(t0)
				if err != nil {
					failures.Add(1)
					b.Logf("question %d: %v", i, err)
					continue
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d questions failed", n, int64(len(lat))+n)
	}
	if len(lat) == 0 {
		b.Fatal("no question was answered")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(pct(0.50), "p50_ms")
	b.ReportMetric(pct(0.99), "p99_ms")
	b.ReportMetric(float64(visitors), "visitors")
}

type benchQuestion struct {
	Query    string `json:"query"`
	Language string `json:"language"`
}

func loadBenchQuestions(b *testing.B) []benchQuestion {
	data, err := fs.ReadFile(knowledge.Demo(), "queries.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	var qs []benchQuestion
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var q benchQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err == nil && q.Query != "" {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		b.Fatal("no demo questions")
	}
	return qs
}

// startBenchServer serves the app on a loopback port with web chat's rate
// limits out of the way (every visitor comes from 127.0.0.1).
func startBenchServer(b *testing.B) string {
	b.Helper()
	cfg, err := loadConfig("", nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg.DataDir = demoDataDir(b)
	cfg.Log.Level = "error"
	cfg.Webchat.IPRate, cfg.Webchat.IPBurst = 1e6, 1e6
	cfg.Webchat.SessionRate, cfg.Webchat.SessionBurst = 1e6, 1e6
	cfg.Webchat.VisitorRate, cfg.Webchat.VisitorBurst = 1e6, 1e6
	cfg.setDefaults()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	cfg.HTTP.PublicURL = "http://" + ln.Addr().String()
	cfg.Bot.PublicURL = cfg.HTTP.PublicURL
	ctx, cancel := context.WithCancel(context.Background())
	app, err := openApp(ctx, cfg, io.Discard, true)
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, ln, io.Discard) }()
	b.Cleanup(func() {
		cancel()
		<-done
		app.Close()
	})
	base := cfg.HTTP.PublicURL
	for i := 0; ; i++ {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if i > 600 {
			b.Fatal("server never ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base
}

// askStreamed starts a conversation (a new visitor when token is empty),
// asks q and reads the streamed reply to its end. It returns the visitor
// token for the next question.
func askStreamed(c *http.Client, base, token, q, lang string) (string, error) {
	req, _ := http.NewRequest("POST", base+"/api/v1/conversations", bytes.NewReader([]byte(`{}`)))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.Do(req)
	if err != nil {
		return token, err
	}
	var start struct {
		Token        string `json:"token"`
		Conversation struct {
			ID string `json:"id"`
		} `json:"conversation"`
	}
	err = json.NewDecoder(res.Body).Decode(&start)
	res.Body.Close()
	if err != nil || res.StatusCode != 201 {
		return token, fmt.Errorf("start: %d %v", res.StatusCode, err)
	}
	if start.Token != "" {
		token = start.Token
	}
	body, _ := json.Marshal(map[string]string{"text": q, "hint_lang": lang})
	req, _ = http.NewRequest("POST", base+"/api/v1/conversations/"+start.Conversation.ID+"/messages", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	res, err = c.Do(req)
	if err != nil {
		return token, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		msg, _ := io.ReadAll(res.Body)
		return token, fmt.Errorf("send: %d %s", res.StatusCode, msg)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		switch sc.Text() {
		case "event: done":
			return token, nil
		case "event: error":
			sc.Scan()
			return token, fmt.Errorf("reply: %s", sc.Text())
		}
	}
	return token, fmt.Errorf("stream ended without done: %v", sc.Err())
}
