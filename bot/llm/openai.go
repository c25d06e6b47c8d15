// Package llm implements supportbot.LLM over any OpenAI-compatible chat
// completions API (OpenAI, Ollama, vLLM, LocalAI) with go-openai.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/supportbot/supportbot"
)

// Config selects the server and model.
type Config struct {
	BaseURL string // e.g. http://localhost:11434/v1; "" is OpenAI's
	Model   string
	APIKey  string
	// HTTPClient is used for requests; nil is http.DefaultClient. No
	// client timeout is set: callers bound each call with a context.
	HTTPClient *http.Client
}

// OpenAI is a supportbot.LLM.
type OpenAI struct {
	client *openai.Client
	model  string
}

// New returns an OpenAI client. It does no I/O.
func New(c Config) *OpenAI {
	cc := openai.DefaultConfig(c.APIKey)
	if c.BaseURL != "" {
		cc.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.HTTPClient != nil {
		cc.HTTPClient = c.HTTPClient
	}
	return &OpenAI{client: openai.NewClientWithConfig(cc), model: c.Model}
}

func (o *OpenAI) request(p supportbot.Prompt, stream bool) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{Model: o.model, MaxTokens: p.MaxTokens, Temperature: p.Temperature, Stream: stream}
	for _, m := range p.Messages {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	for _, t := range p.Tools {
		req.Tools = append(req.Tools, openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
			Name: t.Name, Description: t.Description, Parameters: t.Parameters}})
	}
	return req
}

// Complete implements supportbot.LLM.
func (o *OpenAI) Complete(ctx context.Context, p supportbot.Prompt) (supportbot.Completion, error) {
	resp, err := o.client.CreateChatCompletion(ctx, o.request(p, false))
	if err != nil {
		return supportbot.Completion{}, wrap(err)
	}
	if len(resp.Choices) == 0 {
		return supportbot.Completion{}, supportbot.Errorf(supportbot.EUNAVAILABLE, "llm returned no choices")
	}
	msg := resp.Choices[0].Message
	c := supportbot.Completion{Text: msg.Content}
	for _, tc := range msg.ToolCalls {
		c.ToolCalls = append(c.ToolCalls, supportbot.ToolCall{Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	return c, nil
}

// Stream implements supportbot.LLM. Tool-call arguments arrive in pieces
// keyed by index and are joined.
func (o *OpenAI) Stream(ctx context.Context, p supportbot.Prompt, emit func(string)) (supportbot.Completion, error) {
	st, err := o.client.CreateChatCompletionStream(ctx, o.request(p, true))
	if err != nil {
		return supportbot.Completion{}, wrap(err)
	}
	defer st.Close()
	var text strings.Builder
	calls := map[int]*supportbot.ToolCall{}
	var order []int
	for {
		resp, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return supportbot.Completion{}, wrap(err)
		}
		for _, ch := range resp.Choices {
			if d := ch.Delta.Content; d != "" {
				text.WriteString(d)
				if emit != nil {
					emit(d)
				}
			}
			for _, tc := range ch.Delta.ToolCalls {
				i := 0
				if tc.Index != nil {
					i = *tc.Index
				}
				c, ok := calls[i]
				if !ok {
					c = &supportbot.ToolCall{}
					calls[i] = c
					order = append(order, i)
				}
				if tc.Function.Name != "" {
					c.Name = tc.Function.Name
				}
				c.Arguments += tc.Function.Arguments
			}
		}
	}
	out := supportbot.Completion{Text: text.String()}
	for _, i := range order {
		c := *calls[i]
		if c.Arguments != "" && !json.Valid([]byte(c.Arguments)) {
			return supportbot.Completion{}, supportbot.Errorf(supportbot.EUNAVAILABLE, "llm sent invalid tool arguments")
		}
		out.ToolCalls = append(out.ToolCalls, c)
	}
	return out, nil
}

// wrap marks transport failures and server errors as EUNAVAILABLE, keeping
// the cause for logs. The message never reaches a user.
func wrap(err error) error {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("llm: %w", err)
	case errors.As(err, &apiErr):
		return fmt.Errorf("%w: %v", supportbot.Errorf(supportbot.EUNAVAILABLE, "llm error %d", apiErr.HTTPStatusCode), err)
	case errors.As(err, &reqErr), errors.As(err, &netErr):
		return fmt.Errorf("%w: %v", supportbot.Errorf(supportbot.EUNAVAILABLE, "llm unreachable"), err)
	}
	return fmt.Errorf("%w: %v", supportbot.Errorf(supportbot.EUNAVAILABLE, "llm failed"), err)
}

var _ supportbot.LLM = (*OpenAI)(nil)
