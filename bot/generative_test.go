package bot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/bot/bottest"
	"github.com/supportbot/supportbot/bot/llm"
	"github.com/supportbot/supportbot/bot/llm/llmtest"
)

// newLLMFixture is the engine with the real go-openai client talking to a
// fake server that speaks the OpenAI wire protocol.
func newLLMFixture(t *testing.T, b llmtest.Behavior, timeout time.Duration) (*fixture, *llmtest.Server) {
	t.Helper()
	srv := llmtest.New(b)
	t.Cleanup(srv.Close)
	f := newFixture(t, bot.Config{}, true)
	ret := &bottest.Retriever{RetrieveFn: func(context.Context, supportbot.Query) (supportbot.Result, error) {
		return supportbot.Result{Hits: []supportbot.Hit{withdrawalHit, compromisedHit}, Confidence: 0.9}, nil
	}}
	f.svc = bot.New(bot.Config{AnswerThreshold: 0.5, LLMTimeout: timeout}, bot.Deps{Store: f.store, Detector: bot.NewDetector(),
		Retriever: ret, Escalator: f.esc, LLM: llm.New(llm.Config{BaseURL: srv.URL(), Model: "test-model", APIKey: "sk-test"})})
	return f, srv
}

func TestGenerative(t *testing.T) {
	ctx := context.Background()
	q := "Why is my withdrawal still pending?"
	t.Run("StreamsGroundedAnswerWithCitations", func(t *testing.T) {
		f, srv := newLLMFixture(t, llmtest.Behavior{Text: "Withdrawals are usually reviewed within 30 minutes [1]. Check Assets for the status."}, 5*time.Second)
		var deltas []string
		r, err := f.svc.HandleStream(ctx, msg("g1", q), func(d string) { deltas = append(deltas, d) })
		if err != nil {
			t.Fatal(err)
		}
		if !r.Generated || r.Decision != supportbot.DecisionAnswer || len(deltas) < 5 {
			t.Fatalf("reply = %+v, %d deltas", r, len(deltas))
		}
		if strings.Join(deltas, "") != "Withdrawals are usually reviewed within 30 minutes [1]. Check Assets for the status." {
			t.Fatalf("streamed %q", strings.Join(deltas, ""))
		}
		if len(r.Citations) != 1 || r.Citations[0].ArticleID != "withdrawal-pending" ||
			!strings.Contains(r.Text, "[[1]](/en/articles/withdrawal-pending)") {
			t.Fatalf("citations = %+v, text = %s", r.Citations, r.Text)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 || !reqs[0].Stream || reqs[0].Auth != "Bearer sk-test" || reqs[0].Body["model"] != "test-model" {
			t.Fatalf("requests = %+v", reqs)
		}
		sys := reqs[0].Body["messages"].([]any)[0].(map[string]any)["content"].(string)
		if !strings.Contains(sys, "Reply in English") || !strings.Contains(sys, withdrawalHit.Passage) {
			t.Fatalf("system prompt lacks language or passages:\n%s", sys)
		}
	})
	t.Run("ToolCallEscalates", func(t *testing.T) {
		f, _ := newLLMFixture(t, llmtest.Behavior{ToolCall: "escalate_to_human", Arguments: `{"reason":"needs account access"}`}, 5*time.Second)
		r, err := f.svc.HandleStream(ctx, msg("g2", q), func(string) {})
		if err != nil || r.Decision != supportbot.DecisionEscalate || r.Reason != "llm_tool_call" || r.TicketID == "" {
			t.Fatalf("reply = %+v, err = %v", r, err)
		}
	})
	for name, b := range map[string]llmtest.Behavior{
		"ServerErrorFallsBack": {Status: http.StatusInternalServerError},
		"TimeoutFallsBack":     {Text: "too late", Delay: 3 * time.Second},
		"GarbageFallsBack":     {Text: "partial answer here", Garbage: true},
	} {
		t.Run(name, func(t *testing.T) {
			f, _ := newLLMFixture(t, b, 300*time.Millisecond)
			start := time.Now()
			r, err := f.svc.HandleStream(ctx, msg("g3", q), func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			if r.Generated || r.Decision != supportbot.DecisionAnswer || !strings.Contains(r.Text, "30 minutes") {
				t.Fatalf("no extractive fallback: %+v", r)
			}
			// Not a timing assertion on speed: only that a stalled server
			// does not hold the reply for its whole 3 s delay.
			if b.Delay > 0 && time.Since(start) >= b.Delay {
				t.Fatalf("waited for the stalled LLM")
			}
		})
	}
	t.Run("NoFirstTokenFallsBack", func(t *testing.T) {
		// A whole answer may take a minute, but a server that sends
		// nothing for llm_first_token_timeout is given up on.
		srv := llmtest.New(llmtest.Behavior{Text: "too late", Delay: 5 * time.Second})
		t.Cleanup(srv.Close)
		f := newFixture(t, bot.Config{}, true)
		ret := &bottest.Retriever{RetrieveFn: func(context.Context, supportbot.Query) (supportbot.Result, error) {
			return supportbot.Result{Hits: []supportbot.Hit{withdrawalHit}, Confidence: 0.9}, nil
		}}
		svc := bot.New(bot.Config{AnswerThreshold: 0.5, LLMTimeout: time.Minute, LLMFirstTokenTimeout: 200 * time.Millisecond},
			bot.Deps{Store: f.store, Detector: bot.NewDetector(), Retriever: ret,
				LLM: llm.New(llm.Config{BaseURL: srv.URL(), Model: "m"})})
		start := time.Now()
		r, err := svc.HandleStream(ctx, msg("g5", q), func(string) {})
		if err != nil || r.Generated || !strings.Contains(r.Text, "30 minutes") {
			t.Fatalf("reply = %+v, err = %v", r, err)
		}
		// As above, not a speed assertion: only that the reply did not
		// wait for the stalled server.
		if time.Since(start) >= 5*time.Second {
			t.Fatal("waited for the stalled LLM")
		}
	})
	t.Run("DeadEndpointFallsBack", func(t *testing.T) {
		f := newFixture(t, bot.Config{}, true)
		ret := &bottest.Retriever{RetrieveFn: func(context.Context, supportbot.Query) (supportbot.Result, error) {
			return supportbot.Result{Hits: []supportbot.Hit{withdrawalHit}, Confidence: 0.9}, nil
		}}
		svc := bot.New(bot.Config{AnswerThreshold: 0.5, LLMTimeout: time.Second}, bot.Deps{Store: f.store, Detector: bot.NewDetector(),
			Retriever: ret, LLM: llm.New(llm.Config{BaseURL: "http://127.0.0.1:1/v1", Model: "m"})})
		r, err := svc.Handle(ctx, msg("g4", q))
		if err != nil || r.Generated || !strings.Contains(r.Text, "30 minutes") {
			t.Fatalf("reply = %+v, err = %v", r, err)
		}
	})
}
