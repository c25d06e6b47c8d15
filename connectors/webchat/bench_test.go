package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/connectors/webchat/webchattest"
)

// BenchmarkSend measures web chat's own cost per message (HTTP, auth,
// logging both messages in SQLite, rendering the Markdown reply) from 16
// concurrent visitors on loopback, with an engine that answers at once
// with a fixed cited reply. cmd/supportbot's BenchmarkWebchatLoad
// measures the whole product.
func BenchmarkSend(b *testing.B) {
	env := webchattest.Start(b, testConfig(), webchattest.Options{})
	a, _ := env.Library.Article("withdrawal-pending", "en")
	env.Handler.SetStream(func(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
		emit(a.Body)
		return supportbot.Reply{Text: a.Body, Lang: "en", Decision: supportbot.DecisionAnswer,
			Citations: []supportbot.Citation{{ArticleID: a.ID, Title: a.Title, Lang: a.Lang}}}, nil
	})
	const visitors = 16
	vs := make([]visitor, visitors)
	for i := range vs {
		vs[i] = startVisitor(b, env)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: visitors}}
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for _, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				body, _ := json.Marshal(map[string]string{"text": "Why is my withdrawal still pending?"})
				req, _ := http.NewRequest("POST", env.URL+"/api/v1/conversations/"+v.conv+"/messages", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+v.token)
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				var out struct{ Reply *struct{ ID string } }
				json.NewDecoder(res.Body).Decode(&out)
				res.Body.Close()
				if res.StatusCode != 200 || out.Reply == nil {
					b.Error(fmt.Sprintf("status %d", res.StatusCode))
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99_ms")
}
