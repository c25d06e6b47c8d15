package embed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	openai "github.com/sashabaranov/go-openai"

	"github.com/supportbot/supportbot"
)

// OpenAIConfig configures an OpenAI-compatible embeddings client.
type OpenAIConfig struct {
	// BaseURL is the API root including "/v1": "https://api.openai.com/v1",
	// "http://localhost:11434/v1" (Ollama), "http://vllm:8000/v1".
	// "" means OpenAI.
	BaseURL string
	// Model is the embedding model, e.g. "text-embedding-3-small",
	// "nomic-embed-text", "bge-m3".
	Model string
	// APIKey is sent as a bearer token; local servers usually ignore it.
	APIKey string
	// BatchSize bounds the texts sent in one request; 0 means 64.
	BatchSize int
	// HTTPClient replaces the default client, e.g. for a proxy. It should
	// have no Timeout: callers bound each call with a ctx deadline.
	HTTPClient *http.Client
}

// OpenAI embeds text through an OpenAI-compatible /embeddings endpoint.
type OpenAI struct {
	client *openai.Client
	cfg    OpenAIConfig
}

// NewOpenAI returns an OpenAI embedder. It does no I/O.
func NewOpenAI(cfg OpenAIConfig) *OpenAI {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 64
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = cfg.BaseURL
	}
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	} else {
		// No Timeout on purpose: a deadline belongs to the caller's ctx
		// (one per chat message, a longer one for ingestion).
		oc.HTTPClient = &http.Client{}
	}
	return &OpenAI{client: openai.NewClientWithConfig(oc), cfg: cfg}
}

// Model names the embedding model, for snapshots: vectors of different
// models cannot be compared.
func (o *OpenAI) Model() string { return "openai:" + o.cfg.Model }

// Embed returns the unit-length embedding of text. Errors are EUNAVAILABLE
// when the server cannot be reached, times out, is overloaded or fails.
func (o *OpenAI) Embed(ctx context.Context, text string) ([]float32, error) {
	vs, err := o.EmbedBatch(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// EmbedBatch embeds texts in requests of at most BatchSize inputs and
// returns one unit-length vector per text, in order.
func (o *OpenAI) EmbedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += o.cfg.BatchSize {
		batch := texts[start:min(start+o.cfg.BatchSize, len(texts))]
		res, err := o.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
			Input:          batch,
			Model:          openai.EmbeddingModel(o.cfg.Model),
			EncodingFormat: openai.EmbeddingEncodingFormatFloat,
		})
		if err != nil {
			return nil, o.wrap(err)
		}
		if len(res.Data) != len(batch) {
			return nil, supportbot.Errorf(supportbot.EUNAVAILABLE,
				"The embedding server returned %d vectors for %d texts.", len(res.Data), len(batch))
		}
		vs := make([][]float32, len(batch))
		for _, d := range res.Data {
			if d.Index < 0 || d.Index >= len(batch) || vs[d.Index] != nil {
				return nil, supportbot.Errorf(supportbot.EUNAVAILABLE, "The embedding server returned a bad index %d.", d.Index)
			}
			v := d.Embedding
			normalize(v)
			vs[d.Index] = v
		}
		out = append(out, vs...)
	}
	return out, nil
}

// wrap maps transport failures and server-side errors to EUNAVAILABLE, so
// the bot escalates instead of failing, and keeps the cause for logs.
// Client errors (a wrong model name, a bad key) stay internal errors: a
// retry will not fix them.
func (o *OpenAI) wrap(err error) error {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	var netErr net.Error
	status := 0
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}
	unavailable := errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) ||
		status == http.StatusTooManyRequests || status >= 500 || status == 0
	at := supportbot.RedactURL(o.cfg.BaseURL)
	if unavailable {
		return fmt.Errorf("embed with %s at %s: %w (%w)", o.cfg.Model, at,
			supportbot.Errorf(supportbot.EUNAVAILABLE, "The embedding server is unavailable."), err)
	}
	return fmt.Errorf("embed with %s at %s: %w", o.cfg.Model, at, err)
}

var _ supportbot.Embedder = (*OpenAI)(nil)
