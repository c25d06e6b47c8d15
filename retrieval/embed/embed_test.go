package embed

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/supportbot/supportbot"
)

func cos(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestLocal(t *testing.T) {
	l := NewLocal(0)
	ctx := context.Background()
	v := func(s string) []float32 {
		x, err := l.Embed(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	t.Run("UnitAndDeterministic", func(t *testing.T) {
		a, b := v("How do I reset my password?"), v("How do I reset my password?")
		if len(a) != DefaultDim || !slices.Equal(a, b) {
			t.Fatal("not deterministic")
		}
		if n := cos(a, a); math.Abs(n-1) > 1e-5 {
			t.Fatalf("norm^2 = %v", n)
		}
	})
	t.Run("SameBitsEveryTime", func(t *testing.T) {
		// A long text in few dimensions: many features share a slot, so
		// summing them in another order (as iterating a Go map does)
		// changes the low bits, and an evaluation on the line could
		// change its figures from one run to the next.
		small := NewLocal(8)
		text := strings.Repeat("Withdrawals to a new address are held for 24 hours after a password change. ", 20) +
			"Les retraits vers une nouvelle adresse sont bloqués 24 heures. 新地址提币会被冻结24小时。"
		first := small.Vector(text)
		for range 50 {
			if got := small.Vector(text); !slices.Equal(got, first) {
				t.Fatalf("the same text gave another vector:\n%v\n%v", first, got)
			}
		}
	})
	t.Run("Similar", func(t *testing.T) {
		q := v("reset my password")
		if cos(q, v("How do I reset a forgotten password")) <= cos(q, v("withdrawal fees for bitcoin")) {
			t.Fatal("related text is not closer than unrelated text")
		}
	})
	t.Run("CaseAndAccents", func(t *testing.T) {
		if c := cos(v("VÉRIFIER mon identité"), v("verifier mon identite")); c < 0.6 {
			t.Fatalf("accent/case folding: cos %.3f", c)
		}
		if c := cos(v("ＡＢＣ　１２３"), v("abc 123")); c < 0.99 {
			t.Fatalf("NFKC width folding: cos %.3f", c)
		}
	})
	t.Run("CJK", func(t *testing.T) {
		q := v("忘记密码怎么办")
		if cos(q, v("我忘记了登录密码")) <= cos(q, v("提币一直在审核中")) {
			t.Fatal("CJK without spaces does not match")
		}
		if cos(v("パスワードを忘れました"), v("パスワードを再設定")) <= 0.1 {
			t.Fatal("Japanese does not match")
		}
	})
	t.Run("Empty", func(t *testing.T) {
		for _, x := range v("  ?! ") {
			if x != 0 {
				t.Fatal("punctuation-only text gave a non-zero vector")
			}
		}
	})
}

// TestOpenAI runs against a server that speaks the real /v1/embeddings
// API, asserting what go-openai sends.
func TestOpenAI(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
			t.Errorf("Authorization %q", got)
		}
		var body struct {
			Input          []string `json:"input"`
			Model          string   `json:"model"`
			EncodingFormat string   `json:"encoding_format"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if body.Model != "text-embedding-3-small" || body.EncodingFormat != "float" {
			t.Errorf("body %+v", body)
		}
		type datum struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		resp := struct {
			Object string  `json:"object"`
			Data   []datum `json:"data"`
			Model  string  `json:"model"`
		}{Object: "list", Model: body.Model}
		// Answer in reverse order: clients must use "index".
		for i := len(body.Input) - 1; i >= 0; i-- {
			resp.Data = append(resp.Data, datum{"embedding", i, []float32{float32(len(body.Input[i])), 0, 0}})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	}))
	defer srv.Close()

	o := NewOpenAI(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "text-embedding-3-small", APIKey: "sk-test", BatchSize: 2})
	vs, err := o.EmbedBatch(context.Background(), []string{"a", "bb", "ccc"})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || len(vs) != 3 {
		t.Fatalf("%d calls, %d vectors", calls, len(vs))
	}
	for i, v := range vs {
		if v[0] != 1 { // normalised
			t.Errorf("vector %d = %v", i, v)
		}
	}
	if _, err := o.Embed(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrUnavailable", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		url := down.URL
		down.Close()
		o := NewOpenAI(OpenAIConfig{BaseURL: url + "/v1", Model: "m"})
		_, err := o.Embed(context.Background(), "x")
		if supportbot.ErrorCode(err) != supportbot.EUNAVAILABLE {
			t.Fatalf("err %v, code %s", err, supportbot.ErrorCode(err))
		}
	})
	// The server's URL is in the error, with its password masked as the
	// LLM client's errors (net/http's) mask it.
	t.Run("ErrUnavailableHidesPassword", func(t *testing.T) {
		_, err := NewOpenAI(OpenAIConfig{BaseURL: "http://u:EMBPASS@127.0.0.1:1/v1", Model: "m"}).
			Embed(context.Background(), "x")
		if err == nil || strings.Contains(err.Error(), "EMBPASS") || !strings.Contains(err.Error(), "at http://u:***@127.0.0.1:1/v1:") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrServer", func(t *testing.T) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":{"message":"overloaded","type":"server_error"}}`))
		}))
		defer s.Close()
		_, err := NewOpenAI(OpenAIConfig{BaseURL: s.URL + "/v1", Model: "m"}).Embed(context.Background(), "x")
		if supportbot.ErrorCode(err) != supportbot.EUNAVAILABLE {
			t.Fatalf("err %v", err)
		}
	})
}
