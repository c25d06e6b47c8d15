// Package llmtest is a fake OpenAI-compatible chat completions server that
// speaks the real wire protocol (JSON and server-sent events), so tests run
// the real go-openai client against it. It can answer, stream, call tools,
// stall, fail and stream garbage.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Behavior says how the server answers the next requests.
type Behavior struct {
	// Text is the answer; streamed word by word when the request streams.
	Text string
	// ToolCall, if set, is the name of a tool the model calls (with
	// Arguments) instead of answering.
	ToolCall  string
	Arguments string
	// Status, if not 0 or 200, is returned with an OpenAI-style error body.
	Status int
	// Delay stalls before answering (to test timeouts).
	Delay time.Duration
	// Garbage streams invalid SSE data after the first token.
	Garbage bool
}

// Request is what a client sent, for assertions.
type Request struct {
	Path   string
	Auth   string
	Body   map[string]any
	Stream bool
}

// Server is the fake.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	behavior Behavior
	requests []Request
}

// New starts a server; close it with Close.
func New(b Behavior) *Server {
	s := &Server{behavior: b}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to configure clients with (ending in /v1).
func (s *Server) URL() string { return s.Server.URL + "/v1" }

// Set changes the behavior for the next requests.
func (s *Server) Set(b Behavior) {
	s.mu.Lock()
	s.behavior = b
	s.mu.Unlock()
}

// Requests returns what was received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, `{"error":{"message":"not found","type":"invalid_request_error"}}`, http.StatusNotFound)
		return
	}
	data, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		http.Error(w, `{"error":{"message":"bad json","type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	stream, _ := body["stream"].(bool)
	s.mu.Lock()
	b := s.behavior
	s.requests = append(s.requests, Request{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body, Stream: stream})
	s.mu.Unlock()

	if b.Delay > 0 {
		select {
		case <-time.After(b.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if b.Status != 0 && b.Status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(b.Status)
		fmt.Fprintf(w, `{"error":{"message":"fake failure","type":"server_error","code":"%d"}}`, b.Status)
		return
	}
	if !stream {
		msg := map[string]any{"role": "assistant", "content": b.Text}
		finish := "stop"
		if b.ToolCall != "" {
			msg["content"] = nil
			msg["tool_calls"] = []any{map[string]any{"id": "call_1", "type": "function",
				"function": map[string]any{"name": b.ToolCall, "arguments": b.Arguments}}}
			finish = "tool_calls"
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "created": 1,
			"model": body["model"], "choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	send := func(delta map[string]any, finish any) {
		chunk := map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": body["model"],
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
		data, _ := json.Marshal(chunk)
		fmt.Fprintf(w, "data: %s\n\n", data)
		if flusher != nil {
			flusher.Flush()
		}
	}
	if b.ToolCall != "" {
		send(map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"index": 0, "id": "call_1", "type": "function",
			"function": map[string]any{"name": b.ToolCall, "arguments": ""}}}}, nil)
		half := len(b.Arguments) / 2
		for _, part := range []string{b.Arguments[:half], b.Arguments[half:]} {
			send(map[string]any{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": part}}}}, nil)
		}
		send(map[string]any{}, "tool_calls")
	} else {
		for i, word := range strings.SplitAfter(b.Text, " ") {
			send(map[string]any{"content": word}, nil)
			if i == 0 && b.Garbage {
				fmt.Fprint(w, "data: {not json\n\n")
				if flusher != nil {
					flusher.Flush()
				}
				return
			}
		}
		send(map[string]any{}, "stop")
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}
