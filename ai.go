package supportbot

import "context"

// ChatMessage is one message of a chat-completion prompt.
type ChatMessage struct {
	Role    string // "system", "user", "assistant"
	Content string
}

// Tool is a function the LLM may call.
type Tool struct {
	Name        string
	Description string
	// Parameters is the JSON Schema of the arguments.
	Parameters map[string]any
}

// ToolCall is the LLM's request to call a tool.
type ToolCall struct {
	Name      string
	Arguments string // JSON
}

// Prompt is a chat-completion request.
type Prompt struct {
	Messages    []ChatMessage
	Tools       []Tool
	MaxTokens   int
	Temperature float32
}

// Completion is an LLM's answer.
type Completion struct {
	Text      string
	ToolCalls []ToolCall
}

// LLM is a chat model behind an OpenAI-compatible API.
type LLM interface {
	// Complete returns the model's answer. Errors are EUNAVAILABLE when the
	// server cannot be reached or times out.
	Complete(ctx context.Context, p Prompt) (Completion, error)
	// Stream is Complete that passes text to emit as it arrives.
	Stream(ctx context.Context, p Prompt, emit func(delta string)) (Completion, error)
}
